import type { QdrantClient } from '@qdrant/js-client-rest';
import { call, httpStatusOf, QdrantOperationError } from './errors.ts';
import { readPlacement, type CollectionPlacement } from './topology.ts';

export interface TransferWatch {
  client: QdrantClient;
  /** Epoch ms; a transfer still listed then is aborted. */
  deadline: number;
  pollIntervalMs?: number;
  signal?: AbortSignal;
}

/** Polls until the transfer is no longer listed; past the deadline it is aborted and fails. */
export async function awaitTransfer(
  watch: TransferWatch,
  collection: string,
  shardId: number,
  from: number,
  to: number,
  now: () => number,
): Promise<CollectionPlacement> {
  const interval = watch.pollIntervalMs ?? 1_000;
  for (;;) {
    watch.signal?.throwIfAborted();
    const placement = await readPlacement(watch.client, collection);
    if (!placement.transfers.some((t) => t.shardId === shardId && t.from === from && t.to === to)) return placement;
    if (now() >= watch.deadline) {
      const ended = await abortTransfer(watch.client, collection, shardId, from, to);
      if (ended) return ended;
      throw new QdrantOperationError(
        'TransferTimeout',
        `the transfer of shard ${shardId} of collection ${collection} from peer ${from} to ${to} did not finish in time; it was aborted`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/**
 * Aborts a transfer; undefined once it is aborted. A transfer can end between the poll that
 * saw it and the abort, and Qdrant then refuses the abort (400): that is a transfer that
 * ended, whose placement is returned for the caller to check, not a failed drain.
 */
async function abortTransfer(client: QdrantClient, collection: string, shardId: number, from: number, to: number): Promise<CollectionPlacement | undefined> {
  try {
    await call(`POST /collections/${collection}/cluster abort_transfer ${shardId} ${from}→${to}`, () =>
      client.updateCollectionCluster(collection, { abort_transfer: { shard_id: shardId, from_peer_id: from, to_peer_id: to } }),
    );
    return undefined;
  } catch (error) {
    if (httpStatusOf((error as { cause?: unknown }).cause) !== 400) throw error;
    const placement = await readPlacement(client, collection);
    if (placement.transfers.some((t) => t.shardId === shardId && t.from === from && t.to === to)) throw error;
    return placement;
  }
}
