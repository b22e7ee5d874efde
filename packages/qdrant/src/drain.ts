import type { QdrantClient } from '@qdrant/js-client-rest';
import { call, httpStatusOf, QdrantOperationError } from './errors.ts';
import { peerOfHost, readTopology, type Peer } from './topology.ts';
import { awaitTransfer } from './transfer.ts';

export type DrainStep =
  | { kind: 'move_shard'; collection: string; shardId: number; from: number; to: number }
  | { kind: 'drop_replica'; collection: string; shardId: number; peerId: number }
  | { kind: 'remove_peer'; peerId: number };

export interface DrainRequest {
  /** A client for a node that stays: it coordinates, and its view of the cluster is used. */
  client: QdrantClient;
  /** The leaving node's host name (its pod name): the peer whose p2p URI starts with it. */
  host: string;
  /** Peers that may receive shards; peers leaving in the same scale-down must not. */
  mayReceive: (peer: Peer) => boolean;
  /** Epoch ms by which the drain must be done: no transfer starts later, an unfinished one is aborted then. */
  deadline: number;
  pollIntervalMs?: number;
  signal?: AbortSignal;
  now?: () => number;
  onStep?: (step: DrainStep) => void;
}

export interface DrainResult {
  /** The leaving peer, or undefined when it was not (or no longer) part of the cluster. */
  peerId?: number;
  steps: DrainStep[];
}

/**
 * Empties one peer and removes it from the cluster, one shard at a time. Resumable: it reads
 * the cluster first and does only what is left, so a drain cut off at any point (a crash, a
 * timeout) is finished by the next call. A shard is moved (its replica count stays) unless
 * every remaining peer already holds it; only then is the leaving replica dropped, and never
 * the last one.
 */
export async function drainPeer(request: DrainRequest): Promise<DrainResult> {
  const now = request.now ?? Date.now;
  const steps: DrainStep[] = [];
  const step = (s: DrainStep) => {
    steps.push(s);
    request.onStep?.(s);
  };
  const topology = await readTopology(request.client);
  const leaving = peerOfHost(topology.peers, request.host);
  if (!leaving) return { steps };
  const receivers = topology.peers.filter((p) => p.id !== leaving.id && request.mayReceive(p));
  const load = new Map(receivers.map((p) => [p.id, 0]));
  for (const c of topology.collections)
    for (const s of c.shards) for (const r of s.replicas) if (load.has(r.peerId)) load.set(r.peerId, load.get(r.peerId)! + 1);

  for (const initial of topology.collections) {
    let placement = initial;
    // A transfer from an earlier, interrupted drain: let it finish (or time out) first.
    for (const t of placement.transfers.filter((x) => x.from === leaving.id || x.to === leaving.id)) {
      placement = await awaitTransfer(request, placement.name, t.shardId, t.from, t.to, now);
    }
    for (const shard of placement.shards) {
      if (!shard.replicas.some((r) => r.peerId === leaving.id)) continue;
      const holders = new Set(shard.replicas.map((r) => r.peerId));
      const target = receivers.filter((p) => !holders.has(p.id)).toSorted((a, b) => load.get(a.id)! - load.get(b.id)! || a.id - b.id)[0];
      if (target) {
        // Past the deadline a new transfer would only be aborted at its first poll: start none.
        if (now() >= request.deadline) {
          throw new QdrantOperationError('Timeout', `out of time before moving shard ${shard.id} of collection ${placement.name}; nothing was started`);
        }
        step({ kind: 'move_shard', collection: placement.name, shardId: shard.id, from: leaving.id, to: target.id });
        await call(`POST /collections/${placement.name}/cluster move_shard ${shard.id} ${leaving.id}→${target.id}`, () =>
          request.client.updateCollectionCluster(placement.name, { move_shard: { shard_id: shard.id, from_peer_id: leaving.id, to_peer_id: target.id } }),
        );
        load.set(target.id, load.get(target.id)! + 1);
        const after = await awaitTransfer(request, placement.name, shard.id, leaving.id, target.id, now);
        const moved = after.shards.find((s) => s.id === shard.id);
        if (!moved?.replicas.some((r) => r.peerId === target.id && r.state === 'Active') || moved.replicas.some((r) => r.peerId === leaving.id)) {
          throw new QdrantOperationError(
            'TransferFailed',
            `shard ${shard.id} of collection ${placement.name} did not arrive on peer ${target.id}: the transfer from peer ${leaving.id} ended without it`,
          );
        }
        continue;
      }
      const others = shard.replicas.filter((r) => r.peerId !== leaving.id && r.state === 'Active');
      if (others.length === 0) {
        throw new QdrantOperationError(
          'NoTarget',
          `shard ${shard.id} of collection ${placement.name} has no other active replica and no peer that may receive it`,
        );
      }
      step({ kind: 'drop_replica', collection: placement.name, shardId: shard.id, peerId: leaving.id });
      await call(`POST /collections/${placement.name}/cluster drop_replica ${shard.id}@${leaving.id}`, () =>
        request.client.updateCollectionCluster(placement.name, { drop_replica: { shard_id: shard.id, peer_id: leaving.id } }),
      );
    }
  }

  step({ kind: 'remove_peer', peerId: leaving.id });
  try {
    await request.client.api().removePeer({ peer_id: leaving.id, force: false });
  } catch (error) {
    // Already gone: an earlier call removed it and died before it could tell.
    if (httpStatusOf(error) !== 404) await call(`DELETE /cluster/peer/${leaving.id}`, () => Promise.reject(error));
  }
  return { peerId: leaving.id, steps };
}
