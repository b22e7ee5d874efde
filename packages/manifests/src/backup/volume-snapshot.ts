import { LABEL_CLUSTER_ID, QDRANT_API_VERSION, type QdrantClusterSnapshot } from '@qhc/schemas';
import { MANAGED_BY } from '../cluster/labels.ts';
import { normalize, type KubeObject } from '../object.ts';
import { ANNOTATION_SNAPSHOT_POINT, ANNOTATION_SOURCE_STORAGE, ANNOTATION_SOURCE_STORAGE_CLASS, LABEL_NODE_INDEX, suffixedName } from './names.ts';

export interface VolumeSnapshotInput {
  snapshot: Pick<QdrantClusterSnapshot, 'metadata' | 'spec'> & { metadata: { uid?: string } };
  /** The database claim of one node. */
  claim: { name: string; node: number; storageClassName?: string; storage?: string };
  volumeSnapshotClassName: string;
  /** The backup point, RFC 3339: the same on every VolumeSnapshot of one backup. */
  point: string;
}

const SKIPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

/**
 * One node's VolumeSnapshot for a QdrantClusterSnapshot: owned by it (deleting the backup
 * deletes its snapshots), carrying its labels and annotations (so tooling that marks a backup
 * marks its volumes), and what a restore needs to check the target against.
 */
export function buildVolumeSnapshot(input: VolumeSnapshotInput): KubeObject {
  const { snapshot, claim } = input;
  const name = snapshot.metadata.name!;
  const annotations = Object.fromEntries(Object.entries(snapshot.metadata.annotations ?? {}).filter(([k]) => !SKIPPED_ANNOTATIONS.has(k)));
  return normalize({
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshot',
    metadata: {
      name: suffixedName(name, String(claim.node)),
      namespace: snapshot.metadata.namespace,
      labels: {
        ...snapshot.metadata.labels,
        [LABEL_CLUSTER_ID]: snapshot.spec['cluster-id'],
        [LABEL_NODE_INDEX]: String(claim.node),
        'app.kubernetes.io/managed-by': MANAGED_BY,
      },
      annotations: {
        ...annotations,
        [ANNOTATION_SNAPSHOT_POINT]: input.point,
        ...(claim.storageClassName ? { [ANNOTATION_SOURCE_STORAGE_CLASS]: claim.storageClassName } : {}),
        ...(claim.storage ? { [ANNOTATION_SOURCE_STORAGE]: claim.storage } : {}),
      },
      ownerReferences: snapshot.metadata.uid
        ? [{ apiVersion: QDRANT_API_VERSION, kind: 'QdrantClusterSnapshot', name, uid: snapshot.metadata.uid, controller: true, blockOwnerDeletion: true }]
        : undefined,
    },
    spec: { volumeSnapshotClassName: input.volumeSnapshotClassName, source: { persistentVolumeClaimName: claim.name } },
  });
}
