import type { QdrantClient } from '@qdrant/js-client-rest';
import { call, httpStatusOf, QdrantOperationError } from './errors.ts';
import { peerOfHost, readPlacement, readTopology, type CollectionPlacement } from './topology.ts';
import { awaitTransfer } from './transfer.ts';

/**
 * How much redundancy a restart keeps (a cluster's spec.onDemandReplication):
 * - `Auto`: only shards whose sole active replica is on the restarting peer get a copy, so
 *   every shard stays available while the node is down;
 * - `On`: every shard of the peer that would fall below its collection's replication factor
 *   gets one, so the cluster keeps its full redundancy throughout.
 */
export type OnDemandMode = 'Auto' | 'On';

/** A replica made for a restart, dropped again once the peer it stands in for is back. */
export interface TemporaryReplica {
  collection: string;
  shardId: number;
  /** Where the copy was made. */
  peerId: number;
  /** The restarting peer it stands in for. */
  standsInFor: number;
}

export interface RestartPreparation {
  /** A client for a node that stays up: it coordinates. */
  client: QdrantClient;
  /** The restarting node's host (its pod name). */
  host: string;
  mode: OnDemandMode;
  /** Epoch ms; an unfinished copy is aborted then. */
  deadline: number;
  pollIntervalMs?: number;
  signal?: AbortSignal;
  now?: () => number;
  onReplicate?: (replica: TemporaryReplica) => void;
}

export interface PreparedRestart {
  /** The restarting peer, when the host runs one. */
  peerId?: number;
  /** Copies made by this call. */
  replicas: TemporaryReplica[];
  /** Shards that stay available but below their replication factor: no peer could take another copy. */
  shortfalls: string[];
}

/**
 * Copies the restarting peer's shards to other peers as the mode requires, one transfer at a
 * time, each awaited. Resumable in effect: it reads the placement first, so a copy finished
 * by an earlier, interrupted call already counts and is not made twice (it is not reported
 * as temporary either, and so stays: one replica too many, never one too few).
 */
export async function replicateBeforeRestart(request: RestartPreparation): Promise<PreparedRestart> {
  const now = request.now ?? Date.now;
  const topology = await readTopology(request.client);
  const restarting = peerOfHost(topology.peers, request.host);
  if (!restarting) return { replicas: [], shortfalls: [] };
  const receivers = topology.peers.filter((p) => p.id !== restarting.id);
  const load = new Map(receivers.map((p) => [p.id, 0]));
  for (const c of topology.collections)
    for (const s of c.shards) for (const r of s.replicas) if (load.has(r.peerId)) load.set(r.peerId, load.get(r.peerId)! + 1);

  const replicas: TemporaryReplica[] = [];
  const shortfalls: string[] = [];
  for (const initial of topology.collections) {
    let placement: CollectionPlacement = initial;
    for (const t of placement.transfers.filter((x) => x.from === restarting.id || x.to === restarting.id)) {
      placement = await awaitTransfer(request, placement.name, t.shardId, t.from, t.to, now);
    }
    const factor = request.mode === 'On' ? await replicationFactor(request.client, placement.name) : 1;
    for (const shard of placement.shards) {
      // A replica that is not active serves nothing; restarting it costs no availability.
      if (!shard.replicas.some((r) => r.peerId === restarting.id && r.state === 'Active')) continue;
      const others = shard.replicas.filter((r) => r.peerId !== restarting.id && r.state === 'Active').length;
      const wanted = request.mode === 'Auto' ? (others === 0 ? 1 : 0) : Math.max(0, factor - others);
      const holders = new Set(shard.replicas.map((r) => r.peerId));
      for (let i = 0; i < wanted; i++) {
        const target = receivers.filter((p) => !holders.has(p.id)).toSorted((a, b) => load.get(a.id)! - load.get(b.id)! || a.id - b.id)[0];
        if (!target) {
          if (others + i === 0) {
            throw new QdrantOperationError(
              'NoTarget',
              `shard ${shard.id} of collection ${placement.name} lives only on peer ${restarting.id} and no other peer can take a copy; restarting it would make the shard unavailable`,
            );
          }
          shortfalls.push(`${placement.name}/${shard.id}`);
          break;
        }
        await call(`POST /collections/${placement.name}/cluster replicate_shard ${shard.id} ${restarting.id}→${target.id}`, () =>
          request.client.updateCollectionCluster(placement.name, {
            replicate_shard: { shard_id: shard.id, from_peer_id: restarting.id, to_peer_id: target.id },
          }),
        );
        holders.add(target.id);
        load.set(target.id, load.get(target.id)! + 1);
        const after = await awaitTransfer(request, placement.name, shard.id, restarting.id, target.id, now);
        if (!after.shards.find((s) => s.id === shard.id)?.replicas.some((r) => r.peerId === target.id && r.state === 'Active')) {
          throw new QdrantOperationError(
            'TransferFailed',
            `the copy of shard ${shard.id} of collection ${placement.name} to peer ${target.id} ended without an active replica there`,
          );
        }
        const replica = { collection: placement.name, shardId: shard.id, peerId: target.id, standsInFor: restarting.id };
        replicas.push(replica);
        request.onReplicate?.(replica);
      }
    }
  }
  return { peerId: restarting.id, replicas, shortfalls };
}

export interface ReleaseResult {
  /** Dropped, or no longer there to drop, or now needed (their peer left the cluster). */
  released: TemporaryReplica[];
  /** Their peer is not back yet (no active replica of the shard there): kept for now. */
  pending: TemporaryReplica[];
}

/**
 * Drops temporary replicas whose peer is back with an active replica of the shard. A copy
 * standing in for a peer that has left the cluster is kept: it is now a real replica.
 */
export async function releaseTemporaryReplicas(client: QdrantClient, replicas: TemporaryReplica[]): Promise<ReleaseResult> {
  if (replicas.length === 0) return { released: [], pending: [] };
  const topology = await readTopology(client);
  const peers = new Set(topology.peers.map((p) => p.id));
  const placements = new Map(topology.collections.map((c) => [c.name, c]));
  const result: ReleaseResult = { released: [], pending: [] };
  for (const replica of replicas) {
    const shard = placements.get(replica.collection)?.shards.find((s) => s.id === replica.shardId);
    const copy = shard?.replicas.find((r) => r.peerId === replica.peerId);
    if (!shard || !copy || !peers.has(replica.standsInFor)) {
      result.released.push(replica);
      continue;
    }
    if (!shard.replicas.some((r) => r.peerId === replica.standsInFor && r.state === 'Active')) {
      result.pending.push(replica);
      continue;
    }
    try {
      await client.updateCollectionCluster(replica.collection, { drop_replica: { shard_id: replica.shardId, peer_id: replica.peerId } });
    } catch (error) {
      // Gone meanwhile (another call dropped it): what was asked is done.
      const fresh = httpStatusOf(error) === 400 ? await readPlacement(client, replica.collection).catch(() => undefined) : undefined;
      if (fresh?.shards.find((s) => s.id === replica.shardId)?.replicas.some((r) => r.peerId === replica.peerId) !== false) {
        await call(`POST /collections/${replica.collection}/cluster drop_replica ${replica.shardId}@${replica.peerId}`, () => Promise.reject(error));
      }
    }
    result.released.push(replica);
  }
  return result;
}

async function replicationFactor(client: QdrantClient, collection: string): Promise<number> {
  const info = await call(`GET /collections/${collection}`, () => client.getCollection(collection));
  return info.config.params.replication_factor ?? 1;
}
