import { clone, create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError, type HandlerContext } from '@connectrpc/connect';
import { backupV1, clusterV1 } from '@qhc/cloud-api';
import { clusterResourceName } from '@qhc/schemas';
import { randomUUID } from 'node:crypto';
import { accountClusterByObject, type CloudResource } from '../../repositories/cloud-resources.ts';
import { insertRestoredCluster } from '../../repositories/restored-clusters.ts';
import { callerOf, type CloudDeps } from '../context.ts';
import { Problems, uuidField } from './fields.ts';
import { backupOf, RESTORE_KIND, stampOf } from './lookups.ts';
import { decodeMessage, HYBRID } from './messages.ts';
import { restoreObjectName } from './names.ts';
import { checkRestorable, restoreSpec } from './restores.ts';

// ClusterService.CreateClusterFromBackup: a new cluster (UUID, Kubernetes objects `qdrant-<id>`)
// in the backup's environment, made by a QdrantClusterRestore from the backup's volume
// snapshots with the backed-up cluster's spec. It is a cluster row from the start, so
// ListClusters shows it at once. ClusterService (another module) serves it through this function.

/** The answer's Cluster of the new cluster; the ClusterService passes its own to answer as GetCluster does. */
export type DescribeCluster = (input: { accountId: string; clusterId: string }) => Promise<clusterV1.Cluster>;

export interface CreateFromBackupOptions {
  describe?: DescribeCluster;
}

// As Qdrant Cloud checks a new cluster's name in this request.
const NAME = /^[a-zA-Z0-9-_]+$/;

function parseRequest(req: clusterV1.CreateClusterFromBackupRequest): { backupId: string; name: string } {
  const problems = new Problems();
  const backupId = uuidField(problems, 'backup_id', req.backupId);
  const name = req.clusterName;
  if (name.length < 4 || name.length > 64) problems.add('cluster_name', `must be 4 to 64 characters, got ${name.length}`);
  else if (!NAME.test(name)) problems.add('cluster_name', `${JSON.stringify(name)} may contain only letters, digits, "-" and "_"`);
  problems.throwIfAny();
  return { backupId: backupId!, name };
}

/** The backed-up spec: kept with a backup made through the Cloud API; else its cluster's spec now, if the cluster is still there. */
async function backedUpSpec(deps: CloudDeps, accountId: string, backup: CloudResource): Promise<Record<string, unknown>> {
  if (backup.cloud.clusterSpec) return backup.cloud.clusterSpec;
  const cluster = await accountClusterByObject(deps.db, accountId, backup);
  if (cluster) return cluster.spec;
  throw new ConnectError(
    `backup_id: backup ${backup.id} does not hold its cluster's configuration and cluster ${backup.clusterObjectId} is gone`,
    Code.FailedPrecondition,
  );
}

/** Without a describer: the fields this request decides, the configuration the backup was taken with. */
function derivedCluster(accountId: string, id: string, name: string, backup: CloudResource, stamp: string): clusterV1.Cluster {
  const info = decodeMessage(backupV1.ClusterInfoSchema, backup.cloud.clusterInfo);
  return create(clusterV1.ClusterSchema, {
    id,
    accountId,
    name,
    createdAt: timestampFromDate(new Date(stamp)),
    cloudProviderId: HYBRID,
    cloudProviderRegionId: backup.regionId,
    ...(info?.configuration ? { configuration: clone(clusterV1.ClusterConfigurationSchema, info.configuration) } : {}),
  });
}

export async function createClusterFromBackup(
  deps: CloudDeps,
  req: clusterV1.CreateClusterFromBackupRequest,
  ctx: HandlerContext,
  options: CreateFromBackupOptions = {},
): Promise<clusterV1.CreateClusterFromBackupResponse> {
  const { accountId } = callerOf(ctx);
  const { backupId, name } = parseRequest(req);
  const backup = await backupOf(deps, accountId, backupId);
  checkRestorable(backup, 'backup_id');
  const spec = await backedUpSpec(deps, accountId, backup);
  const id = randomUUID();
  const restoreId = randomUUID();
  const stamp = stampOf(deps);
  const restore = {
    id: restoreId,
    regionId: backup.regionId,
    regionName: backup.regionName,
    kind: RESTORE_KIND,
    name: restoreObjectName(restoreId),
    // As /api/v1 records a restore: under the backed-up cluster.
    clusterObjectId: backup.clusterObjectId,
    spec: restoreSpec(backup, clusterResourceName(id), true),
    cloud: { clusterId: id, backupId: backup.id },
  };
  const origin = { restore: restore.name, snapshot: backup.name, sourceCluster: backup.clusterObjectId };
  await insertRestoredCluster(deps.db, { id, name, spec, origin, region: { id: backup.regionId, name: backup.regionName } }, restore, stamp);
  const cluster = options.describe ? await options.describe({ accountId, clusterId: id }) : derivedCluster(accountId, id, name, backup, stamp);
  return create(clusterV1.CreateClusterFromBackupResponseSchema, { cluster });
}

/** The ClusterService method, for the service's implementation: `createClusterFromBackup: createClusterFromBackupMethod(deps)`. */
export const createClusterFromBackupMethod =
  (deps: CloudDeps, options: CreateFromBackupOptions = {}) =>
  (req: clusterV1.CreateClusterFromBackupRequest, ctx: HandlerContext) =>
    createClusterFromBackup(deps, req, ctx, options);
