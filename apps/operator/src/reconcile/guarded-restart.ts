import { podName, type QdrantCluster, type TemporaryReplica } from '@qhc/schemas';
import type { KubeClient, KubeObject, Logger } from '@qhc/kube';
import { QdrantOperationError, connectQdrant, releaseTemporaryReplicas, replicateBeforeRestart, type OnDemandMode } from '@qhc/qdrant';
import type { QdrantAccess } from '../qdrant/access.ts';
import { isReady, type ObservedPod } from '../status.ts';

export type RecordedReplica = TemporaryReplica & { node: number };

export interface RestartJob {
  cluster: QdrantCluster;
  /** The node about to restart (prepare) or restarted earlier (release). */
  node: number;
  /** Every node that exists, with whether its pod is Ready. */
  nodes: Array<{ index: number; ready: boolean }>;
  deadline: number;
  signal?: AbortSignal;
}

type Failure = { ok: false; reason: string; message: string };

/** Copies a node's shards before its restart and drops the copies after: in this process or through the cluster manager. */
export interface RestartGuard {
  prepare(job: RestartJob & { mode: OnDemandMode }): Promise<{ ok: true; replicas: TemporaryReplica[]; detail: string } | Failure>;
  release(job: RestartJob & { replicas: TemporaryReplica[] }): Promise<{ ok: true; pending: TemporaryReplica[] } | Failure>;
}

function failed(job: RestartJob, error: unknown): Failure {
  if (job.signal?.aborted) throw error;
  return {
    ok: false,
    reason: error instanceof QdrantOperationError ? `Replicate${error.reason}` : 'ReplicateFailed',
    message: error instanceof Error ? error.message : String(error),
  };
}

/** The guard run by the operator itself, through Qdrant's REST API from a node that stays up. */
export function inProcessRestartGuard(qdrant: QdrantAccess): RestartGuard {
  const coordinator = async (job: RestartJob) => {
    const node = job.nodes.find((n) => n.ready && n.index !== job.node) ?? job.nodes.find((n) => n.ready);
    if (!node) throw new QdrantOperationError('Unreachable', 'no node is ready to coordinate');
    return connectQdrant(await qdrant(job.cluster, node.index), { timeoutMs: 30_000 });
  };
  return {
    prepare: async (job) => {
      try {
        const result = await replicateBeforeRestart({
          client: await coordinator(job),
          host: podName(job.cluster.spec.id, job.node),
          mode: job.mode,
          deadline: job.deadline,
          signal: job.signal,
          pollIntervalMs: 500,
        });
        const shortfall = result.shortfalls.length > 0 ? `; below their replication factor meanwhile: ${result.shortfalls.join(', ')}` : '';
        return { ok: true, replicas: result.replicas, detail: `${result.replicas.length} shard(s) copied (${job.mode})${shortfall}` };
      } catch (error) {
        return failed(job, error);
      }
    },
    release: async (job) => {
      try {
        return { ok: true, pending: (await releaseTemporaryReplicas(await coordinator(job), job.replicas)).pending };
      } catch (error) {
        return failed(job, error);
      }
    },
  };
}

type Pod = ObservedPod & { metadata: { namespace?: string; uid?: string; deletionTimestamp?: string } };

export interface GuardedRestartInput {
  client: KubeClient;
  guard: RestartGuard;
  logger: Logger;
  cluster: QdrantCluster;
  mode: OnDemandMode | 'Off';
  statefulSet:
    | (KubeObject & { spec: { replicas?: number; updateStrategy?: { type?: string } }; status?: { observedGeneration?: number; updateRevision?: string } })
    | undefined;
  /** The cluster's pods, read fresh (only when a restart may be under way). */
  pods: () => Promise<Pod[]>;
  deadline: number;
  signal?: AbortSignal;
  /** Persists status.temporaryReplicas; called before a pod is deleted. */
  record: (replicas: RecordedReplica[]) => Promise<void>;
}

export interface GuardedRestartOutcome {
  /** A restart is under way or waits: the pass should come back soon. */
  busy: boolean;
  /** The node restarted by this pass, with what was done first. */
  restarted?: { node: number; detail: string };
  released?: number;
  failure?: { reason: string; message: string };
}

const indexOf = (pod: Pod) => Number(pod.metadata.name!.slice(pod.metadata.name!.lastIndexOf('-') + 1));

/**
 * onDemandReplication's rollout, for a StatefulSet the operator restarts itself (OnDelete):
 * one node at a time, highest index first, and only while every node is Ready — the copies
 * for the node restarted before are dropped once its peer is back, then the next node's
 * shards get the copies the mode asks for, the copies are recorded in the status, and only
 * then is its pod deleted. Level-based: a pass cut off after recording deletes the pod next
 * time; copies made but not recorded stay as extra replicas (never too few).
 */
export async function stepGuardedRestart(input: GuardedRestartInput): Promise<GuardedRestartOutcome> {
  const { cluster, statefulSet: sts } = input;
  const pending = cluster.status?.temporaryReplicas ?? [];
  const onDelete = sts?.spec.updateStrategy?.type === 'OnDelete';
  if (!sts || (!onDelete && pending.length === 0)) return { busy: false };
  if ((sts.status?.observedGeneration ?? 0) < (sts.metadata.generation ?? 0)) return { busy: true };
  const all = await input.pods();
  const pods = all.filter((p) => !p.metadata.deletionTimestamp);
  const nodes = pods.map((p) => ({ index: indexOf(p), ready: isReady(p) })).toSorted((a, b) => a.index - b.index);
  const allReady = pods.length === all.length && pods.length === (sts.spec.replicas ?? 0) && nodes.every((n) => n.ready);
  const updateRevision = sts.status?.updateRevision;
  const outdated =
    onDelete && updateRevision
      ? pods.filter((p) => p.metadata.labels?.['controller-revision-hash'] !== updateRevision).toSorted((a, b) => indexOf(b) - indexOf(a))
      : [];
  const ns = cluster.metadata.namespace;
  let released = 0;

  if (pending.length > 0) {
    const node = pending[0]!.node;
    const pod = outdated.find((p) => indexOf(p) === node);
    // Recorded, then cut off before the delete: finish the step.
    if (pod) {
      await deletePod(input.client, pod);
      return { busy: true, restarted: { node, detail: `${pending.length} shard(s) copied before` } };
    }
    if (!allReady) return { busy: true };
    const release = await input.guard.release({
      cluster,
      node,
      nodes,
      deadline: input.deadline,
      signal: input.signal,
      replicas: pending.map(({ node: _node, ...r }) => r),
    });
    if (!release.ok) return { busy: true, failure: { reason: release.reason, message: `dropping the copies made for node ${node}: ${release.message}` } };
    const left = pending.filter((r) => release.pending.some((p) => p.collection === r.collection && p.shardId === r.shardId && p.peerId === r.peerId));
    released = pending.length - left.length;
    await input.record(left);
    // The restarted peer is still catching up: the next node waits for it.
    if (left.length > 0) return { busy: true, released };
  }

  if (outdated.length === 0 || input.mode === 'Off') return { busy: outdated.length > 0, released };
  if (!allReady) return { busy: true, released };
  const pod = outdated[0]!;
  const node = indexOf(pod);
  const prepared = await input.guard.prepare({ cluster, node, nodes, deadline: input.deadline, signal: input.signal, mode: input.mode });
  if (!prepared.ok)
    return {
      busy: true,
      released,
      failure: { reason: prepared.reason, message: `before restarting node ${node} (${pod.metadata.name}): ${prepared.message}` },
    };
  if (prepared.replicas.length > 0) await input.record(prepared.replicas.map((r) => ({ ...r, node })));
  await deletePod(input.client, pod);
  input.logger.info('node restarted', { namespace: ns, name: cluster.metadata.name, node, detail: prepared.detail });
  return { busy: true, released, restarted: { node, detail: prepared.detail } };
}

async function deletePod(client: KubeClient, pod: Pod): Promise<void> {
  await client.delete(
    { apiVersion: 'v1', kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name! },
    { preconditions: { uid: pod.metadata.uid } },
  );
}
