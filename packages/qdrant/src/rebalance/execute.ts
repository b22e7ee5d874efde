import type { QdrantClient } from '@qdrant/js-client-rest';
import { call, QdrantOperationError } from '../errors.ts';
import { awaitTransfer } from '../transfer.ts';
import type { Move } from './plan.ts';

export interface ExecuteOptions {
  client: QdrantClient;
  /** Transfers at once; a peer takes part in one at a time (Qdrant's default transfer limits). */
  concurrency?: number;
  /** Epoch ms: no move starts later, a transfer still running then is aborted, and the plan fails. */
  deadline: number;
  pollIntervalMs?: number;
  signal?: AbortSignal;
  now?: () => number;
  onEvent?: (event: { type: 'started' | 'finished'; move: Move; ms?: number }) => void;
}

export interface ExecuteResult {
  done: Move[];
}

/**
 * Runs a plan: each move is a `move_shard`, awaited until the transfer is gone and the shard
 * is active on the target. Moves of one shard run in plan order; a peer is in one transfer at
 * a time. On the first failure no new move starts, the running ones finish, and the error is
 * thrown: the cluster is left with every shard fully replicated, some moves done.
 */
export async function executePlan(moves: Move[], options: ExecuteOptions): Promise<ExecuteResult> {
  const now = options.now ?? Date.now;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const pending = [...moves];
  const busyPeers = new Set<number>();
  const busyShards = new Set<string>();
  const done: Move[] = [];
  // Set from the moves' promises: read by the loop below after each await.
  const state: { failure?: unknown; failed: boolean } = { failed: false };
  const running = new Set<Promise<void>>();

  const next = (): Move | undefined => {
    // The first pending move whose shard and peers are free, and no earlier move of its shard waits.
    const waitingShards = new Set<string>();
    for (let i = 0; i < pending.length; i++) {
      const move = pending[i]!;
      const key = `${move.collection}\u0000${move.shardId}`;
      if (!waitingShards.has(key) && !busyShards.has(key) && !busyPeers.has(move.from) && !busyPeers.has(move.to)) {
        pending.splice(i, 1);
        return move;
      }
      waitingShards.add(key);
    }
    return undefined;
  };

  const run = async (move: Move) => {
    const key = `${move.collection}\u0000${move.shardId}`;
    busyShards.add(key);
    busyPeers.add(move.from);
    busyPeers.add(move.to);
    const started = Date.now();
    try {
      // Past the deadline a new transfer would only be aborted at its first poll: start none.
      if (now() >= options.deadline) {
        throw new QdrantOperationError('Timeout', `out of time before moving shard ${move.shardId} of collection ${move.collection}; nothing was started`);
      }
      options.onEvent?.({ type: 'started', move });
      await transfer(move, options, now);
      done.push(move);
      options.onEvent?.({ type: 'finished', move, ms: Date.now() - started });
    } finally {
      busyShards.delete(key);
      busyPeers.delete(move.from);
      busyPeers.delete(move.to);
    }
  };

  while ((pending.length > 0 && !state.failed) || running.size > 0) {
    while (!state.failed && running.size < concurrency) {
      const move = next();
      if (!move) break;
      const promise: Promise<void> = run(move)
        .catch((error: unknown) => {
          if (!state.failed) state.failure = error;
          state.failed = true;
        })
        .finally(() => running.delete(promise));
      running.add(promise);
    }
    if (running.size === 0) break;
    await Promise.race(running);
  }
  if (state.failed) throw state.failure;
  return { done };
}

/** One move_shard, watched like the drain's (aborted at the deadline, a refused abort of an ended one is its end); then the shard must be on the target only. */
async function transfer(move: Move, options: ExecuteOptions, now: () => number): Promise<void> {
  await call(`POST /collections/${move.collection}/cluster move_shard ${move.shardId} ${move.from}→${move.to}`, () =>
    options.client.updateCollectionCluster(move.collection, { move_shard: { shard_id: move.shardId, from_peer_id: move.from, to_peer_id: move.to } }),
  );
  const placement = await awaitTransfer(options, move.collection, move.shardId, move.from, move.to, now);
  const shard = placement.shards.find((s) => s.id === move.shardId);
  if (shard?.replicas.some((r) => r.peerId === move.to && r.state === 'Active') && !shard.replicas.some((r) => r.peerId === move.from)) return;
  throw new QdrantOperationError(
    'TransferFailed',
    `the transfer of shard ${move.shardId} of collection ${move.collection} from peer ${move.from} to ${move.to} ended without the shard arriving`,
  );
}
