import { LABEL_CLUSTER_ID, statefulSetName } from '@qhc/schemas';
import { MANAGED_BY } from '../cluster/labels.ts';
import { STORAGE_VOLUME } from '../cluster/stateful-set.ts';
import { normalize, type KubeObject } from '../object.ts';
import { ANNOTATION_RESTORED_BY } from './names.ts';

export interface RestoredClaimInput {
  namespace: string;
  clusterId: string;
  node: number;
  volumeSnapshotName: string;
  storage: string;
  storageClassName?: string;
  /** The QdrantClusterRestore's uid: marks the claim as already restored. */
  restoreUid: string;
  labels?: Record<string, string>;
}

/**
 * A node's database claim made from a VolumeSnapshot, under the name the cluster's
 * StatefulSet looks for (`qdrant-storage-qdrant-<id>-<node>`), so the node starts on it.
 */
export function buildRestoredClaim(input: RestoredClaimInput): KubeObject {
  return normalize({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: `${STORAGE_VOLUME}-${statefulSetName(input.clusterId)}-${input.node}`,
      namespace: input.namespace,
      labels: { ...input.labels, [LABEL_CLUSTER_ID]: input.clusterId, app: 'qdrant', 'app.kubernetes.io/managed-by': MANAGED_BY },
      annotations: { [ANNOTATION_RESTORED_BY]: input.restoreUid },
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: input.storage } },
      storageClassName: input.storageClassName,
      dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: input.volumeSnapshotName },
    },
  });
}
