// Backups, backup schedules and restores through the Cloud API (BackupService; a restore into a
// new cluster is ClusterService's CreateClusterFromBackup), scoped to one region's clusters.
import { backupV1, type clusterV1 } from '@qhc/cloud-api';
import { allPages, asJson, viewOf, type Json } from '../cloud.ts';
import { confirmOrExit } from '../confirm.ts';
import { CliError, EXIT } from '../exit.ts';
import { age, checkFormat, print, type Column } from '../output.ts';
import { parseDuration, waitUntil } from '../progress.ts';
import { cloud, environmentOfTarget } from './cluster-cloud.ts';
import type { Target } from './cluster-targets.ts';
import { clusterOf, clustersIn } from './resolve.ts';

type Row = Json & { id: string; name?: string; displayName?: string; clusterId: string; status?: string; createdAt?: string; cluster: string };
/** The status without its enum prefix; one a newer control plane sent (a number to this qhc) as that number. */
const trim = (status: unknown, prefix: string) =>
  typeof status === 'string' ? status.replace(prefix, '') : status === undefined ? 'UNSPECIFIED' : String(status);
/** A Duration's proto JSON ("259200s") as hours when whole ("72h"). */
const hours = (d: unknown) =>
  typeof d === 'string' && /^\d+s$/.test(d) && Number(d.slice(0, -1)) % 3600 === 0 ? `${Number(d.slice(0, -1)) / 3600}h` : (d as string | undefined);
const label = (r: Row) => r.displayName || r.name || r.id;

const BACKUP_COLUMNS: Column<Row>[] = [
  { header: 'name', value: label },
  { header: 'id', value: (r) => r.id, wide: true },
  { header: 'cluster', value: (r) => r.cluster },
  { header: 'status', value: (r) => trim(r.status, 'BACKUP_STATUS_') },
  { header: 'retention', value: (r) => hours(r.retentionPeriod) ?? '<forever>' },
  { header: 'age', value: (r) => age(r.createdAt) },
];
const SCHEDULE_COLUMNS: Column<Row>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'cluster', value: (r) => r.cluster },
  { header: 'schedule', value: (r) => r.schedule as string },
  { header: 'retention', value: (r) => hours(r.retentionPeriod) },
  { header: 'status', value: (r) => trim(r.status, 'BACKUP_SCHEDULE_STATUS_') },
];
const RESTORE_COLUMNS: Column<Row>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'backup', value: (r) => r.backupId as string },
  { header: 'cluster', value: (r) => r.cluster },
  { header: 'status', value: (r) => trim(r.status, 'BACKUP_RESTORE_STATUS_') },
  { header: 'age', value: (r) => age(r.createdAt) },
];

/** The region's clusters by id, and the clusters named by name or id. */
async function scope(t: Target) {
  const api = cloud(t);
  const environment = await environmentOfTarget(api, t);
  const clusters = new Map((await clustersIn(api, environment.id)).map((c) => [c.id, c]));
  return { api, environment, clusters, cluster: (ref: string) => clusterOf(api, environment, ref) };
}
type Scope = Awaited<ReturnType<typeof scope>>;

const rowOf =
  <M extends backupV1.Backup | backupV1.BackupSchedule | backupV1.BackupRestore>(schema: Parameters<typeof viewOf>[0], s: Scope) =>
  (m: M): Row =>
    viewOf(schema, m as never, (json) => ({ ...(json as Row), cluster: s.clusters.get(m.clusterId)?.name ?? m.clusterId }));
const show = (rows: Row | Row[], columns: Column<Row>[], kind: string, t: Target) =>
  print(rows, { format: checkFormat(t.output), noHeaders: t.noHeaders, columns, name: (r) => label(r), kind });

/** "72h", "30m", "90s" as a Duration's proto JSON. */
const retention = (text: string) => `${parseDuration(text) / 1000}s`;

/** The region's backups (of one cluster), or the first `max` of them: each page keeps the region's only. */
async function backups(s: Scope, clusterId?: string, max?: number): Promise<backupV1.Backup[]> {
  const { api } = s;
  return allPages(async (pageToken, pageSize) => {
    const answer = await api.call('ListBackups', () =>
      api.backups.listBackups({ accountId: api.accountId, ...(clusterId ? { clusterId } : {}), pageSize, pageToken }),
    );
    return { items: answer.items.filter((b) => s.clusters.has(b.clusterId)), ...(answer.nextPageToken ? { nextPageToken: answer.nextPageToken } : {}) };
  }, max);
}

async function backupOf(s: Scope, ref: string): Promise<backupV1.Backup> {
  const all = await backups(s);
  const found = all.find((b) => b.id === ref) ?? all.find((b) => b.name === ref || b.displayName === ref);
  if (!found) throw new CliError(`backup "${ref}" does not exist in region ${s.environment.name}`, { code: EXIT.notFound, hint: 'see `qhc backup list`' });
  return found;
}

export async function cloudBackupCreate(
  ref: string,
  options: { name?: string; retention?: string; wait?: boolean; timeout?: string },
  t: Target,
): Promise<void> {
  const s = await scope(t);
  const cluster = await s.cluster(ref);
  const { api } = s;
  const { fromJson } = await import('@bufbuild/protobuf');
  const message = fromJson(backupV1.BackupSchema, {
    accountId: api.accountId,
    clusterId: cluster.id,
    displayName: options.name ?? `${cluster.name}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-').toLowerCase()}`,
    ...(options.retention ? { retentionPeriod: retention(options.retention) } : {}),
  });
  let created = (await api.call('CreateBackup', () => api.backups.createBackup({ backup: message }))).backup!;
  process.stderr.write(`backup ${created.displayName || created.name || created.id} of cluster ${cluster.name} requested\n`);
  if (options.wait) created = await waitBackup(s, created.id, options.timeout);
  await show(rowOf(backupV1.BackupSchema, s)(created), BACKUP_COLUMNS, 'backup', t);
}

async function waitBackup(s: Scope, id: string, timeout: string | undefined): Promise<backupV1.Backup> {
  let last: backupV1.Backup | undefined;
  const status = () => trim(asJson(backupV1.BackupSchema, last!).status, 'BACKUP_STATUS_');
  await waitUntil(
    `backup ${id}`,
    async () => {
      last = (await s.api.call('GetBackup', () => s.api.backups.getBackup({ accountId: s.api.accountId, backupId: id }))).backup!;
      return { done: ['SUCCEEDED', 'FAILED', 'SKIPPED'].includes(status()), phase: status() };
    },
    { timeoutMs: parseDuration(timeout ?? '30m') },
  );
  if (status() !== 'SUCCEEDED') throw new CliError(`backup ${id} ended ${status()}`);
  return last!;
}

export async function cloudBackupList(options: { cluster?: string; limit?: number }, t: Target): Promise<void> {
  const s = await scope(t);
  const clusterId = options.cluster ? (await s.cluster(options.cluster)).id : undefined;
  await show((await backups(s, clusterId, options.limit)).map(rowOf(backupV1.BackupSchema, s)), BACKUP_COLUMNS, 'backup', t);
}

export async function cloudBackupDelete(ref: string, options: { yes?: boolean; dryRun?: boolean }, t: Target): Promise<void> {
  const s = await scope(t);
  const backup = await backupOf(s, ref);
  if (options.dryRun) return void process.stderr.write(`backup ${ref} would be deleted (dry run)\n`);
  await confirmOrExit(`Delete backup ${ref} and its volume snapshots?`, options);
  await s.api.call('DeleteBackup', () => s.api.backups.deleteBackup({ accountId: s.api.accountId, backupId: backup.id }));
  process.stderr.write(`backup ${ref} deleted\n`);
}

export async function cloudScheduleCreate(ref: string, options: { schedule: string; retention: string }, t: Target): Promise<void> {
  const s = await scope(t);
  const cluster = await s.cluster(ref);
  const { fromJson } = await import('@bufbuild/protobuf');
  const message = fromJson(backupV1.BackupScheduleSchema, {
    accountId: s.api.accountId,
    clusterId: cluster.id,
    schedule: options.schedule,
    retentionPeriod: retention(options.retention),
  });
  const created = (await s.api.call('CreateBackupSchedule', () => s.api.backups.createBackupSchedule({ backupSchedule: message }))).backupSchedule!;
  await show(rowOf(backupV1.BackupScheduleSchema, s)(created), SCHEDULE_COLUMNS, 'schedule', t);
}

async function schedules(s: Scope): Promise<backupV1.BackupSchedule[]> {
  const all = await allPages((pageToken, pageSize) =>
    s.api.call('ListBackupSchedules', () => s.api.backups.listBackupSchedules({ accountId: s.api.accountId, pageSize, pageToken })),
  );
  return all.filter((b) => s.clusters.has(b.clusterId));
}

export async function cloudScheduleList(options: { limit?: number }, t: Target): Promise<void> {
  const s = await scope(t);
  await show((await schedules(s)).slice(0, options.limit).map(rowOf(backupV1.BackupScheduleSchema, s)), SCHEDULE_COLUMNS, 'schedule', t);
}

export async function cloudScheduleDelete(id: string, options: { yes?: boolean; dryRun?: boolean }, t: Target): Promise<void> {
  const s = await scope(t);
  const schedule = (await schedules(s)).find((x) => x.id === id || x.displayName === id);
  if (!schedule)
    throw new CliError(`backup schedule "${id}" does not exist in region ${s.environment.name}`, {
      code: EXIT.notFound,
      hint: 'see `qhc backup schedule list`',
    });
  if (options.dryRun) return void process.stderr.write(`backup schedule ${id} would be deleted (dry run)\n`);
  await confirmOrExit(`Delete backup schedule ${id}?`, options);
  await s.api.call('DeleteBackupSchedule', () => s.api.backups.deleteBackupSchedule({ accountId: s.api.accountId, backupScheduleId: schedule.id }));
  process.stderr.write(`backup schedule ${id} deleted\n`);
}

async function restores(s: Scope): Promise<backupV1.BackupRestore[]> {
  const all = await allPages((pageToken, pageSize) =>
    s.api.call('ListBackupRestores', () => s.api.backups.listBackupRestores({ accountId: s.api.accountId, pageSize, pageToken })),
  );
  return all.filter((b) => s.clusters.has(b.clusterId));
}

/** Into its own cluster (RestoreBackup), or into a new cluster named --to (CreateClusterFromBackup). */
export async function cloudRestoreCreate(ref: string, options: { to: string; new?: boolean }, t: Target): Promise<void> {
  const s = await scope(t);
  const backup = await backupOf(s, ref);
  const { api } = s;
  if (options.new) {
    const created = await api.call('CreateClusterFromBackup', () =>
      api.clusters.createClusterFromBackup({ accountId: api.accountId, backupId: backup.id, clusterName: options.to }),
    );
    process.stderr.write(`restore: backup ${ref} into the new cluster ${options.to}\n`);
    const { clusterRow } = await import('./cluster-cloud.ts');
    const { showRaw } = await import('./cluster-targets.ts');
    return showRaw(clusterRow(created.cluster as clusterV1.Cluster), t);
  }
  const into = await s.cluster(options.to);
  if (into.id !== backup.clusterId)
    throw new CliError(`backup ${ref} is of cluster ${s.clusters.get(backup.clusterId)?.name ?? backup.clusterId}, not ${into.name}`, {
      code: EXIT.usage,
      hint: 'a backup restores into its own cluster; add --new to make a new cluster from it',
    });
  await api.call('RestoreBackup', () => api.backups.restoreBackup({ accountId: api.accountId, backupId: backup.id }));
  process.stderr.write(`restore: backup ${ref} into the existing cluster ${into.name}\n`);
}

export async function cloudRestoreList(options: { limit?: number }, t: Target): Promise<void> {
  const s = await scope(t);
  await show((await restores(s)).slice(0, options.limit).map(rowOf(backupV1.BackupRestoreSchema, s)), RESTORE_COLUMNS, 'restore', t);
}

export async function cloudRestoreGet(id: string, t: Target): Promise<void> {
  const s = await scope(t);
  const found = (await restores(s)).find((r) => r.id === id);
  if (!found) throw new CliError(`restore "${id}" does not exist in region ${s.environment.name}`, { code: EXIT.notFound, hint: 'see `qhc restore list`' });
  await show(rowOf(backupV1.BackupRestoreSchema, s)(found), RESTORE_COLUMNS, 'restore', t);
}
