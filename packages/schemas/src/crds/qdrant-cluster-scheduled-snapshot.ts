import * as z from 'zod';
import { Timestamp } from '../k8s/index.ts';
import { Retention, ageColumn, checkClusterLabels, resourceEnvelope } from './common.ts';
import { checkCronSchedule } from './cron.ts';
import { QDRANT_GROUP, QDRANT_VERSION, type KindDefinition } from './kind.ts';

// QdrantClusterScheduledSnapshot: takes QdrantClusterSnapshots of a cluster on a cron
// schedule (UTC) and gives each the schedule's retention.

/**
 * Upstream's CRD pattern for `schedule`, verbatim. Its anchors bind to the first and last
 * alternatives only, so it checks the shape loosely; checkCronSchedule checks the values.
 */
export const CRON_PATTERN_SOURCE = String.raw`^(@(annually|yearly|monthly|weekly|daily|hourly|reboot))|(@every (\d+(ns|us|µs|ms|s|m|h))+)|((((\d+,)+\d+|([\d\*]+(\/|-)\d+)|\d+|\*) ?){5,7})$`;
export const CRON_PATTERN = new RegExp(CRON_PATTERN_SOURCE);

export const CronSchedule = z
  .string()
  .superRefine((schedule, ctx) => {
    // One message, the most specific: the value check first, then the apiserver's pattern.
    const problem =
      checkCronSchedule(schedule) ?? (CRON_PATTERN.test(schedule) ? undefined : 'use numbers, "*", ",", "-" and "/" only, e.g. "0 2 * * *" or "*/15 * * * *"');
    if (problem) ctx.addIssue({ code: 'custom', message: `is not a valid schedule: ${problem}` });
  })
  // The pattern goes into the CRD through meta, so the apiserver refuses what upstream's refuses.
  .meta({ pattern: CRON_PATTERN_SOURCE });

export const SCHEDULED_SNAPSHOT_PHASES = ['Active', 'Disabled'] as const;
export const ScheduledSnapshotPhase = z.enum(SCHEDULED_SNAPSHOT_PHASES);
export type ScheduledSnapshotPhase = z.infer<typeof ScheduledSnapshotPhase>;

export const QdrantClusterScheduledSnapshotSpec = z.strictObject({
  /** The QdrantCluster's spec.id; the cluster lives in this object's namespace. */
  'cluster-id': z.string().min(1),
  /** Identifies the schedule; copied to the snapshots it makes. */
  scheduleShortId: z.string().min(1).max(8),
  /** Cron, in UTC. */
  schedule: CronSchedule,
  retention: Retention,
});
export type QdrantClusterScheduledSnapshotSpec = z.infer<typeof QdrantClusterScheduledSnapshotSpec>;

export const QdrantClusterScheduledSnapshotStatus = z.strictObject({
  phase: ScheduledSnapshotPhase.optional(),
  /** The next run, UTC. */
  scheduled: Timestamp.optional(),
  /** Why the schedule is Disabled, e.g. an invalid schedule. */
  message: z.string().optional(),
  // No fields of ours: upstream's CRD neither lists nor preserves them here, so an
  // operator writing them would fail against it.
});
export type QdrantClusterScheduledSnapshotStatus = z.infer<typeof QdrantClusterScheduledSnapshotStatus>;

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
    { name: 'clusterid', type: 'string', jsonPath: '.spec.cluster-id' },
    { name: 'scheduleShortId', type: 'string', jsonPath: '.spec.scheduleShortId' },
    { name: 'schedule', type: 'string', jsonPath: '.spec.schedule' },
    { name: 'retention', type: 'string', jsonPath: '.spec.retention' },
    { name: 'scheduled', type: 'string', jsonPath: '.status.scheduled' },
    ageColumn('age'),
  ],
  subresources: { status: true },
  preserveUnknownFields: { spec: false, status: false },
  description: 'QdrantClusterScheduledSnapshot takes QdrantClusterSnapshots of a cluster on a cron schedule (UTC) and keeps them for a retention.',
  schema: QdrantClusterScheduledSnapshot,
  spec: QdrantClusterScheduledSnapshotSpec,
  status: QdrantClusterScheduledSnapshotStatus,
} as const satisfies KindDefinition;
