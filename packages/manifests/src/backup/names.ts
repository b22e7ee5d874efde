import { createHash } from 'node:crypto';

/** Labels and annotations of backup objects. */
export const LABEL_NODE_INDEX = 'qhc.dev/node-index';
export const LABEL_SCHEDULE_ID = 'qhc.dev/schedule-id';
/** On a VolumeSnapshot: the backup point all snapshots of one QdrantClusterSnapshot share. */
export const ANNOTATION_SNAPSHOT_POINT = 'qhc.dev/snapshot-point';
/** On a VolumeSnapshot: the source claim's StorageClass and requested size, for restore checks. */
export const ANNOTATION_SOURCE_STORAGE_CLASS = 'qhc.dev/source-storage-class';
export const ANNOTATION_SOURCE_STORAGE = 'qhc.dev/source-storage';
/** On a QdrantClusterSnapshot: the cluster's spec at backup time (JSON), to restore into a new cluster. */
export const ANNOTATION_CLUSTER_SPEC = 'qhc.dev/cluster-spec';
/** On a restored claim: the QdrantClusterRestore that made it. */
export const ANNOTATION_RESTORED_BY = 'qhc.dev/restored-by';
/**
 * On a QdrantCluster a restore created: the QdrantClusterRestore, the QdrantClusterSnapshot and
 * that snapshot's cluster id. They stay after the restore is deleted, so the agent can always
 * say where the cluster came from and the control plane adopt it.
 */
export const ANNOTATION_ORIGIN_RESTORE = 'qhc.dev/origin-restore';
export const ANNOTATION_ORIGIN_SNAPSHOT = 'qhc.dev/origin-snapshot';
export const ANNOTATION_ORIGIN_CLUSTER = 'qhc.dev/origin-cluster';

/** `<base>-<suffix>`, shortened with a hash of the whole when it would pass `max` characters. */
export function suffixedName(base: string, suffix: string, max = 253): string {
  const name = `${base}-${suffix}`;
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${base.slice(0, max - suffix.length - hash.length - 2).replace(/[-.]+$/, '')}-${hash}-${suffix}`;
}
