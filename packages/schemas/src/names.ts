// Names and labels every qhc component must agree on, compatible with what Qdrant's
// operator creates (users' scripts, dashboards and support tools select on them).

export const LABEL_APP = 'app';
export const LABEL_APP_VALUE = 'qdrant';
export const LABEL_CLUSTER_ID = 'cluster-id';
export const LABEL_CUSTOMER_ID = 'customer-id';

/** `qdrant-<id>`: the QdrantCluster's own name, its client Service, ConfigMap, StatefulSet and PodDisruptionBudget. */
export function clusterResourceName(clusterId: string): string {
  return `qdrant-${clusterId}`;
}
export const clientServiceName = clusterResourceName;
export const configMapName = clusterResourceName;
export const statefulSetName = clusterResourceName;

/**
 * `qdrant-<id>-qhc`: the operator's own NetworkPolicy, Ingress and Traefik IngressRoute.
 * Not `qdrant-<id>`: the Hybrid Cloud docs tell users to write their own NetworkPolicy and
 * Ingress under that name, and an operator applying to it would overwrite theirs. The
 * client Service keeps `qdrant-<id>`: the docs name it as the one the operator creates.
 */
export function operatorObjectName(clusterId: string): string {
  return `qdrant-${clusterId}-qhc`;
}
export const networkPolicyName = operatorObjectName;
export const ingressName = operatorObjectName;
export const ingressRouteName = operatorObjectName;
/** The second Ingress of NginxIngress, for gRPC on `spec.ingress.nginx.grpcHost`. */
export function grpcIngressName(clusterId: string): string {
  return `${operatorObjectName(clusterId)}-grpc`;
}
/** The Traefik Middleware of `spec.ingress.traefik.allowedSourceRanges`. */
export function ipAllowListName(clusterId: string): string {
  return `${operatorObjectName(clusterId)}-allowlist`;
}

/**
 * Names earlier qhc operators gave objects users also write (the seed's
 * NetworkPolicy and Ingress are `qdrant-<id>`). The operator removes its own old objects
 * under these names once the new ones exist, and never an object someone else wrote.
 */
export function legacyOperatorObjectNames(clusterId: string): Array<{ kind: 'NetworkPolicy' | 'Ingress'; name: string }> {
  return [
    { kind: 'NetworkPolicy', name: `qdrant-${clusterId}` },
    { kind: 'Ingress', name: `qdrant-${clusterId}` },
    { kind: 'Ingress', name: `qdrant-${clusterId}-grpc` },
  ];
}

/** `qdrant-headless-<id>`: the headless Service the pods' stable DNS names live under. */
export function headlessServiceName(clusterId: string): string {
  return `qdrant-headless-${clusterId}`;
}

/** `qdrant-<id>-<index>`: the pod of node `index`. */
export function podName(clusterId: string, index: number): string {
  return `qdrant-${clusterId}-${index}`;
}

/**
 * The per-node Service (servicePerNode): named like the pod it selects, so
 * `qdrant-<id>-<n>.<ns>.svc` reaches node n whatever the headless Service publishes.
 */
export const nodeServiceName = podName;

/** Selector labels of a cluster's pods, as the seed's examples use them. */
export function clusterSelectorLabels(clusterId: string): Record<string, string> {
  return { [LABEL_APP]: LABEL_APP_VALUE, [LABEL_CLUSTER_ID]: clusterId };
}

/** The in-cluster URL of a cluster's REST API. */
export function clusterEndpoint(clusterId: string, namespace: string, scheme: 'http' | 'https' = 'http'): string {
  return `${scheme}://${clientServiceName(clusterId)}.${namespace}.svc:6333`;
}

/** `qdrant-<id>-api-keys`: the Secret the agent writes a cluster's API keys to, referenced from its spec. */
export function apiKeySecretName(clusterId: string): string {
  return `${clusterResourceName(clusterId)}-api-keys`;
}
/** The keys of that Secret. */
export const API_KEY_SECRET_KEY = 'api-key';
export const READ_ONLY_API_KEY_SECRET_KEY = 'read-only-api-key';
