import {
  accountCluster,
  accountFoundResources,
  accountResource,
  accountResources,
  clusterResources,
  type ClusterRef,
  type CloudResource,
} from '../../repositories/cloud-resources.ts';
import type { CloudDeps } from '../context.ts';
import { BACKUP_KIND, RESTORE_KIND, SCHEDULE_KIND } from './lookups.ts';

// The rows a list of the backup service reads: with a cluster or schedule filter, only those of
// the cluster the filter names (a superset of the answer: the list's own filter still decides),
// else the account's.

/** The ref of the cluster a list's filter names (by cluster or by schedule), if it names one that exists. */
async function refOf(deps: CloudDeps, accountId: string, filter: { clusterId?: string; scheduleId?: string }): Promise<ClusterRef | undefined> {
  if (filter.clusterId !== undefined) {
    const cluster = await accountCluster(deps.db, accountId, filter.clusterId);
    if (cluster) return { regionId: cluster.regionId, clusterObjectId: cluster.objectId };
  }
  if (filter.scheduleId !== undefined) return accountResource(deps.db, accountId, SCHEDULE_KIND, filter.scheduleId);
  return undefined;
}

/** Backups made through the control plane and found in the regions, of `refs`' clusters when given. */
export async function backupsOf(deps: CloudDeps, accountId: string, refs?: ReadonlyArray<ClusterRef>): Promise<CloudResource[]> {
  if (!refs) return [...(await accountResources(deps.db, accountId, BACKUP_KIND)), ...(await accountFoundResources(deps.db, accountId, BACKUP_KIND))];
  const keys = new Set(refs.map((r) => `${r.regionId}/${r.clusterObjectId}`));
  const regions = [...new Set(refs.map((r) => r.regionId))];
  const found = (await accountFoundResources(deps.db, accountId, BACKUP_KIND, regions)).filter((r) => keys.has(`${r.regionId}/${r.clusterObjectId}`));
  return [...(await clusterResources(deps.db, accountId, BACKUP_KIND, refs)), ...found];
}

/** The backups ListBackups chooses from. */
export async function backupsToList(deps: CloudDeps, accountId: string, filter: { clusterId?: string; scheduleId?: string }): Promise<CloudResource[]> {
  const ref = await refOf(deps, accountId, filter);
  return backupsOf(deps, accountId, ref ? [ref] : undefined);
}

/** The schedules ListBackupSchedules chooses from, oldest first (then by id). */
export async function schedulesToList(deps: CloudDeps, accountId: string, clusterId: string | undefined): Promise<CloudResource[]> {
  const ref = await refOf(deps, accountId, clusterId === undefined ? {} : { clusterId });
  return ref ? clusterResources(deps.db, accountId, SCHEDULE_KIND, [ref]) : accountResources(deps.db, accountId, SCHEDULE_KIND);
}

/**
 * The restores ListBackupRestores chooses from: a cluster's are all in its region (one restoring
 * into a new cluster is kept under the backed-up cluster, in the same region).
 */
export async function restoresToList(deps: CloudDeps, accountId: string, clusterId: string | undefined): Promise<CloudResource[]> {
  const cluster = clusterId === undefined ? undefined : await accountCluster(deps.db, accountId, clusterId);
  return accountResources(deps.db, accountId, RESTORE_KIND, cluster?.regionId);
}

/** The backup ids of the regions' backups by `<region id>/<object name>`, for restores made through /api/v1 (which name only that). */
export async function backupIdsFor(deps: CloudDeps, accountId: string, restores: ReadonlyArray<CloudResource>): Promise<Map<string, string>> {
  const regions = [...new Set(restores.filter((r) => !r.cloud.backupId).map((r) => r.regionId))];
  const ids = new Map<string, string>();
  for (const regionId of regions) {
    const backups = [
      ...(await accountResources(deps.db, accountId, BACKUP_KIND, regionId)),
      ...(await accountFoundResources(deps.db, accountId, BACKUP_KIND, [regionId])),
    ];
    for (const b of backups) ids.set(`${b.regionId}/${b.name}`, b.id);
  }
  return ids;
}
