import * as z from 'zod';
import { Timestamp } from '../k8s/index.ts';
import { KubernetesEventInfo, Retention, ageColumn, checkClusterLabels, resourceEnvelope } from './common.ts';
import { QDRANT_GROUP, QDRANT_VERSION, type KindDefinition } from './kind.ts';

// QdrantClusterSnapshot: an on-demand backup of a cluster, taken as one CSI
// VolumeSnapshot per PVC (not Qdrant's snapshot API), as in Qdrant's operator.

export const SNAPSHOT_PHASES = ['Running', 'Skipped', 'Failed', 'Succeeded'] as const;
export const SnapshotPhase = z.enum(SNAPSHOT_PHASES);
export type SnapshotPhase = z.infer<typeof SnapshotPhase>;

/** external-snapshotter's VolumeSnapshotError. */
export const VolumeSnapshotError = z.strictObject({ message: z.string().optional(), time: Timestamp.optional() });

export const VolumeSnapshotInfo = z.strictObject({
  volumeSnapshotName: z.string().min(1),
  /** The PVC that was backed up. */
  volumeName: z.string().min(1),
  readyToUse: z.boolean().optional(),
  /** The snapshot's id at the storage provider. */
  snapshotHandle: z.string().optional(),
  error: VolumeSnapshotError.optional(),
  /** Events of the VolumeSnapshot from the last 30 minutes. */
  events: z.array(KubernetesEventInfo).optional(),
});
export type VolumeSnapshotInfo = z.infer<typeof VolumeSnapshotInfo>;

export const QdrantClusterSnapshotSpec = z.strictObject({
  /** The QdrantCluster's spec.id; the cluster lives in this snapshot's namespace. */
  'cluster-id': z.string().min(1),
  /** When the backup was taken, in Unix seconds. */
  'creation-timestamp': z.int().optional(),
  /** Set only on snapshots a QdrantClusterScheduledSnapshot made. */
  scheduleShortId: z.string().max(8).optional(),
  /** Unset: kept until deleted by hand. */
  retention: Retention.optional(),
});
export type QdrantClusterSnapshotSpec = z.infer<typeof QdrantClusterSnapshotSpec>;

export const QdrantClusterSnapshotStatus = z.strictObject({
  phase: SnapshotPhase.optional(),
  volumeSnapshots: z.array(VolumeSnapshotInfo).optional(),
  /** When the snapshot will be deleted (UTC), if it has a retention. */
  retainUntil: Timestamp.optional(),
  /** How long the backup took: a Go duration string such as "3h5m10s". */
  completionTime: z.string().optional(),
  // Ours: why the phase is Failed or Skipped (a reason word and a sentence), when the
  // backup started and ended, and the generation the status describes.
  reason: z.string().optional(),
  message: z.string().optional(),
  startedAt: Timestamp.optional(),
  completedAt: Timestamp.optional(),
  observedGeneration: z.int().min(0).optional(),
});
export type QdrantClusterSnapshotStatus = z.infer<typeof QdrantClusterSnapshotStatus>;

export const QdrantClusterSnapshot = z
  .strictObject({ ...resourceEnvelope('QdrantClusterSnapshot'), spec: QdrantClusterSnapshotSpec, status: QdrantClusterSnapshotStatus.optional() })
  .superRefine((snapshot, ctx) => {
    checkClusterLabels(snapshot.metadata, snapshot.spec['cluster-id'], ['spec', 'cluster-id'], ctx);
  });
export type QdrantClusterSnapshot = z.infer<typeof QdrantClusterSnapshot>;

export const qdrantClusterSnapshotKind = {
  group: QDRANT_GROUP,
  version: QDRANT_VERSION,
  kind: 'QdrantClusterSnapshot',
  plural: 'qdrantclustersnapshots',
  singular: 'qdrantclustersnapshot',
  listKind: 'QdrantClusterSnapshotList',
  shortNames: ['qcsnap', 'qcsnaps'],
  categories: ['qdrant'],
  scope: 'Namespaced',
  // Names as upstream spells them, case included: scripts parse `kubectl get` output.
  printerColumns: [
    { name: 'clusterid', type: 'string', jsonPath: '.spec.cluster-id' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'retainUntil', type: 'string', jsonPath: '.status.retainUntil' },
    { name: 'completion-time', type: 'string', jsonPath: '.status.completionTime' },
    ageColumn('age'),
  ],
  subresources: { status: true },
  preserveUnknownFields: { spec: false, status: true },
  description: 'QdrantClusterSnapshot is an on-demand backup of a QdrantCluster: one VolumeSnapshot per volume.',
  schema: QdrantClusterSnapshot,
  spec: QdrantClusterSnapshotSpec,
  status: QdrantClusterSnapshotStatus,
} as const satisfies KindDefinition;
