import type { ServiceImpl } from '@connectrpc/connect';
import type { backupV1 } from '@qhc/cloud-api';
import type { CloudDeps } from '../context.ts';
import { backupHandlers } from './backups.ts';
import { restoreHandlers } from './restores.ts';
import { scheduleHandlers } from './schedules.ts';

// qdrant.cloud.cluster.backup.v1.BackupService: backups, schedules and restores of the account's
// clusters, as the operator's QdrantClusterSnapshot, QdrantClusterScheduledSnapshot and
// QdrantClusterRestore objects in each cluster's region. The interceptor has checked the
// request's account is the caller's before any of these run.

export function backupService(deps: CloudDeps): ServiceImpl<typeof backupV1.BackupService> {
  return { ...backupHandlers(deps), ...scheduleHandlers(deps), ...restoreHandlers(deps) };
}
