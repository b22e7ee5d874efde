import { qdrantClusterRestoreKind, qdrantClusterScheduledSnapshotKind, qdrantClusterSnapshotKind } from './backup.ts';
import { qdrantCloudRegionKind } from './cloud-region.ts';
import { qdrantEntityKind, qdrantReleaseKind } from './entity.ts';
import type { KindDefinition } from './kind.ts';
import { QDRANT_API_VERSION } from './kind.ts';
import { qdrantClusterKind } from './qdrant-cluster.ts';

export * from './annotations.ts';
export * from './backup.ts';
export * from './cloud-region.ts';
export { QdrantSecretKeyRef } from './common.ts';
export { checkCronSchedule } from './cron.ts';
export * from './entity.ts';
export * from './kind.ts';
export * from './qdrant-cluster.ts';

/** Every qdrant.io/v1 kind, in the order their CRDs are installed. */
export const allKinds: readonly KindDefinition[] = [
  qdrantClusterKind,
  qdrantClusterSnapshotKind,
  qdrantClusterScheduledSnapshotKind,
  qdrantClusterRestoreKind,
  qdrantEntityKind,
  qdrantReleaseKind,
  qdrantCloudRegionKind,
];

function isKind(kind: string) {
  return (value: unknown): boolean => {
    if (typeof value !== 'object' || value === null) return false;
    const object = value as { apiVersion?: unknown; kind?: unknown };
    return object.apiVersion === QDRANT_API_VERSION && object.kind === kind;
  };
}

// Cheap guards for hot paths (informer callbacks): identity only, no validation.
export const isQdrantCluster = isKind('QdrantCluster');
export const isQdrantClusterSnapshot = isKind('QdrantClusterSnapshot');
export const isQdrantClusterScheduledSnapshot = isKind('QdrantClusterScheduledSnapshot');
export const isQdrantClusterRestore = isKind('QdrantClusterRestore');
export const isQdrantEntity = isKind('QdrantEntity');
export const isQdrantRelease = isKind('QdrantRelease');
export const isQdrantCloudRegion = isKind('QdrantCloudRegion');
