import { create } from '@bufbuild/protobuf';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import { backupV1 } from '@qhc/cloud-api';
import { randomUUID } from 'node:crypto';
import {
  accountClustersByObject,
  insertCloudResource,
  markCloudResourcesDeleted,
  updateCloudResource,
  type CloudResource,
} from '../../repositories/cloud-resources.ts';
import { callerOf, type CloudDeps } from '../context.ts';
import { invalid, Problems, requestId, uuidField } from './fields.ts';
import { liveClusterOf, notFound, SCHEDULE_KIND, scheduleOf, stampOf } from './lookups.ts';
import { encodeMessage, toSchedule } from './messages.ts';
import { scheduleObjectName, scheduleShortId } from './names.ts';
import { backupsOf, schedulesToList } from './list-rows.ts';
import { checkPage, pageOf } from './pages.ts';
import { clientFields, parseCreateSchedule, parseUpdateSchedule, type ScheduleInput } from './requests.ts';
import { warnOfSnapshots } from './warnings.ts';

// Backup schedules: one QdrantClusterScheduledSnapshot each, named after the schedule's UUID.

type Impl = ServiceImpl<typeof backupV1.BackupService>;

/**
 * The operator's schedule wants a retention; a schedule without one keeps its backups for a
 * century (the API's "forever"). This is the derived spec only: the stored message stays unset.
 */
export const FOREVER = `${100 * 365 * 24}h`;

const specOf = (id: string, objectId: string, input: ScheduleInput) => ({
  'cluster-id': objectId,
  scheduleShortId: scheduleShortId(id),
  schedule: input.schedule,
  retention: input.retention ?? FOREVER,
});

async function answer(deps: CloudDeps, accountId: string, id: string): Promise<backupV1.BackupSchedule> {
  const row = await scheduleOf(deps, accountId, id);
  return toSchedule(row, accountId, await accountClustersByObject(deps.db, accountId, [row]));
}

async function listSchedules(deps: CloudDeps, req: backupV1.ListBackupSchedulesRequest, ctx: HandlerContext) {
  const { accountId } = callerOf(ctx);
  let clusterId: string | undefined;
  if (req.clusterId !== undefined) {
    const problems = new Problems();
    clusterId = uuidField(problems, 'cluster_id', req.clusterId);
    problems.throwIfAny();
  }
  checkPage(req);
  const listed = await schedulesToList(deps, accountId, clusterId);
  const clusters = await accountClustersByObject(deps.db, accountId, listed);
  const rows = listed.toSorted((a, b) => (a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id) ? -1 : 1));
  const items = rows.map((row) => ({ id: row.id, createdAt: row.createdAt, schedule: toSchedule(row, accountId, clusters) }));
  const page = pageOf(
    items.filter((i) => clusterId === undefined || i.schedule.clusterId.toLowerCase() === clusterId),
    req,
  );
  return create(backupV1.ListBackupSchedulesResponseSchema, { ...page, items: page.items.map((i) => i.schedule) });
}

async function createSchedule(deps: CloudDeps, req: backupV1.CreateBackupScheduleRequest, ctx: HandlerContext) {
  const { accountId } = callerOf(ctx);
  const input = parseCreateSchedule(req);
  const cluster = await liveClusterOf(deps, accountId, input.clusterId, 'backup_schedule.cluster_id');
  const id = randomUUID();
  const resource = {
    id,
    regionId: cluster.regionId,
    regionName: cluster.regionName,
    kind: SCHEDULE_KIND,
    name: scheduleObjectName(id),
    clusterObjectId: cluster.objectId,
  };
  const cloud = { message: encodeMessage(backupV1.BackupScheduleSchema, input.message), clusterId: cluster.id };
  await insertCloudResource(deps.db, { ...resource, spec: specOf(id, cluster.objectId, input), cloud }, stampOf(deps));
  await warnOfSnapshots(deps, accountId, cluster.regionId, ctx);
  return { backupSchedule: await answer(deps, accountId, id) };
}

async function updateSchedule(deps: CloudDeps, req: backupV1.UpdateBackupScheduleRequest, ctx: HandlerContext) {
  const { accountId } = callerOf(ctx);
  if (!req.backupSchedule) throw invalid('backup_schedule', 'is required');
  const id = requestId('backup_schedule.id', req.backupSchedule.id);
  const row = await scheduleOf(deps, accountId, id);
  const stored = clientFields(toSchedule(row, accountId, await accountClustersByObject(deps.db, accountId, [row])));
  const input = parseUpdateSchedule(req, stored);
  const cloud = { ...row.cloud, message: encodeMessage(backupV1.BackupScheduleSchema, input.message) };
  await updateCloudResource(deps.db, row, { cloud, spec: specOf(id, row.clusterObjectId, input) }, stampOf(deps));
  return { backupSchedule: await answer(deps, accountId, id) };
}

/** The backups the operator took on this schedule (their spec names its short id), found in the region or already rows. */
async function backupsOfSchedule(deps: CloudDeps, accountId: string, schedule: CloudResource): Promise<CloudResource[]> {
  const shortId = scheduleShortId(schedule.id);
  const backups = await backupsOf(deps, accountId, [schedule]);
  return backups.filter(
    (b) => b.regionId === schedule.regionId && b.clusterObjectId === schedule.clusterObjectId && b.spec.scheduleShortId === shortId && !b.deletedAt,
  );
}

export function scheduleHandlers(
  deps: CloudDeps,
): Pick<Impl, 'listBackupSchedules' | 'getBackupSchedule' | 'createBackupSchedule' | 'updateBackupSchedule' | 'deleteBackupSchedule'> {
  return {
    listBackupSchedules: (req, ctx) => listSchedules(deps, req, ctx),
    async getBackupSchedule(req, ctx) {
      const { accountId } = callerOf(ctx);
      const id = requestId('backup_schedule_id', req.backupScheduleId);
      const schedule = await answer(deps, accountId, id);
      // The request names the cluster too: a schedule of another cluster is not this one.
      if (req.clusterId !== '' && req.clusterId.toLowerCase() !== schedule.clusterId.toLowerCase())
        throw notFound(`backup schedule ${id} of cluster ${req.clusterId}`);
      return { backupSchedule: schedule };
    },
    createBackupSchedule: (req, ctx) => createSchedule(deps, req, ctx),
    updateBackupSchedule: (req, ctx) => updateSchedule(deps, req, ctx),
    async deleteBackupSchedule(req, ctx) {
      const { accountId } = callerOf(ctx);
      const row = await scheduleOf(deps, accountId, requestId('backup_schedule_id', req.backupScheduleId));
      const backups = req.deleteBackups ? await backupsOfSchedule(deps, accountId, row) : [];
      await markCloudResourcesDeleted(deps.db, [row, ...backups], stampOf(deps));
      return {};
    },
  };
}
