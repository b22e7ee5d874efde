import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { durationFromMs, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { BackupStatus, RestoreStatus, ScheduleStatus } from './enums.ts';
import { backupV1, clusterV1 } from '@qhc/cloud-api';
import type { AccountCluster, CloudResource } from '../../repositories/cloud-resources.ts';

// Rows to the backup service's messages (pure): the client's stored message, with every
// server-owned field filled from the row, the agent's report and the clusters of the account.

export const encodeMessage = <D extends DescMessage>(schema: D, message: MessageShape<D>): string => Buffer.from(toBinary(schema, message)).toString('base64');
export const decodeMessage = <D extends DescMessage>(schema: D, text: string | undefined): MessageShape<D> | undefined =>
  text === undefined ? undefined : fromBinary(schema, Buffer.from(text, 'base64'));

const timestamp = (iso: string | undefined) => (iso ? timestampFromDate(new Date(iso)) : undefined);

/** The cloud provider of every qhc cluster (Qdrant Cloud's name for self-hosted environments). */
export const HYBRID = 'hybrid';

/** The agent reports every few seconds: after two minutes of silence it no longer syncs (as the environment's status says). */
export const SYNC_WITHIN_MS = 120_000;

/**
 * The operator's snapshot phase in the API's words; no phase yet: not reported. A backup not
 * finished in a region whose agent went silent is of unknown state: the last report is stale.
 */
export function backupStatusOf(phase: string | undefined, regionSeenAt: string | undefined, now: number): backupV1.BackupStatus {
  const S = BackupStatus;
  const byPhase: Record<string, backupV1.BackupStatus> = { Running: S.RUNNING, Skipped: S.SKIPPED, Failed: S.FAILED, Succeeded: S.SUCCEEDED };
  const status = phase ? (byPhase[phase] ?? S.UNSPECIFIED) : S.UNSPECIFIED;
  const finished = status === S.SUCCEEDED || status === S.FAILED || status === S.SKIPPED;
  const silent = regionSeenAt !== undefined && now - Date.parse(regionSeenAt) > SYNC_WITHIN_MS;
  return silent && !finished ? S.UNKNOWN : status;
}

export function scheduleStatusOf(phase: string | undefined): backupV1.BackupScheduleStatus {
  const S = ScheduleStatus;
  return phase === 'Active' ? S.ACTIVE : phase === 'Disabled' ? S.DISABLED : S.UNSPECIFIED;
}

/** Pending (waiting for its snapshot) is a restore under way. */
export function restoreStatusOf(phase: string | undefined): backupV1.BackupRestoreStatus {
  const S = RestoreStatus;
  const byPhase: Record<string, backupV1.BackupRestoreStatus> = {
    Running: S.RUNNING,
    Pending: S.RUNNING,
    Failed: S.FAILED,
    Succeeded: S.SUCCEEDED,
    Skipped: S.SKIPPED,
  };
  return phase ? (byPhase[phase] ?? S.UNSPECIFIED) : S.UNSPECIFIED;
}

/** How long the backup took: from the operator's start and end times once it finished. */
function durationOf(status: CloudResource['status']): ReturnType<typeof durationFromMs> | undefined {
  const { startedAt, completedAt } = (status ?? {}) as { startedAt?: string; completedAt?: string };
  if (!startedAt || !completedAt) return undefined;
  const ms = Date.parse(completedAt) - Date.parse(startedAt);
  return Number.isFinite(ms) && ms >= 0 ? durationFromMs(ms) : undefined;
}

const QUANTITY = /^(\d+)([A-Za-z]*)$/;
function quantity(value: unknown, cpu = false): backupV1.ResourceQuantity | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const match = QUANTITY.exec(String(value));
  if (!match) return undefined;
  // CPU in millicores, as the API counts it; memory and disk in the unit the spec used.
  if (cpu && match[2] === '') return create(backupV1.ResourceQuantitySchema, { amount: Number(match[1]) * 1000, unit: 'm' });
  return create(backupV1.ResourceQuantitySchema, { amount: Number(match[1]), unit: match[2] });
}

/** The cluster's identity and configuration now: captured with each backup, its identity refreshed on every answer. */
export function clusterInfoOf(cluster: AccountCluster): backupV1.ClusterInfo {
  const spec = cluster.spec as { size?: number; version?: string; resources?: { cpu?: unknown; memory?: unknown; storage?: unknown } };
  const resources = spec.resources ?? {};
  return create(backupV1.ClusterInfoSchema, {
    name: cluster.name,
    cloudProviderId: HYBRID,
    cloudProviderRegionId: cluster.regionId,
    configuration: create(clusterV1.ClusterConfigurationSchema, {
      ...(spec.size ? { numberOfNodes: spec.size } : {}),
      ...(spec.version ? { version: spec.version } : {}),
    }),
    resourcesSummary: create(backupV1.ClusterResourcesSummarySchema, {
      cpu: quantity(resources.cpu, true),
      ram: quantity(resources.memory),
      disk: quantity(resources.storage),
    }),
    createdAt: timestamp(cluster.createdAt),
  });
}

/** Who the Cloud API says a row is about: its own record, else the cluster its region's objects name. */
const clusterOfRow = (row: CloudResource, clusters: Map<string, AccountCluster>) => clusters.get(`${row.regionId}/${row.clusterObjectId}`);

/**
 * The backup's message as stored: the client's, or for a backup made through /api/v1 (no
 * message) its name as the label and its spec's retention.
 */
export function storedBackupMessage(row: CloudResource): backupV1.Backup {
  const stored = decodeMessage(backupV1.BackupSchema, row.cloud.message);
  if (stored) return stored;
  const retention = row.spec.retention;
  return create(backupV1.BackupSchema, {
    displayName: row.name,
    ...(typeof retention === 'string' && /^\d+h$/.test(retention) ? { retentionPeriod: durationFromMs(Number.parseInt(retention, 10) * 3_600_000) } : {}),
  });
}

/** A schedule as its backups name it: by region, cluster and short id. */
export const scheduleKey = (regionId: string, clusterObjectId: string, shortId: string): string => `${regionId}/${clusterObjectId}/${shortId}`;

/** What a backup's answer reads besides its row: the account, its clusters and schedules. */
export interface BackupContext {
  accountId: string;
  /** Milliseconds since the epoch: the status says unknown when the agent has been silent since too long. */
  now: number;
  clusters: Map<string, AccountCluster>;
  schedules: Map<string, { id: string; displayName?: string }>;
}

export function toBackup(row: CloudResource, context: BackupContext): backupV1.Backup {
  const backup = storedBackupMessage(row);
  const cluster = clusterOfRow(row, context.clusters);
  const shortId = row.spec.scheduleShortId;
  const schedule = typeof shortId === 'string' ? context.schedules.get(scheduleKey(row.regionId, row.clusterObjectId, shortId)) : undefined;
  // A backup a schedule took is labelled as the schedule says (its display name), as Qdrant Cloud does.
  if (!row.cloud.message && schedule?.displayName) backup.displayName = schedule.displayName;
  const info = decodeMessage(backupV1.ClusterInfoSchema, row.cloud.clusterInfo) ?? (cluster ? clusterInfoOf(cluster) : undefined);
  if (info && cluster) info.name = cluster.name;
  return Object.assign(backup, {
    id: row.id,
    createdAt: timestamp(row.createdAt),
    accountId: backup.accountId || context.accountId,
    clusterId: backup.clusterId || (row.cloud.clusterId ?? cluster?.id ?? ''),
    name: row.name,
    status: backupStatusOf(row.status?.phase, row.regionSeenAt, context.now),
    deletedAt: timestamp(row.deletedAt),
    backupDuration: durationOf(row.status),
    ...(schedule ? { backupScheduleId: schedule.id } : {}),
    clusterInfo: info,
  });
}

export function toSchedule(row: CloudResource, accountId: string, clusters: Map<string, AccountCluster>): backupV1.BackupSchedule {
  const schedule =
    decodeMessage(backupV1.BackupScheduleSchema, row.cloud.message) ??
    create(backupV1.BackupScheduleSchema, { schedule: String(row.spec.schedule ?? ''), displayName: row.name });
  return Object.assign(schedule, {
    id: row.id,
    createdAt: timestamp(row.createdAt),
    accountId: schedule.accountId || accountId,
    clusterId: schedule.clusterId || (row.cloud.clusterId ?? clusterOfRow(row, clusters)?.id ?? ''),
    status: scheduleStatusOf(row.status?.phase),
    deletedAt: timestamp(row.deletedAt),
  });
}

export function toRestore(
  row: CloudResource,
  accountId: string,
  clusters: Map<string, AccountCluster>,
  backupIds: Map<string, string>,
): backupV1.BackupRestore {
  const source = (row.spec.source ?? {}) as { snapshotName?: string };
  return create(backupV1.BackupRestoreSchema, {
    id: row.id,
    createdAt: timestamp(row.createdAt),
    accountId,
    clusterId: row.cloud.clusterId ?? clusterOfRow(row, clusters)?.id ?? '',
    backupId: row.cloud.backupId ?? backupIds.get(`${row.regionId}/${source.snapshotName ?? ''}`) ?? '',
    status: restoreStatusOf(row.status?.phase),
    deletedAt: timestamp(row.deletedAt),
  });
}
