// Names and labels every qhc component must agree on, compatible with what Qdrant's
// operator creates (users' scripts, dashboards and support tools select on them).

export const LABEL_APP = 'app';
export const LABEL_APP_VALUE = 'qdrant';
export const LABEL_CLUSTER_ID = 'cluster-id';
export const LABEL_CUSTOMER_ID = 'customer-id';

/** `qdrant-<id>`: the QdrantCluster's own name, its client Service, ConfigMap and StatefulSet. */
export function clusterResourceName(clusterId: string): string {
  return `qdrant-${clusterId}`;
}
export const clientServiceName = clusterResourceName;
export const configMapName = clusterResourceName;
export const statefulSetName = clusterResourceName;

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
