import type { QdrantClient } from '@qdrant/js-client-rest';
import { call, QdrantOperationError } from '../errors.ts';
import { readPlacement } from '../topology.ts';
import type { Move } from './plan.ts';

export interface ExecuteOptions {
  client: QdrantClient;
  /** Transfers at once; a peer takes part in one at a time (Qdrant's default transfer limits). */
  concurrency?: number;
  /** Epoch ms: a transfer still running then is aborted and the plan fails. */
  deadline: number;
  pollIntervalMs?: number;
  signal?: AbortSignal;
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
      options.onEvent?.({ type: 'started', move });
      await transfer(move, options);
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

async function transfer(move: Move, options: ExecuteOptions): Promise<void> {
  const { client } = options;
  const what = `shard ${move.shardId} of collection ${move.collection} from peer ${move.from} to ${move.to}`;
  await call(`POST /collections/${move.collection}/cluster move_shard ${move.shardId} ${move.from}→${move.to}`, () =>
    client.updateCollectionCluster(move.collection, { move_shard: { shard_id: move.shardId, from_peer_id: move.from, to_peer_id: move.to } }),
  );
  for (;;) {
    options.signal?.throwIfAborted();
    const placement = await readPlacement(client, move.collection);
    const inFlight = placement.transfers.some((t) => t.shardId === move.shardId && t.from === move.from && t.to === move.to);
    if (!inFlight) {
      const shard = placement.shards.find((s) => s.id === move.shardId);
      if (shard?.replicas.some((r) => r.peerId === move.to && r.state === 'Active') && !shard.replicas.some((r) => r.peerId === move.from)) return;
      throw new QdrantOperationError('TransferFailed', `the transfer of ${what} ended without the shard arriving`);
    }
    if (Date.now() >= options.deadline) {
      await call(`POST /collections/${move.collection}/cluster abort_transfer ${move.shardId}`, () =>
        client.updateCollectionCluster(move.collection, { abort_transfer: { shard_id: move.shardId, from_peer_id: move.from, to_peer_id: move.to } }),
      );
      throw new QdrantOperationError('TransferTimeout', `the transfer of ${what} did not finish in time; it was aborted`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 1_000));
  }
}
