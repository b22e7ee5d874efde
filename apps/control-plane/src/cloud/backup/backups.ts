import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import { backupV1 } from '@qhc/cloud-api';
import { randomUUID } from 'node:crypto';
import {
  accountClustersByObject,
  clusterResources,
  insertCloudResource,
  markCloudResourcesDeleted,
  updateCloudResource,
  type ClusterRef,
} from '../../repositories/cloud-resources.ts';
import { callerOf, type CloudDeps } from '../context.ts';
import { requestId, uuidField, Problems } from './fields.ts';
import { BACKUP_KIND, backupOf, liveClusterOf, SCHEDULE_KIND, stampOf } from './lookups.ts';
import { clusterInfoOf, decodeMessage, encodeMessage, scheduleKey, storedBackupMessage, toBackup, type BackupContext } from './messages.ts';
import { backupObjectName } from './names.ts';
import { backupsToList } from './list-rows.ts';
import { checkPage, pageOf } from './pages.ts';
import { parseCreateBackup, parseUpdateBackup } from './requests.ts';
import { warnOfSnapshots } from './warnings.ts';

// Backups: one QdrantClusterSnapshot each, named after the backup's UUID.

type Impl = ServiceImpl<typeof backupV1.BackupService>;

/** The clusters and schedules the backups `rows` name (theirs only, not the account's), which their answers read. */
export async function backupContext(deps: CloudDeps, accountId: string, rows: ReadonlyArray<ClusterRef>): Promise<BackupContext> {
  const schedules = new Map<string, { id: string; displayName?: string }>();
  for (const row of await clusterResources(deps.db, accountId, SCHEDULE_KIND, rows)) {
    const message = decodeMessage(backupV1.BackupScheduleSchema, row.cloud.message);
    const shortId = String(row.spec.scheduleShortId ?? '');
    schedules.set(scheduleKey(row.regionId, row.clusterObjectId, shortId), {
      id: row.id,
      ...(message?.displayName ? { displayName: message.displayName } : {}),
    });
  }
  return { accountId, now: deps.now(), clusters: await accountClustersByObject(deps.db, accountId, rows), schedules };
}

async function answer(deps: CloudDeps, accountId: string, id: string): Promise<backupV1.Backup> {
  const row = await backupOf(deps, accountId, id);
  return toBackup(row, await backupContext(deps, accountId, [row]));
}

/** An optional filter of a list: a UUID when set. */
function filterId(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const problems = new Problems();
  const id = uuidField(problems, field, value);
  problems.throwIfAny();
  return id;
}

async function listBackups(deps: CloudDeps, req: backupV1.ListBackupsRequest, ctx: HandlerContext) {
  const { accountId } = callerOf(ctx);
  const clusterId = filterId('cluster_id', req.clusterId);
  const scheduleId = filterId('backup_schedule_id', req.backupScheduleId);
  checkPage(req);
  const rows = await backupsToList(deps, accountId, { ...(clusterId ? { clusterId } : {}), ...(scheduleId ? { scheduleId } : {}) });
  const context = await backupContext(deps, accountId, rows);
  const all = rows.map((row) => ({ row, backup: toBackup(row, context) }));
  const chosen = all
    .filter(
      ({ backup }) =>
        (clusterId === undefined || backup.clusterId.toLowerCase() === clusterId) && (scheduleId === undefined || backup.backupScheduleId === scheduleId),
    )
    .toSorted((a, b) => (a.row.createdAt < b.row.createdAt || (a.row.createdAt === b.row.createdAt && a.row.id < b.row.id) ? -1 : 1));
  const page = pageOf(
    chosen.map((c) => ({ id: c.row.id, createdAt: c.row.createdAt, backup: c.backup })),
    req,
  );
  return create(backupV1.ListBackupsResponseSchema, { ...page, items: page.items.map((i) => i.backup) });
}

async function createBackup(deps: CloudDeps, req: backupV1.CreateBackupRequest, ctx: HandlerContext) {
  const { accountId } = callerOf(ctx);
  const input = parseCreateBackup(req);
  const cluster = await liveClusterOf(deps, accountId, input.clusterId, 'backup.cluster_id');
  const id = randomUUID();
  const spec = { 'cluster-id': cluster.objectId, ...(input.retention ? { retention: input.retention } : {}) };
  const cloud = {
    message: encodeMessage(backupV1.BackupSchema, input.message),
    clusterId: cluster.id,
    clusterInfo: encodeMessage(backupV1.ClusterInfoSchema, clusterInfoOf(cluster)),
    clusterSpec: cluster.spec,
  };
  const resource = {
    id,
    regionId: cluster.regionId,
    regionName: cluster.regionName,
    kind: BACKUP_KIND,
    name: backupObjectName(id),
    clusterObjectId: cluster.objectId,
  };
  await insertCloudResource(deps.db, { ...resource, spec, cloud }, stampOf(deps));
  await warnOfSnapshots(deps, accountId, cluster.regionId, ctx);
  return { backup: await answer(deps, accountId, id) };
}

async function updateBackup(deps: CloudDeps, req: backupV1.UpdateBackupRequest, ctx: HandlerContext) {
  const { accountId } = callerOf(ctx);
  const { id, displayName } = parseUpdateBackup(req);
  const row = await backupOf(deps, accountId, id);
  // A backup a schedule took is the operator's object, not a row the control plane keeps a label in.
  if (row.found)
    throw new ConnectError(
      `backup.id: backup ${id} was taken by a schedule and is labelled by it; change the schedule's display_name`,
      Code.FailedPrecondition,
    );
  // Only the label changes: the region's object stays as it is (no new revision).
  const message = storedBackupMessage(row);
  message.displayName = displayName;
  await updateCloudResource(deps.db, row, { cloud: { ...row.cloud, message: encodeMessage(backupV1.BackupSchema, message) } }, stampOf(deps));
  return { backup: await answer(deps, accountId, id) };
}

export function backupHandlers(deps: CloudDeps): Pick<Impl, 'listBackups' | 'getBackup' | 'createBackup' | 'updateBackup' | 'deleteBackup'> {
  return {
    listBackups: (req, ctx) => listBackups(deps, req, ctx),
    async getBackup(req, ctx) {
      const { accountId } = callerOf(ctx);
      return { backup: await answer(deps, accountId, requestId('backup_id', req.backupId)) };
    },
    createBackup: (req, ctx) => createBackup(deps, req, ctx),
    updateBackup: (req, ctx) => updateBackup(deps, req, ctx),
    // `force` changes nothing in qhc: a deletion never waits for the region (the agent deletes
    // the object and its volume snapshots; the backup is listed with deleted_at until then).
    async deleteBackup(req, ctx) {
      const { accountId } = callerOf(ctx);
      const row = await backupOf(deps, accountId, requestId('backup_id', req.backupId));
      await markCloudResourcesDeleted(deps.db, [row], stampOf(deps));
      return {};
    },
  };
}
