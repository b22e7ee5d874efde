import type { QdrantClient } from '@qdrant/js-client-rest';
import { call, QdrantOperationError } from './errors.ts';
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
      await call(`POST /collections/${collection}/cluster abort_transfer ${shardId} ${from}→${to}`, () =>
        watch.client.updateCollectionCluster(collection, { abort_transfer: { shard_id: shardId, from_peer_id: from, to_peer_id: to } }),
      );
      throw new QdrantOperationError(
        'TransferTimeout',
        `the transfer of shard ${shardId} of collection ${collection} from peer ${from} to ${to} did not finish in time; it was aborted`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
