import { fromJsonString } from '@bufbuild/protobuf';
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import { clusterV1 } from '@qhc/cloud-api';
import { checkClusterUpdate } from '@qhc/schemas';
import { ApiError, LimitError } from '../../errors.ts';
import { describeSpecChange } from '../../cluster-changes.ts';
import { changeCluster, insertClusterNamedById } from '../../repositories/clusters.ts';
import {
  accountCluster,
  accountClusterPage,
  deleteClusterResources,
  removeUnappliedCluster,
  replaceCloudCluster,
  type CloudClusterRecord,
} from '../../repositories/cloud-clusters.ts';
import { callerOf, type CloudDeps } from '../context.ts';
import { clusterActions } from './cluster-actions.ts';
import { changeable, clusterOfAccount, regionOfAccount } from './lookup.ts';
import { keptOf, specOfConfiguration } from './spec-of.ts';
import { protoFieldOf } from './spec-paths.ts';
import { applyUpdateMask } from './update-mask.ts';
import { checkClusterFields, checkServerFieldsEmpty, invalid } from './validate.ts';
import { clusterAnswer, clusterMessage, storedMessage } from './view.ts';
import { listClusters } from './list.ts';
import { createClusterFromBackupMethod } from '../backup/create-cluster-from-backup.ts';
import { markClusterRestoresDeleted } from '../../repositories/cloud-resources.ts';
import { clusterWarnings, warningHeaders } from '../../warnings.ts';

// qdrant.cloud.cluster.v1.ClusterService: an account's clusters. The interceptor has checked
// the request's account is the caller's; the handlers look every id up within it.

/**
 * The `qc-jwt-rbac` header: Terraform sends "true" or "false" with CreateCluster for the
 * cluster's JWT RBAC setting, which the message has no field for. Honoured: "true" turns on
 * Qdrant's jwt_rbac in the spec (state.jwt_rbac tells it), as EnableClusterJwtRbac does later.
 */
function jwtRbacHeader(ctx: HandlerContext): boolean {
  const value = ctx.requestHeader.get('qc-jwt-rbac');
  if (value === null || value === 'false') return false;
  if (value === 'true') return true;
  throw invalid([{ field: 'qc-jwt-rbac header', message: `must be "true" or "false", got ${JSON.stringify(value.slice(0, 32))}` }]);
}

/** A 409 of the repositories (the name taken in the environment) as AlreadyExists naming the field; a full environment is not a name taken. */
async function naming<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ApiError && error.status === 409 && !(error instanceof LimitError))
      throw new ConnectError(error.message.startsWith('cluster.name') ? error.message : `cluster.name: ${error.message}`, Code.AlreadyExists);
    throw error;
  }
}

async function answer(deps: CloudDeps, accountId: string, id: string): Promise<{ cluster: clusterV1.Cluster }> {
  const cluster = await accountCluster(deps.db, accountId, id);
  if (!cluster) throw new ConnectError(`cluster ${id} does not exist`, Code.NotFound);
  return { cluster: clusterAnswer(cluster, deps.packages) };
}

async function createCluster(deps: CloudDeps, req: clusterV1.CreateClusterRequest, ctx: HandlerContext) {
  const sent = req.cluster;
  if (!sent) throw invalid([{ field: 'cluster', message: 'missing; the cluster is required' }]);
  const jwtRbac = jwtRbacHeader(ctx);
  const problems = [...checkServerFieldsEmpty(sent), ...checkClusterFields(sent)];
  if (problems.length) throw invalid(problems);
  const { accountId } = callerOf(ctx);
  const region = await regionOfAccount(deps, accountId, sent.cloudProviderRegionId, 'cluster.cloud_provider_region_id');
  const derived = specOfConfiguration(sent.configuration, { packages: deps.packages, jwtRbac, suspend: false });
  if (derived.problems) throw invalid(derived.problems);
  const cluster = { name: sent.name, spec: derived.spec, cloudCluster: storedMessage(sent) };
  const id = await naming(() => insertClusterNamedById(deps.db, region, cluster, () => null));
  // As /api/v1 does: storage that cannot grow is told in a Warning header (the REST gateway passes it on).
  const { warning } = warningHeaders(clusterWarnings(region, derived.spec));
  if (warning) ctx.responseHeader.set('warning', warning);
  return answer(deps, accountId, id);
}

/** The cluster as its client last sent it (the server's fields cleared). */
const sentBefore = (current: CloudClusterRecord, packages: CloudDeps['packages']) =>
  current.cloudCluster ? fromJsonString(clusterV1.ClusterSchema, current.cloudCluster) : clusterMessage(current, packages);

function checkFixedFields(current: CloudClusterRecord, next: clusterV1.Cluster) {
  const problems = checkClusterFields(next);
  if (next.cloudProviderRegionId.toLowerCase() !== current.regionId)
    problems.push({ field: 'cluster.cloud_provider_region_id', message: `cannot change after creation (the cluster runs in ${current.regionId})` });
  return problems;
}

async function updateCluster(deps: CloudDeps, req: clusterV1.UpdateClusterRequest, ctx: HandlerContext) {
  if (!req.cluster) throw invalid([{ field: 'cluster', message: 'missing; the cluster is required' }]);
  const { accountId } = callerOf(ctx);
  const current = changeable(await clusterOfAccount(deps, accountId, req.cluster.id, 'cluster.id'));
  const merged = applyUpdateMask(sentBefore(current, deps.packages), req.cluster, req.updateMask);
  if (merged.problems) throw invalid(merged.problems);
  const next = merged.cluster;
  const problems = checkFixedFields(current, next);
  if (problems.length) throw invalid(problems);
  const before = sentBefore(current, deps.packages).configuration?.packageId.toLowerCase();
  const derived = specOfConfiguration(next.configuration, {
    packages: deps.packages,
    jwtRbac: current.spec.config?.service?.jwt_rbac === true,
    suspend: current.spec.suspend === true,
    kept: keptOf(current.spec),
    ...(before ? { currentPackageId: before } : {}),
  });
  if (derived.problems) throw invalid(derived.problems);
  const immutable = checkClusterUpdate(current.spec, derived.spec);
  if (immutable.length) throw invalid(immutable.map((p) => ({ field: protoFieldOf(p.path.slice(1)), message: p.message })));
  const change = { name: next.name, spec: derived.spec, cloudCluster: storedMessage(next) };
  await naming(() => replaceCloudCluster(deps.db, current, change, describeSpecChange(current.spec, derived.spec)));
  return answer(deps, accountId, current.id);
}

async function deleteCluster(deps: CloudDeps, req: clusterV1.DeleteClusterRequest, ctx: HandlerContext) {
  const { accountId } = callerOf(ctx);
  const cluster = await clusterOfAccount(deps, accountId, req.clusterId);
  const region = await regionOfAccount(deps, accountId, cluster.regionId, 'cluster_id');
  await deleteClusterResources(deps.db, cluster, region, req.deleteBackups === true);
  // A restore still making this cluster (CreateClusterFromBackup) would otherwise bring it back once the region reports it.
  await markClusterRestoresDeleted(deps.db, accountId, cluster.id, new Date(deps.now()).toISOString());
  // force: the environment cannot confirm a teardown when its agent never connected.
  if (req.force && (await removeUnappliedCluster(deps.db, cluster))) return {};
  if (!cluster.deletedAt) await changeCluster(deps.db, cluster, { deleted_at: new Date(deps.now()).toISOString() }, 'deletion');
  return {};
}

export function clusterService(deps: CloudDeps): Partial<ServiceImpl<typeof clusterV1.ClusterService>> {
  return {
    listClusters: (req, ctx) => listClusters(deps, callerOf(ctx).accountId, req, accountClusterPage),
    getCluster: async (req, ctx) => ({ cluster: clusterAnswer(await clusterOfAccount(deps, callerOf(ctx).accountId, req.clusterId), deps.packages) }),
    createCluster: (req, ctx) => createCluster(deps, req, ctx),
    updateCluster: (req, ctx) => updateCluster(deps, req, ctx),
    deleteCluster: (req, ctx) => deleteCluster(deps, req, ctx),
    createClusterFromBackup: createClusterFromBackupMethod(deps, {
      describe: async ({ accountId, clusterId }) => clusterMessage(await clusterOfAccount(deps, accountId, clusterId), deps.packages),
    }),
    ...clusterActions(deps),
  };
}
