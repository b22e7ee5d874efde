import { manageResponseParser, podName, type ManageRequestInput, type ManageResponse, type QdrantCluster, type RebalanceStrategy } from '@qhc/schemas';
import type { QdrantAccess } from './qdrant/access.ts';
import type { Drainer } from './reconcile/scale-down.ts';
import type { RestartGuard } from './reconcile/guarded-restart.ts';

/** The operator's side of the cluster-manager protocol (POST /v1/manage). */
export interface ClusterManagerLink {
  /** Drains through the manager, for clusters that have it enabled. */
  drainer: Drainer;
  /** onDemandReplication through the manager: copies before a restart, dropped after. */
  restartGuard: RestartGuard;
  /** One periodic call: rebalancing (by the cluster's or the settings' strategy) and recovery, or nothing while `blockedBy`. */
  invoke(
    cluster: QdrantCluster,
    nodes: Array<{ index: number; ready: boolean }>,
    blockedBy: string | undefined,
    rebalanceStrategy: RebalanceStrategy,
  ): Promise<ManageResponse>;
}

const identity = (cluster: QdrantCluster) => ({ namespace: cluster.metadata.namespace ?? 'default', name: cluster.metadata.name ?? '', id: cluster.spec.id });

/** One POST /v1/manage; any failure to get an answer is a Failed answer, never a throw. */
async function postManage(baseUrl: string, request: ManageRequestInput, timeoutMs: number): Promise<ManageResponse> {
  let res: Response;
  try {
    res = await fetch(new URL('/v1/manage', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(Math.max(1_000, timeoutMs)),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return {
      status: 'Failed',
      description: `the cluster manager at ${baseUrl} did not answer: ${error instanceof Error ? error.message : String(error)}${cause ? ` (${cause})` : ''}`,
    };
  }
  const text = await res.text();
  if (!res.ok) return { status: 'Failed', description: `the cluster manager answered HTTP ${res.status}: ${text.slice(0, 500)}` };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { status: 'Failed', description: `the cluster manager answered something that is not JSON: ${text.slice(0, 200)}` };
  }
  const parsed = manageResponseParser.safeValidate(body);
  return parsed.success ? parsed.data : { status: 'Failed', description: parsed.error.message };
}

async function nodesOf(qdrant: QdrantAccess, cluster: QdrantCluster, nodes: Array<{ index: number; ready: boolean }>) {
  const endpoints = await Promise.all(nodes.map((n) => qdrant(cluster, n.index)));
  return {
    nodes: nodes.map((n, i) => ({ index: n.index, host: podName(cluster.spec.id, n.index), url: endpoints[i]!.url, ready: n.ready })),
    apiKey: endpoints[0]?.apiKey,
  };
}

export function clusterManagerLink(baseUrl: string, qdrant: QdrantAccess, options: { timeoutMs?: number } = {}): ClusterManagerLink {
  const post = (request: ManageRequestInput, timeoutMs: number) => postManage(baseUrl, request, timeoutMs);
  return {
    drainer: async (job) => {
      const seconds = Math.max(1, Math.floor((job.deadline - Date.now()) / 1000));
      const { nodes, apiKey } = await nodesOf(
        qdrant,
        job.cluster,
        [...job.keep, job.node].map((index) => ({ index, ready: true })),
      );
      const response = await post(
        { cluster: identity(job.cluster), nodes, apiKey, scaleDown: { node: job.node, keep: job.keep }, deadlineSeconds: seconds },
        seconds * 1000 + 5_000,
      );
      if (response.status === 'Drained' && response.scaleDownAllowed) return { ok: true, detail: response.description };
      return { ok: false, reason: 'DrainFailed', message: `cluster manager: ${response.description}` };
    },
    restartGuard: {
      prepare: async (job) => {
        const seconds = Math.max(1, Math.floor((job.deadline - Date.now()) / 1000));
        const { nodes, apiKey } = await nodesOf(qdrant, job.cluster, job.nodes);
        const response = await post(
          { cluster: identity(job.cluster), nodes, apiKey, prepareRestart: { node: job.node, mode: job.mode }, deadlineSeconds: seconds },
          seconds * 1000 + 5_000,
        );
        if (response.status === 'RestartAllowed') return { ok: true, replicas: response.temporaryReplicas ?? [], detail: response.description };
        return { ok: false, reason: 'ReplicateFailed', message: `cluster manager: ${response.description}` };
      },
      release: async (job) => {
        const seconds = Math.max(1, Math.floor((job.deadline - Date.now()) / 1000));
        const { nodes, apiKey } = await nodesOf(qdrant, job.cluster, job.nodes);
        const response = await post(
          { cluster: identity(job.cluster), nodes, apiKey, releaseReplicas: job.replicas, deadlineSeconds: seconds },
          seconds * 1000 + 5_000,
        );
        if (response.status === 'Released') return { ok: true, pending: response.temporaryReplicas ?? [] };
        return { ok: false, reason: 'ReleaseFailed', message: `cluster manager: ${response.description}` };
      },
    },
    invoke: async (cluster, nodes, blockedBy, rebalanceStrategy) => {
      if (nodes.length === 0) return { status: 'Skipped', description: 'the cluster has no nodes' };
      const { nodes: managed, apiKey } = await nodesOf(qdrant, cluster, nodes);
      return post(
        {
          cluster: identity(cluster),
          nodes: managed,
          apiKey,
          rebalanceStrategy,
          onDemandReplication: cluster.spec.onDemandReplication,
          blockedBy,
          deadlineSeconds: 300,
        },
        options.timeoutMs ?? 310_000,
      );
    },
  };
}
