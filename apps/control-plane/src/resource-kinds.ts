import { QdrantClusterRestoreSpec, QdrantClusterScheduledSnapshotSpec, QdrantClusterSnapshotSpec } from '@qhc/schemas';

/** The qdrant.io kinds a region holds besides clusters, by their API path. */
export const RESOURCE_KINDS = {
  backups: { kind: 'QdrantClusterSnapshot', spec: QdrantClusterSnapshotSpec },
  'backup-schedules': { kind: 'QdrantClusterScheduledSnapshot', spec: QdrantClusterScheduledSnapshotSpec },
  restores: { kind: 'QdrantClusterRestore', spec: QdrantClusterRestoreSpec },
} as const;
export type ResourcePath = keyof typeof RESOURCE_KINDS;
