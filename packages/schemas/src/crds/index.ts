import type { KindDefinition } from './kind.ts';
import { QDRANT_API_VERSION } from './kind.ts';
import { qdrantCloudRegionKind } from './qdrant-cloud-region.ts';
import { qdrantClusterRestoreKind } from './qdrant-cluster-restore.ts';
import { qdrantClusterScheduledSnapshotKind } from './qdrant-cluster-scheduled-snapshot.ts';
import { qdrantClusterSnapshotKind } from './qdrant-cluster-snapshot.ts';
import { qdrantClusterKind } from './qdrant-cluster.ts';
import { qdrantEntityKind } from './qdrant-entity.ts';
import { qdrantReleaseKind } from './qdrant-release.ts';
import type { QdrantCloudRegion } from './qdrant-cloud-region.ts';
import type { QdrantClusterRestore } from './qdrant-cluster-restore.ts';
import type { QdrantClusterScheduledSnapshot } from './qdrant-cluster-scheduled-snapshot.ts';
import type { QdrantClusterSnapshot } from './qdrant-cluster-snapshot.ts';
import type { QdrantCluster } from './qdrant-cluster.ts';
import type { QdrantEntity } from './qdrant-entity.ts';
import type { QdrantRelease } from './qdrant-release.ts';

export * from './annotations.ts';
export { KubernetesEventInfo, QdrantSecretKeyRef, Retention } from './common.ts';
export { checkCronSchedule, dueCronTime, nextCronTime } from './cron.ts';
export * from './kind.ts';
export * from './qdrant-cloud-region.ts';
export * from './qdrant-cluster-config.ts';
export * from './qdrant-cluster-restore.ts';
export * from './qdrant-cluster-scheduled-snapshot.ts';
export * from './qdrant-cluster-snapshot.ts';
export * from './qdrant-cluster-status.ts';
export * from './qdrant-cluster.ts';
export * from './qdrant-entity.ts';
export * from './qdrant-release.ts';

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

/** A guard that checks identity only: apiVersion and kind, no validation. */
function isKind<T>(kind: string) {
  return (value: unknown): value is T => {
    if (typeof value !== 'object' || value === null) return false;
    const object = value as { apiVersion?: unknown; kind?: unknown };
    return object.apiVersion === QDRANT_API_VERSION && object.kind === kind;
  };
}

// Cheap guards for hot paths (informer callbacks). They narrow the type on trust: the
// apiserver validated the object against the CRD; call the schema for the code-side rules.
export const isQdrantCluster = isKind<QdrantCluster>(qdrantClusterKind.kind);
export const isQdrantClusterSnapshot = isKind<QdrantClusterSnapshot>(qdrantClusterSnapshotKind.kind);
export const isQdrantClusterScheduledSnapshot = isKind<QdrantClusterScheduledSnapshot>(qdrantClusterScheduledSnapshotKind.kind);
export const isQdrantClusterRestore = isKind<QdrantClusterRestore>(qdrantClusterRestoreKind.kind);
export const isQdrantEntity = isKind<QdrantEntity>(qdrantEntityKind.kind);
export const isQdrantRelease = isKind<QdrantRelease>(qdrantReleaseKind.kind);
export const isQdrantCloudRegion = isKind<QdrantCloudRegion>(qdrantCloudRegionKind.kind);
