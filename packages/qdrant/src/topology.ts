import type { QdrantClient } from '@qdrant/js-client-rest';
import { call } from './errors.ts';

export interface Peer {
  id: number;
  uri: string;
}

export interface ShardReplica {
  peerId: number;
  state: string;
}

export interface Shard {
  id: number;
  /** Known only for the asking peer's local shards. */
  points?: number;
  replicas: ShardReplica[];
}

export interface Transfer {
  shardId: number;
  from: number;
  to: number;
}

export interface CollectionPlacement {
  name: string;
  shards: Shard[];
  transfers: Transfer[];
}

export interface Topology {
  /** The peer that answered. */
  selfId: number;
  peers: Peer[];
  collections: CollectionPlacement[];
}

/** Peers and, for every collection, where each shard's replicas are and what is moving. */
export async function readTopology(client: QdrantClient): Promise<Topology> {
  const cluster = (await call('GET /cluster', () => client.api().clusterStatus({}))).data.result;
  if (!cluster || cluster.status !== 'enabled') throw new Error('GET /cluster: distributed mode is disabled on this node');
  const peers = Object.entries(cluster.peers).map(([id, p]) => ({ id: Number(id), uri: p?.uri ?? '' }));
  const names = (await call('GET /collections', () => client.getCollections())).collections.map((c) => c.name);
  const collections: CollectionPlacement[] = [];
  for (const name of names) collections.push(await readPlacement(client, name));
  return { selfId: cluster.peer_id, peers, collections };
}

export async function readPlacement(client: QdrantClient, name: string): Promise<CollectionPlacement> {
  const info = await call(`GET /collections/${name}/cluster`, () => client.collectionClusterInfo(name));
  const shards = new Map<number, Shard>();
  const shard = (id: number) => shards.get(id) ?? shards.set(id, { id, replicas: [] }).get(id)!;
  for (const local of info.local_shards) {
    const s = shard(local.shard_id);
    s.points = local.points_count;
    s.replicas.push({ peerId: info.peer_id, state: local.state });
  }
  for (const remote of info.remote_shards) shard(remote.shard_id).replicas.push({ peerId: remote.peer_id, state: remote.state });
  return {
    name,
    shards: [...shards.values()].toSorted((a, b) => a.id - b.id),
    transfers: info.shard_transfers.map((t) => ({ shardId: t.shard_id, from: t.from, to: t.to })),
  };
}

/** The peer whose p2p URI's host is `<host>.…` (a pod name), if any. */
export function peerOfHost(peers: Peer[], host: string): Peer | undefined {
  return peers.find((p) => {
    try {
      return new URL(p.uri).hostname.split('.')[0] === host;
    } catch {
      return false;
    }
  });
}
