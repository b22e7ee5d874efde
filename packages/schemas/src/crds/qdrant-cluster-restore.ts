import * as z from 'zod';
import { Timestamp, dns1123Label, dns1123Subdomain } from '../k8s/index.ts';
import { ageColumn, checkClusterLabels, resourceEnvelope } from './common.ts';
import { QDRANT_GROUP, QDRANT_VERSION, type KindDefinition } from './kind.ts';

// QdrantClusterRestore: restores a QdrantClusterSnapshot into a new cluster or, in
// place, into the cluster it names.

export const RESTORE_PHASES = ['Running', 'Skipped', 'Failed', 'Succeeded', 'Pending'] as const;
export const RestorePhase = z.enum(RESTORE_PHASES);
export type RestorePhase = z.infer<typeof RestorePhase>;

export const RestoreSource = z.strictObject({
  /** The QdrantClusterSnapshot's name. */
  snapshotName: dns1123Subdomain,
  namespace: dns1123Label,
});

export const RestoreDestination = z.strictObject({
  /** The QdrantCluster's name (qdrant-<id>). */
  name: dns1123Subdomain,
  namespace: dns1123Label,
  /** true: create a new cluster with this name; false or unset: restore the existing one in place. */
  create: z.boolean().optional(),
});

export const QdrantClusterRestoreSpec = z.strictObject({ source: RestoreSource, destination: RestoreDestination });
export type QdrantClusterRestoreSpec = z.infer<typeof QdrantClusterRestoreSpec>;

export const QdrantClusterRestoreStatus = z.strictObject({
  phase: RestorePhase.optional(),
  /** Why it failed, e.g. the snapshot was not found. */
  message: z.string().optional(),
  // Ours: a reason word for Failed/Pending, the claims made from the snapshot, the step an
  // in-place restore is at, when it started and ended, and the generation the status describes.
  reason: z.string().optional(),
  restoredClaims: z.array(z.string()).optional(),
  step: z.enum(['Suspending', 'ReplacingVolumes', 'Resuming', 'Creating']).optional(),
  startedAt: Timestamp.optional(),
  completedAt: Timestamp.optional(),
  observedGeneration: z.int().min(0).optional(),
});
export type QdrantClusterRestoreStatus = z.infer<typeof QdrantClusterRestoreStatus>;

export const QdrantClusterRestore = z
  .strictObject({ ...resourceEnvelope('QdrantClusterRestore'), spec: QdrantClusterRestoreSpec, status: QdrantClusterRestoreStatus.optional() })
  .superRefine((restore, ctx) => {
    // The spec names the cluster only through the snapshot, so only presence is checked.
    checkClusterLabels(restore.metadata, undefined, [], ctx);
  });
export type QdrantClusterRestore = z.infer<typeof QdrantClusterRestore>;

export const qdrantClusterRestoreKind = {
  group: QDRANT_GROUP,
  version: QDRANT_VERSION,
  kind: 'QdrantClusterRestore',
  plural: 'qdrantclusterrestores',
  singular: 'qdrantclusterrestore',
  listKind: 'QdrantClusterRestoreList',
  shortNames: ['qcrs', 'qcr'],
  categories: ['qdrant'],
  scope: 'Namespaced',
  printerColumns: [{ name: 'Phase', type: 'string', jsonPath: '.status.phase' }, ageColumn()],
  subresources: { status: true },
  preserveUnknownFields: { spec: false, status: true },
  description: 'QdrantClusterRestore restores a QdrantClusterSnapshot into a new or an existing QdrantCluster.',
  schema: QdrantClusterRestore,
  spec: QdrantClusterRestoreSpec,
  status: QdrantClusterRestoreStatus,
} as const satisfies KindDefinition;
