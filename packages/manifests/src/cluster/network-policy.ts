import {
  LABEL_APP,
  LABEL_APP_VALUE,
  LABEL_CLUSTER_ID,
  networkPolicyName,
  type NetworkPolicyEgressRule,
  type NetworkPolicyIngressRule,
  type OperatorSettings,
  type QdrantCluster,
} from '@qhc/schemas';
import { normalize, type KubeObject } from '../object.ts';
import { objectMeta, podSelector } from './labels.ts';
import { QDRANT_GRPC_PORT, QDRANT_HTTP_PORT, QDRANT_P2P_PORT, type ResolvedCluster } from './resolve.ts';

/** The pods of the qhc operator, which polls every cluster's REST API for status. */
export const OPERATOR_POD_LABELS = { 'app.kubernetes.io/name': 'qhc-operator' };
/** The region's cluster manager, which moves shards and removes peers through the REST API. */
export const CLUSTER_MANAGER_POD_LABELS = { 'app.kubernetes.io/name': 'qhc-cluster-manager' };

const tcp = (port: number) => ({ protocol: 'TCP', port });

/**
 * The seed's defaults, made explicit: peers talk to each other (p2p 6335 only between the
 * cluster's own pods), the operator and the cluster manager may reach the REST API, and the settings' rules are
 * added (by default: DNS egress to kube-system). Egress to a writeCluster is allowed when set.
 */
export function buildNetworkPolicy(cluster: QdrantCluster, settings: OperatorSettings, resolved: ResolvedCluster): KubeObject {
  const peers = { podSelector: { matchLabels: podSelector(cluster) } };
  const policies = settings.settings.qdrant.networkPolicies;
  const ingress: Array<NetworkPolicyIngressRule | Record<string, unknown>> = [
    { from: [peers], ports: [tcp(QDRANT_P2P_PORT), tcp(QDRANT_HTTP_PORT), tcp(QDRANT_GRPC_PORT)] },
    {
      from: [{ podSelector: { matchLabels: OPERATOR_POD_LABELS } }, { podSelector: { matchLabels: CLUSTER_MANAGER_POD_LABELS } }],
      ports: [tcp(QDRANT_HTTP_PORT)],
    },
    ...policies.ingress,
  ];
  const egress: Array<NetworkPolicyEgressRule | Record<string, unknown>> = [
    { to: [peers], ports: [tcp(QDRANT_P2P_PORT), tcp(QDRANT_HTTP_PORT), tcp(QDRANT_GRPC_PORT)] },
    ...policies.egress,
  ];
  const writeCluster = cluster.spec.writeCluster;
  if (writeCluster) {
    egress.push({
      to: [{ podSelector: { matchLabels: { [LABEL_APP]: LABEL_APP_VALUE, [LABEL_CLUSTER_ID]: writeCluster.id } } }],
      ports: [tcp(QDRANT_HTTP_PORT), tcp(QDRANT_GRPC_PORT)],
    });
  }
  return normalize({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: objectMeta(cluster, networkPolicyName(resolved.id), 'network-policy'),
    spec: { podSelector: { matchLabels: podSelector(cluster) }, policyTypes: ['Ingress', 'Egress'], ingress, egress },
  });
}
