import { Code, ConnectError } from '@connectrpc/connect';
import type { RegionRecord } from '@qhc/schemas';
import { accountCluster, accountRegion, type CloudClusterRecord } from '../../repositories/cloud-clusters.ts';
import type { CloudDeps } from '../context.ts';
import { invalid, isUuid } from './validate.ts';

// Ids of a request to rows of the caller's account: not a UUID is InvalidArgument, anything
// else not found (another account's included) NotFound.

export async function clusterOfAccount(deps: CloudDeps, accountId: string, clusterId: string, field = 'cluster_id'): Promise<CloudClusterRecord> {
  if (!isUuid(clusterId)) throw invalid([{ field, message: `${JSON.stringify(clusterId.slice(0, 64))} is not a UUID` }]);
  const cluster = await accountCluster(deps.db, accountId, clusterId.toLowerCase());
  if (!cluster) throw new ConnectError(`cluster ${clusterId} does not exist`, Code.NotFound);
  return cluster;
}

/** Refused while the cluster is being deleted: it can no longer change. */
export function changeable(cluster: CloudClusterRecord): CloudClusterRecord {
  if (cluster.deletedAt) throw new ConnectError(`cluster ${cluster.id} is being deleted`, Code.FailedPrecondition);
  return cluster;
}

export async function regionOfAccount(deps: CloudDeps, accountId: string, regionId: string, field: string): Promise<RegionRecord> {
  const region = await accountRegion(deps.db, accountId, regionId.toLowerCase());
  if (!region) throw new ConnectError(`${field}: hybrid environment ${regionId} does not exist`, Code.NotFound);
  return region;
}
