import * as z from 'zod';
import { dns1123Label, dns1123Subdomain } from '../k8s/index.ts';
import { AGE_COLUMN, Timestamp, checkClusterLabels, resourceEnvelope } from './common.ts';
import { checkCronSchedule } from './cron.ts';
import { QDRANT_GROUP, QDRANT_VERSION, type KindDefinition } from './kind.ts';

// QdrantClusterSnapshot, QdrantClusterScheduledSnapshot and QdrantClusterRestore: backups
// are CSI VolumeSnapshots of a cluster's PVCs, one per volume, as in Qdrant's operator.

/** Hours, as "72h": how long a snapshot is kept. */
export const Retention = z.string().regex(/^[0-9]+h$/, 'must be a number of hours such as "72h"');

export const BackupPhase = z.enum(['Running', 'Skipped', 'Failed', 'Succeeded']);
export type BackupPhase = z.infer<typeof BackupPhase>;

export const VolumeSnapshotStatus = z.strictObject({
  volumeSnapshotName: z.string(),
  volumeName: z.string().optional(),
  readyToUse: z.boolean().optional(),
  snapshotHandle: z.string().optional(),
  error: z.strictObject({ message: z.string().optional(), time: z.string().optional() }).optional(),
  events: z.array(z.looseObject({ message: z.string().optional(), reason: z.string().optional() })).optional(),
});

export const QdrantClusterSnapshotSpec = z.strictObject({
  'cluster-id': z.string().min(1),
  'creation-timestamp': z.int().optional(),
  scheduleShortId: z.string().max(8).optional(),
  retention: Retention.optional(),
});

export const QdrantClusterSnapshotStatus = z.strictObject({
  phase: BackupPhase.optional(),
  reason: z.string().optional(),
  volumeSnapshots: z.array(VolumeSnapshotStatus).optional(),
  retainUntil: Timestamp.optional(),
  /** How long the backup took, e.g. "1d3h5m10s". */
  completionTime: z.string().optional(),
  startTime: Timestamp.optional(),
  completedAt: Timestamp.optional(),
  observedGeneration: z.int().min(0).optional(),
});

export const QdrantClusterSnapshot = z
  .strictObject({
    ...resourceEnvelope('QdrantClusterSnapshot'),
    spec: QdrantClusterSnapshotSpec,
    status: QdrantClusterSnapshotStatus.optional(),
  })
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
  printerColumns: [
    { name: 'ClusterId', type: 'string', jsonPath: '.spec.cluster-id' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'RetainUntil', type: 'string', jsonPath: '.status.retainUntil' },
    { name: 'Completion-Time', type: 'string', jsonPath: '.status.completionTime' },
    AGE_COLUMN,
  ],
  subresources: { status: true },
  preserveUnknownFields: { spec: false, status: false },
  description: 'QdrantClusterSnapshot is an on-demand backup of a QdrantCluster: one VolumeSnapshot per volume.',
  schema: QdrantClusterSnapshot,
  spec: QdrantClusterSnapshotSpec,
  status: QdrantClusterSnapshotStatus,
} as const satisfies KindDefinition;

/** Qdrant's CRD pattern for schedules (shape only); checkCronSchedule checks the values. */
export const CRON_PATTERN =
  /^(@(annually|yearly|monthly|weekly|daily|hourly|reboot))|(@every (\d+(ns|us|µs|ms|s|m|h))+)|((((\d+,)+\d+|([\d*]+(\/|-)\d+)|\d+|\*) ?){5,7})$/;

export const CronSchedule = z.string().superRefine((schedule, ctx) => {
  const problem = checkCronSchedule(schedule);
  if (problem) ctx.addIssue({ code: 'custom', message: `is not a valid schedule: ${problem}` });
});

export const QdrantClusterScheduledSnapshotSpec = z.strictObject({
  'cluster-id': z.string().min(1),
  scheduleShortId: z.string().min(1).max(8),
  /** Cron in UTC. */
  schedule: CronSchedule,
  retention: Retention,
});

export const QdrantClusterScheduledSnapshotStatus = z.strictObject({
  phase: z.enum(['Active', 'Disabled']).optional(),
  /** The next run, UTC. */
  scheduled: Timestamp.optional(),
  lastScheduled: Timestamp.optional(),
  message: z.string().optional(),
  observedGeneration: z.int().min(0).optional(),
});

export const QdrantClusterScheduledSnapshot = z
  .strictObject({
    ...resourceEnvelope('QdrantClusterScheduledSnapshot'),
    spec: QdrantClusterScheduledSnapshotSpec,
    status: QdrantClusterScheduledSnapshotStatus.optional(),
  })
  .superRefine((schedule, ctx) => {
    checkClusterLabels(schedule.metadata, schedule.spec['cluster-id'], ['spec', 'cluster-id'], ctx);
  });
export type QdrantClusterScheduledSnapshot = z.infer<typeof QdrantClusterScheduledSnapshot>;

export const qdrantClusterScheduledSnapshotKind = {
  group: QDRANT_GROUP,
  version: QDRANT_VERSION,
  kind: 'QdrantClusterScheduledSnapshot',
  plural: 'qdrantclusterscheduledsnapshots',
  singular: 'qdrantclusterscheduledsnapshot',
  listKind: 'QdrantClusterScheduledSnapshotList',
  shortNames: ['qcssnap', 'qcssnaps'],
  categories: ['qdrant'],
  scope: 'Namespaced',
  printerColumns: [
    { name: 'ClusterId', type: 'string', jsonPath: '.spec.cluster-id' },
    { name: 'ScheduleShortId', type: 'string', jsonPath: '.spec.scheduleShortId' },
    { name: 'Schedule', type: 'string', jsonPath: '.spec.schedule' },
    { name: 'Retention', type: 'string', jsonPath: '.spec.retention' },
    { name: 'Scheduled', type: 'string', jsonPath: '.status.scheduled' },
    AGE_COLUMN,
  ],
  subresources: { status: true },
  preserveUnknownFields: { spec: false, status: false },
  description: 'QdrantClusterScheduledSnapshot takes QdrantClusterSnapshots of a cluster on a cron schedule (UTC) and keeps them for a retention.',
  schema: QdrantClusterScheduledSnapshot,
  spec: QdrantClusterScheduledSnapshotSpec,
  status: QdrantClusterScheduledSnapshotStatus,
} as const satisfies KindDefinition;

export const RestorePhase = z.enum(['Running', 'Skipped', 'Failed', 'Succeeded', 'Pending']);

export const QdrantClusterRestoreSpec = z.strictObject({
  source: z.strictObject({
    snapshotName: dns1123Subdomain,
    namespace: dns1123Label,
  }),
  destination: z.strictObject({
    name: dns1123Subdomain,
    namespace: dns1123Label,
    /** true: create a new cluster with this name; false: restore the existing cluster in place. */
    create: z.boolean().default(false),
  }),
});

export const QdrantClusterRestoreStatus = z.strictObject({
  phase: RestorePhase.optional(),
  message: z.string().optional(),
  reason: z.string().optional(),
  observedGeneration: z.int().min(0).optional(),
});

export const QdrantClusterRestore = z
  .strictObject({
    ...resourceEnvelope('QdrantClusterRestore'),
    spec: QdrantClusterRestoreSpec,
    status: QdrantClusterRestoreStatus.optional(),
  })
  .superRefine((restore, ctx) => {
    // A restore names its cluster through its source snapshot, so only presence is checked.
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
  shortNames: ['qcr', 'qcrs'],
  categories: ['qdrant'],
  scope: 'Namespaced',
  printerColumns: [{ name: 'Phase', type: 'string', jsonPath: '.status.phase' }, AGE_COLUMN],
  subresources: { status: true },
  preserveUnknownFields: { spec: false, status: false },
  description: 'QdrantClusterRestore restores a QdrantClusterSnapshot into a new or an existing QdrantCluster.',
  schema: QdrantClusterRestore,
  spec: QdrantClusterRestoreSpec,
  status: QdrantClusterRestoreStatus,
} as const satisfies KindDefinition;
