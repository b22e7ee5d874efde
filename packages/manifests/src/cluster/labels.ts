import { LABEL_APP, LABEL_APP_VALUE, LABEL_CLUSTER_ID, clusterResourceName, clusterSelectorLabels, type QdrantCluster } from '@qhc/schemas';
import type { OwnerReference } from '../object.ts';

export const MANAGED_BY = 'qhc-operator';

/** Labels on every object of a cluster: the seed's selectors plus the recommended set. */
export function clusterLabels(cluster: QdrantCluster, component: string): Record<string, string> {
  const id = cluster.spec.id;
  return {
    ...clusterSelectorLabels(id),
    'app.kubernetes.io/name': LABEL_APP_VALUE,
    'app.kubernetes.io/instance': clusterResourceName(id),
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'app.kubernetes.io/part-of': 'qhc',
  };
}

/** What selects a cluster's pods: exactly the seed's `app: qdrant` + `cluster-id`. */
export function podSelector(cluster: QdrantCluster): Record<string, string> {
  return { [LABEL_APP]: LABEL_APP_VALUE, [LABEL_CLUSTER_ID]: cluster.spec.id };
}

/** Every object a cluster owns goes when the cluster goes (PVCs excepted: the StatefulSet's retention policy keeps them). */
export function ownerReference(cluster: QdrantCluster): OwnerReference {
  return {
    apiVersion: cluster.apiVersion,
    kind: cluster.kind,
    name: cluster.metadata.name ?? clusterResourceName(cluster.spec.id),
    uid: cluster.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function objectMeta(cluster: QdrantCluster, name: string, component: string, extra: { annotations?: Record<string, string> } = {}) {
  return {
    name,
    namespace: cluster.metadata.namespace,
    labels: clusterLabels(cluster, component),
    ...(extra.annotations && Object.keys(extra.annotations).length > 0 ? { annotations: extra.annotations } : {}),
    ownerReferences: cluster.metadata.uid ? [ownerReference(cluster)] : undefined,
  };
}
