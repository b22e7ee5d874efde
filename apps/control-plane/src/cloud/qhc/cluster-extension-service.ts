import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import { qhcV1 } from '@qhc/cloud-api';
import type { ClusterRecord } from '@qhc/schemas';
import { changeCluster } from '../../repositories/clusters.ts';
import { replaceCloudCluster, type CloudClusterRecord } from '../../repositories/cloud-clusters.ts';
import { changeable, clusterOfAccount } from '../cluster/lookup.ts';
import { invalid } from '../cluster/validate.ts';
import { callerOf, type CloudDeps } from '../context.ts';
import { ingressMessage, ingressOfMessage } from './cluster-ingress.ts';

// qhc.v1.ClusterExtensionService: the QdrantCluster settings the Cloud API's Cluster has no field
// for. They change the stored spec only: the Cluster message stays as its client sent it, and
// ClusterService's spec derivation keeps them (spec-of.ts's `kept`).

type Spec = ClusterRecord['spec'];
type Pause = NonNullable<Spec['pauses']>[number];

const OWNER_MAX = 63;
const REASON_MAX = 1024;

const pauseMessage = (p: Pause) =>
  create(qhcV1.ClusterPauseSchema, {
    owner: p.owner ?? '',
    reason: p.reason ?? '',
    ...(p.creationTimestamp ? { createTime: timestampFromDate(new Date(p.creationTimestamp)) } : {}),
  });
const pausesOf = (spec: Spec) => ({ items: (spec.pauses ?? []).map(pauseMessage) });

function checkOwner(owner: string): void {
  if (owner.trim() === '') throw invalid([{ field: 'owner', message: 'missing; name who pauses the cluster, e.g. "maintenance"' }]);
  if (owner.length > OWNER_MAX) throw invalid([{ field: 'owner', message: `must be at most ${OWNER_MAX} characters, got ${owner.length}` }]);
}

/** The spec change, through the path UpdateCluster takes (the stored message as it is), or /api/v1's for a cluster it made. */
async function writeSpec(deps: CloudDeps, cluster: CloudClusterRecord, spec: Spec, request: string): Promise<void> {
  if (cluster.cloudCluster === undefined) return changeCluster(deps.db, cluster, { spec: JSON.stringify(spec) }, request);
  await replaceCloudCluster(deps.db, cluster, { name: cluster.name, spec, cloudCluster: cluster.cloudCluster }, request);
}

async function liveCluster(deps: CloudDeps, ctx: HandlerContext, clusterId: string): Promise<CloudClusterRecord> {
  return changeable(await clusterOfAccount(deps, callerOf(ctx).accountId, clusterId));
}

async function pause(deps: CloudDeps, req: qhcV1.PauseClusterRequest, ctx: HandlerContext) {
  const cluster = await liveCluster(deps, ctx, req.clusterId);
  checkOwner(req.owner);
  if (req.reason.length > REASON_MAX) throw invalid([{ field: 'reason', message: `must be at most ${REASON_MAX} characters, got ${req.reason.length}` }]);
  const at = new Date(deps.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  const others = (cluster.spec.pauses ?? []).filter((p) => p.owner !== req.owner);
  const spec = { ...cluster.spec, pauses: [...others, { owner: req.owner, ...(req.reason ? { reason: req.reason } : {}), creationTimestamp: at }] };
  await writeSpec(deps, cluster, spec, `pause by ${req.owner}${req.reason ? `: ${req.reason}` : ''}`);
  return pausesOf(spec);
}

async function unpause(deps: CloudDeps, req: qhcV1.UnpauseClusterRequest, ctx: HandlerContext) {
  const cluster = await liveCluster(deps, ctx, req.clusterId);
  checkOwner(req.owner);
  const pauses = cluster.spec.pauses ?? [];
  const left = pauses.filter((p) => p.owner !== req.owner);
  if (left.length === pauses.length) return pausesOf(cluster.spec);
  const { pauses: _removed, ...rest } = cluster.spec;
  const spec = left.length ? { ...rest, pauses: left } : rest;
  await writeSpec(deps, cluster, spec, `pause by ${req.owner} removed`);
  return pausesOf(spec);
}

async function setIngress(deps: CloudDeps, req: qhcV1.SetClusterIngressRequest, ctx: HandlerContext) {
  const cluster = await liveCluster(deps, ctx, req.clusterId);
  const { ingress, problems } = ingressOfMessage(req.ingress);
  if (problems) throw invalid(problems);
  if (JSON.stringify(ingress) === JSON.stringify(cluster.spec.ingress)) return { ingress: ingressMessage(ingress) };
  const { ingress: _before, ...rest } = cluster.spec;
  await writeSpec(deps, cluster, ingress ? { ...rest, ingress } : rest, ingress ? 'ingress set' : 'ingress removed');
  return { ingress: ingressMessage(ingress) };
}

export function clusterExtensionService(deps: CloudDeps): ServiceImpl<typeof qhcV1.ClusterExtensionService> {
  const read = async (ctx: HandlerContext, clusterId: string) => (await clusterOfAccount(deps, callerOf(ctx).accountId, clusterId)).spec;
  return {
    listClusterPauses: async (req, ctx) => pausesOf(await read(ctx, req.clusterId)),
    pauseCluster: (req, ctx) => pause(deps, req, ctx),
    unpauseCluster: (req, ctx) => unpause(deps, req, ctx),
    getClusterIngress: async (req, ctx) => ({ ingress: ingressMessage((await read(ctx, req.clusterId)).ingress) }),
    setClusterIngress: (req, ctx) => setIngress(deps, req, ctx),
  };
}
