import { podName, statefulSetName, type QdrantCluster } from '@qhc/schemas';
import type { KubeClient, Logger } from '@qhc/kube';
import { QdrantOperationError, connectQdrant, drainPeer, type DrainStep } from '@qhc/qdrant';
import type { QdrantAccess } from '../qdrant/access.ts';

export interface LiveStatefulSet {
  spec: { replicas?: number; volumeClaimTemplates?: Array<{ metadata?: { name?: string } }> };
}

export interface ScaleDownInput {
  client: KubeClient;
  drain: Drainer;
  logger: Logger;
  cluster: QdrantCluster;
  live: LiveStatefulSet | undefined;
  /** Names of the cluster's pods that exist now (read only when a scale-down is under way). */
  pods: () => Promise<ReadonlySet<string>>;
  /** Epoch ms by which this step must give up (the pass's and the operation's budget). */
  deadline: number;
  signal?: AbortSignal;
  /** Persists deleteInProgressNodeIndexes before anything irreversible happens. */
  markDeleting: (indexes: number[]) => Promise<void>;
}

export interface DrainJob {
  cluster: QdrantCluster;
  node: number;
  /** Node indexes that stay and may receive shards. */
  keep: number[];
  deadline: number;
  signal?: AbortSignal;
}

export type DrainOutcome = { ok: true; detail: string } | { ok: false; reason: string; message: string };

/** Empties a node and removes its peer: in this process, or through the cluster manager. */
export type Drainer = (job: DrainJob) => Promise<DrainOutcome>;

/** The drain run by the operator itself, through Qdrant's REST API from node 0. */
export function inProcessDrainer(qdrant: QdrantAccess, onStep?: (job: DrainJob, step: DrainStep) => void): Drainer {
  return async (job) => {
    const id = job.cluster.spec.id;
    const stays = new Set(job.keep.map((i) => podName(id, i)));
    try {
      const result = await drainPeer({
        client: connectQdrant(await qdrant(job.cluster, 0), { timeoutMs: 30_000 }),
        host: podName(id, job.node),
        mayReceive: (peer) => stays.has(hostOf(peer.uri)),
        deadline: job.deadline,
        signal: job.signal,
        pollIntervalMs: 500,
        onStep: (step) => onStep?.(job, step),
      });
      return { ok: true, detail: `peer ${result.peerId ?? '(none)'}, ${result.steps.length} step(s)` };
    } catch (error) {
      if (job.signal?.aborted) throw error;
      return {
        ok: false,
        reason: error instanceof QdrantOperationError ? `Drain${error.reason}` : 'DrainFailed',
        message: error instanceof Error ? error.message : String(error),
      };
    }
  };
}

export interface ScaleDownOutcome {
  /** The StatefulSet's replicas for this pass. */
  replicas: number;
  /** deleteInProgressNodeIndexes after this pass. */
  deleting: number[];
  /** What happened, for events: a node drained, a node's volumes removed. */
  done?: string;
  failure?: { reason: string; message: string };
}

/**
 * One step of a scale-down, one node at a time from the highest index: record the node as
 * being deleted, drain it through Qdrant (move its shards away, remove its peer), lower the
 * StatefulSet by one, and once its pod is gone delete its volumes, whose peer no longer
 * exists (a later scale-up must start that index as a new peer, not revive a removed one).
 * Level-based: every step is re-derived from the StatefulSet, the pods and the status, and
 * a started removal is finished even if the spec grows again.
 */
export async function stepScaleDown(input: ScaleDownInput): Promise<ScaleDownOutcome> {
  const { cluster, live } = input;
  const size = cluster.spec.size;
  const deleting = cluster.status?.deleteInProgressNodeIndexes ?? [];
  const liveReplicas = live?.spec.replicas;
  if (liveReplicas === undefined || (deleting.length === 0 && size >= liveReplicas)) return { replicas: size, deleting: [] };

  const node = deleting[0] ?? liveReplicas - 1;
  const pods = await input.pods();
  if (deleting.length === 0) await input.markDeleting([node]);
  const pod = podName(cluster.spec.id, node);

  if (liveReplicas > node) {
    // The pod still belongs to the StatefulSet: drain it first.
    if (pods.has(pod)) {
      const keep = Array.from({ length: Math.min(size, node) }, (_, i) => i);
      const outcome = await input.drain({ cluster, node, keep, deadline: input.deadline, signal: input.signal });
      if (!outcome.ok)
        return { replicas: liveReplicas, deleting: [node], failure: { reason: outcome.reason, message: `draining node ${node} (${pod}): ${outcome.message}` } };
      input.logger.info('node drained', { namespace: cluster.metadata.namespace, name: cluster.metadata.name, node, detail: outcome.detail });
    }
    return { replicas: node, deleting: [node], done: `node ${node} drained: its shards moved to the remaining peers and its peer removed` };
  }

  if (pods.has(pod)) return { replicas: liveReplicas, deleting: [node] };
  for (const template of live?.spec.volumeClaimTemplates ?? []) {
    const claim = `${template.metadata?.name}-${statefulSetName(cluster.spec.id)}-${node}`;
    await input.client.delete({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: cluster.metadata.namespace, name: claim });
  }
  // Lower nodes still to go wait for the next pass; a spec that grew again scales up now.
  return { replicas: Math.max(size, liveReplicas), deleting: [], done: `node ${node} removed with its volumes` };
}

function hostOf(uri: string): string {
  try {
    return new URL(uri).hostname.split('.')[0] ?? '';
  } catch {
    return '';
  }
}
