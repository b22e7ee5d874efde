import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import { backupV1 } from '@qhc/cloud-api';
import { clusterResourceName } from '@qhc/schemas';
import { randomUUID } from 'node:crypto';
import { accountClusterByObject, accountClustersByObject, insertCloudResource, type CloudResource } from '../../repositories/cloud-resources.ts';
import { callerOf, type CloudDeps } from '../context.ts';
import { Problems, requestId, uuidField } from './fields.ts';
import { backupOf, RESTORE_KIND, stampOf } from './lookups.ts';
import { toRestore } from './messages.ts';
import { restoreObjectName } from './names.ts';
import { backupIdsFor, restoresToList } from './list-rows.ts';
import { checkPage, pageOf } from './pages.ts';

// Restores: one QdrantClusterRestore each, named after the restore's UUID. RestoreBackup restores
// in place, into the backed-up cluster; CreateClusterFromBackup (create-cluster-from-backup.ts)
// restores into a new one.

type Impl = ServiceImpl<typeof backupV1.BackupService>;

/** A backup that can be restored: not being deleted, and not one the operator failed or skipped. */
export function checkRestorable(backup: CloudResource, field: string): void {
  const refuse = (why: string) => new ConnectError(`${field}: backup ${backup.id} ${why}`, Code.FailedPrecondition);
  if (backup.deletedAt) throw refuse('is being deleted');
  const phase = backup.status?.phase;
  if (phase === 'Failed' || phase === 'Skipped') throw refuse(`was not taken (${phase.toLowerCase()}): there is nothing to restore`);
}

/** The QdrantClusterRestore's spec: the backup's snapshot into the cluster named `destination` in the same namespace. */
export const restoreSpec = (backup: CloudResource, destination: string, intoNew: boolean) => ({
  source: { snapshotName: backup.name, namespace: backup.namespace },
  destination: { name: destination, namespace: backup.namespace, ...(intoNew ? { create: true } : {}) },
});

async function listRestores(deps: CloudDeps, req: backupV1.ListBackupRestoresRequest, ctx: HandlerContext) {
  const { accountId } = callerOf(ctx);
  let clusterId: string | undefined;
  if (req.clusterId !== undefined) {
    const problems = new Problems();
    clusterId = uuidField(problems, 'cluster_id', req.clusterId);
    problems.throwIfAny();
  }
  checkPage(req);
  const listed = await restoresToList(deps, accountId, clusterId);
  const clusters = await accountClustersByObject(deps.db, accountId, listed);
  // The backups by their object's name: a restore made through /api/v1 names only that.
  const backupIds = await backupIdsFor(deps, accountId, listed);
  const rows = listed.toSorted((a, b) => (a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id) ? -1 : 1));
  const items = rows
    .map((row) => ({ id: row.id, createdAt: row.createdAt, restore: toRestore(row, accountId, clusters, backupIds) }))
    .filter((i) => clusterId === undefined || i.restore.clusterId === clusterId);
  const page = pageOf(items, req);
  return create(backupV1.ListBackupRestoresResponseSchema, { ...page, items: page.items.map((i) => i.restore) });
}

/** Into the cluster the backup was taken of, which must still be there. */
async function restoreBackup(deps: CloudDeps, req: backupV1.RestoreBackupRequest, ctx: HandlerContext) {
  const { accountId } = callerOf(ctx);
  const backup = await backupOf(deps, accountId, requestId('backup_id', req.backupId));
  checkRestorable(backup, 'backup_id');
  const cluster = await accountClusterByObject(deps.db, accountId, backup);
  if (!cluster || cluster.deletedAt)
    throw new ConnectError(
      `backup_id: the cluster backup ${backup.id} was taken of is deleted; restore it into a new cluster (ClusterService.CreateClusterFromBackup)`,
      Code.FailedPrecondition,
    );
  const id = randomUUID();
  await insertCloudResource(
    deps.db,
    {
      id,
      regionId: backup.regionId,
      regionName: backup.regionName,
      kind: RESTORE_KIND,
      name: restoreObjectName(id),
      clusterObjectId: cluster.objectId,
      spec: restoreSpec(backup, clusterResourceName(cluster.objectId), false),
      cloud: { clusterId: cluster.id, backupId: backup.id },
    },
    stampOf(deps),
  );
  return {};
}

export function restoreHandlers(deps: CloudDeps): Pick<Impl, 'listBackupRestores' | 'restoreBackup'> {
  return { listBackupRestores: (req, ctx) => listRestores(deps, req, ctx), restoreBackup: (req, ctx) => restoreBackup(deps, req, ctx) };
}
