import { Code, ConnectError, type HandlerContext } from '@connectrpc/connect';
import type { RegionRecord } from '@qhc/schemas';
import { clusterOfAccount, regionOfAccount } from '../../repositories/account-objects.ts';
import { callerOf, type CloudDeps } from '../context.ts';
import { uuidField } from './fields.ts';

// The caller's environment or cluster by the request's id: another account's is NotFound, as a missing one.

export async function environmentOf(deps: CloudDeps, ctx: HandlerContext, id: string): Promise<RegionRecord> {
  const regionId = uuidField('hybrid_cloud_environment_id', id);
  const region = await regionOfAccount(deps.db, callerOf(ctx).accountId, regionId);
  if (!region) throw new ConnectError(`hybrid cloud environment ${regionId} does not exist`, Code.NotFound);
  return region;
}

export async function clusterIdOf(deps: CloudDeps, ctx: HandlerContext, id: string): Promise<string> {
  const clusterId = uuidField('cluster_id', id);
  const found = await clusterOfAccount(deps.db, callerOf(ctx).accountId, clusterId);
  if (!found) throw new ConnectError(`cluster ${clusterId} does not exist`, Code.NotFound);
  return found;
}
