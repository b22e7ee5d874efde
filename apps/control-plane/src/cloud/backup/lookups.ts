import { Code, ConnectError } from '@connectrpc/connect';
import { accountCluster, accountFoundResources, accountResource, type AccountCluster, type CloudResource } from '../../repositories/cloud-resources.ts';
import { RESOURCE_KINDS } from '../../resource-kinds.ts';
import type { CloudDeps } from '../context.ts';

// The account's backups, schedules and clusters by id: another account's answer NotFound, as
// ids that do not exist do.

export const BACKUP_KIND = RESOURCE_KINDS.backups.kind;
export const SCHEDULE_KIND = RESOURCE_KINDS['backup-schedules'].kind;
export const RESTORE_KIND = RESOURCE_KINDS.restores.kind;

export const notFound = (what: string): ConnectError => new ConnectError(`${what} does not exist`, Code.NotFound);

/** A backup made through the control plane, or one a schedule took that the agent reported. */
export async function backupOf(deps: CloudDeps, accountId: string, id: string): Promise<CloudResource> {
  const row =
    (await accountResource(deps.db, accountId, BACKUP_KIND, id)) ??
    (await accountFoundResources(deps.db, accountId, BACKUP_KIND)).find((found) => found.id === id);
  if (!row) throw notFound(`backup ${id}`);
  return row;
}

export async function scheduleOf(deps: CloudDeps, accountId: string, id: string): Promise<CloudResource> {
  const row = await accountResource(deps.db, accountId, SCHEDULE_KIND, id);
  if (!row) throw notFound(`backup schedule ${id}`);
  return row;
}

/** A cluster of the account that is not being deleted: what backups and schedules are taken of. */
export async function liveClusterOf(deps: CloudDeps, accountId: string, id: string, field: string): Promise<AccountCluster> {
  const cluster = await accountCluster(deps.db, accountId, id);
  if (!cluster) throw notFound(`${field}: cluster ${id}`);
  if (cluster.deletedAt) throw new ConnectError(`${field}: cluster ${id} is being deleted`, Code.FailedPrecondition);
  return cluster;
}

export const stampOf = (deps: CloudDeps): string => new Date(deps.now()).toISOString();
