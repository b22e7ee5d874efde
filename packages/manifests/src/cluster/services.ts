import { clientServiceName, headlessServiceName, nodeServiceName, podName, type QdrantCluster } from '@qhc/schemas';
import { ManifestError } from '../errors.ts';
import { normalize, type KubeObject } from '../object.ts';
import { objectMeta, podSelector } from './labels.ts';
import { QDRANT_GRPC_PORT, QDRANT_HTTP_PORT, QDRANT_P2P_PORT, type ResolvedCluster } from './resolve.ts';

const CLIENT_PORTS = [
  { name: 'http', port: QDRANT_HTTP_PORT, targetPort: 'http', protocol: 'TCP' },
  { name: 'grpc', port: QDRANT_GRPC_PORT, targetPort: 'grpc', protocol: 'TCP' },
];

/** Stable DNS names for the peers; not-ready peers are published so they can find each other. */
export function buildHeadlessService(cluster: QdrantCluster, resolved: ResolvedCluster): KubeObject {
  return normalize({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: objectMeta(cluster, headlessServiceName(resolved.id), 'peer-discovery'),
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: podSelector(cluster),
      ports: [...CLIENT_PORTS, { name: 'p2p', port: QDRANT_P2P_PORT, targetPort: 'p2p', protocol: 'TCP' }],
    },
  });
}

/** `qdrant-<id>`: the endpoint clients use (`http://qdrant-<id>.<ns>.svc:6333`). */
export function buildClientService(cluster: QdrantCluster, resolved: ResolvedCluster): KubeObject {
  const service = cluster.spec.service;
  const type = service?.type ?? 'ClusterIP';
  if (service?.loadBalancerSourceRanges && type !== 'LoadBalancer') {
    throw new ManifestError('spec.service.loadBalancerSourceRanges', `only applies to type LoadBalancer, not ${type}`);
  }
  return normalize({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: objectMeta(cluster, clientServiceName(resolved.id), 'client', { annotations: service?.annotations }),
    spec: {
      type,
      selector: podSelector(cluster),
      ports: CLIENT_PORTS,
      loadBalancerSourceRanges: service?.loadBalancerSourceRanges,
      // Keep the client's address for NetworkPolicy ipBlocks and logs.
      externalTrafficPolicy: type === 'ClusterIP' ? undefined : 'Local',
      // multiAZ: clients reach a pod in their own zone when one is ready (zone-aware routing).
      trafficDistribution: cluster.spec.multiAZ ? 'PreferClose' : undefined,
    },
  });
}

/** One ClusterIP Service per node (servicePerNode): direct access to a peer, e.g. for its snapshots. */
export function buildNodeServices(cluster: QdrantCluster, resolved: ResolvedCluster): KubeObject[] {
  if (cluster.spec.servicePerNode === false) return [];
  return Array.from({ length: resolved.size }, (_, index) =>
    normalize({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: objectMeta(cluster, nodeServiceName(resolved.id, index), 'node'),
      spec: {
        type: 'ClusterIP',
        publishNotReadyAddresses: true,
        selector: { ...podSelector(cluster), 'statefulset.kubernetes.io/pod-name': podName(resolved.id, index) },
        ports: CLIENT_PORTS,
      },
    }),
  );
}
