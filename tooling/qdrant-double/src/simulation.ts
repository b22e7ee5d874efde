// A small model of a distributed Qdrant cluster: peers, collections whose shards have
// replicas on peers, and shard transfers that take time, can hang, or fail midway.
// It answers with the shapes of Qdrant's REST API (GET /cluster, GET /collections/{c}/cluster,
// GET /collections/{c}, POST /collections/{c}/cluster, DELETE /cluster/peer/{id}); the HTTP layer is in server.ts.

export type ReplicaState = 'Active' | 'Dead' | 'Partial' | 'Initializing' | 'Listener';

export interface SimPeer {
  id: number;
  /** The node index (StatefulSet ordinal) this peer runs on. */
  node: number;
  uri: string;
  /** The volume it runs on: the same volume is the same peer, a new one a new peer. */
  incarnation?: string;
}

export interface SimReplica {
  peerId: number;
  state: ReplicaState;
}

export interface SimShard {
  id: number;
  /** The size in points; the planner's "by size" weight. */
  points: number;
  replicas: SimReplica[];
}

export interface SimTransfer {
  shardId: number;
  from: number;
  to: number;
  sync: boolean;
  method: string;
  kind: 'move' | 'replicate';
  /** Epoch ms when it completes; Infinity never completes. */
  finishesAt: number;
  /** It fails instead of completing: the target replica is dropped, the source kept. */
  fails: boolean;
}

export interface SimCollection {
  name: string;
  replicationFactor: number;
  shards: SimShard[];
  transfers: SimTransfer[];
}

/** Raised for requests Qdrant would refuse; the server turns it into a 4xx with Qdrant's error body. */
export class QdrantRefusal extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface TransferBehaviour {
  /** How long a transfer takes. Infinity: it never finishes. */
  durationMs: number;
  /** Fail this many of the next transfers midway (after durationMs). */
  failNext: number;
}

export class ClusterSimulation {
  readonly peers = new Map<number, SimPeer>();
  readonly collections = new Map<string, SimCollection>();
  readonly transfer: TransferBehaviour = { durationMs: 50, failNext: 0 };
  /** Transfers that ended, in order, for assertions. */
  readonly finishedTransfers: Array<SimTransfer & { collection: string; outcome: 'done' | 'failed' | 'aborted' }> = [];
  private nextPeerId = 1_000;
  private readonly uriFor: (node: number) => string;

  constructor(uriFor: (node: number) => string) {
    this.uriFor = uriFor;
  }

  addPeer(node: number): SimPeer {
    const existing = this.peerOnNode(node);
    if (existing) return existing;
    // Qdrant's peer ids are random u64s; distinct, non-sequential ids catch code that assumes index = id.
    const peer = { id: (this.nextPeerId += 7919), node, uri: this.uriFor(node) };
    this.peers.set(peer.id, peer);
    return peer;
  }

  /**
   * A node's Qdrant process started on the volume `incarnation`. Qdrant keeps its peer id on
   * disk: the same volume rejoins as the same peer; a new volume joins as a new peer; a
   * volume whose peer was removed from the cluster never rejoins.
   */
  join(node: number, incarnation: string): SimPeer | undefined {
    const known = [...this.peers.values()].find((p) => p.incarnation === incarnation);
    if (known) return known;
    if (this.removedIncarnations.has(incarnation)) return undefined;
    const peer = { id: (this.nextPeerId += 7919), node, uri: this.uriFor(node), incarnation };
    this.peers.set(peer.id, peer);
    return peer;
  }

  private readonly removedIncarnations = new Set<string>();

  /** The peer the node runs now: the last to join from it (an older one is a dead leftover). */
  peerOnNode(node: number): SimPeer | undefined {
    return [...this.peers.values()].filter((p) => p.node === node).at(-1);
  }

  /** A collection with `shards` shards of `replicationFactor` replicas, placed round-robin. */
  addCollection(name: string, options: { shards: number; replicationFactor?: number; points?: (shard: number) => number }): SimCollection {
    const peers = [...this.peers.keys()];
    const rf = Math.min(options.replicationFactor ?? 1, peers.length);
    const collection: SimCollection = {
      name,
      replicationFactor: options.replicationFactor ?? 1,
      transfers: [],
      shards: Array.from({ length: options.shards }, (_, id) => ({
        id,
        points: options.points?.(id) ?? 100,
        replicas: Array.from({ length: rf }, (_unused, r) => ({ peerId: peers[(id + r) % peers.length]!, state: 'Active' as const })),
      })),
    };
    this.collections.set(name, collection);
    return collection;
  }

  /** Completes or fails transfers whose time has come; called before every read or write. */
  settle(now = Date.now()): void {
    for (const collection of this.collections.values()) {
      for (const t of collection.transfers.slice()) {
        if (t.finishesAt > now) continue;
        const shard = collection.shards.find((s) => s.id === t.shardId)!;
        collection.transfers.splice(collection.transfers.indexOf(t), 1);
        if (t.fails) {
          shard.replicas = shard.replicas.filter((r) => r.peerId !== t.to);
          this.finishedTransfers.push({ ...t, collection: collection.name, outcome: 'failed' });
          continue;
        }
        const target = shard.replicas.find((r) => r.peerId === t.to);
        if (target) target.state = 'Active';
        if (t.kind === 'move') shard.replicas = shard.replicas.filter((r) => r.peerId !== t.from);
        this.finishedTransfers.push({ ...t, collection: collection.name, outcome: 'done' });
      }
    }
  }

  collection(name: string): SimCollection {
    const c = this.collections.get(name);
    if (!c) throw new QdrantRefusal(404, `Not found: Collection \`${name}\` doesn't exist!`);
    return c;
  }

  /** Shard replicas per peer id, over all collections. */
  shardsPerPeer(): Map<number, number> {
    const counts = new Map<number, number>([...this.peers.keys()].map((id) => [id, 0]));
    for (const c of this.collections.values()) for (const s of c.shards) for (const r of s.replicas) counts.set(r.peerId, (counts.get(r.peerId) ?? 0) + 1);
    return counts;
  }

  startTransfer(collectionName: string, kind: 'move' | 'replicate', op: { shard_id: number; from_peer_id: number; to_peer_id: number; method?: string }): void {
    const collection = this.collection(collectionName);
    const shard = collection.shards.find((s) => s.id === op.shard_id);
    if (!shard) throw new QdrantRefusal(400, `Bad request: Shard ${op.shard_id} does not exist`);
    if (!this.peers.has(op.to_peer_id)) throw new QdrantRefusal(400, `Bad request: Peer ${op.to_peer_id} does not exist`);
    if (!shard.replicas.some((r) => r.peerId === op.from_peer_id && r.state === 'Active')) {
      throw new QdrantRefusal(400, `Bad request: Shard ${op.shard_id} is not active on peer ${op.from_peer_id}`);
    }
    if (shard.replicas.some((r) => r.peerId === op.to_peer_id)) {
      throw new QdrantRefusal(400, `Bad request: Shard ${op.shard_id} is already involved in transfer or exists on peer ${op.to_peer_id}`);
    }
    if (collection.transfers.some((t) => t.shardId === op.shard_id)) {
      throw new QdrantRefusal(400, `Bad request: Shard ${op.shard_id} is already involved in transfer`);
    }
    const fails = this.transfer.failNext > 0;
    if (fails) this.transfer.failNext--;
    shard.replicas.push({ peerId: op.to_peer_id, state: 'Partial' });
    collection.transfers.push({
      shardId: op.shard_id,
      from: op.from_peer_id,
      to: op.to_peer_id,
      sync: false,
      method: op.method ?? 'stream_records',
      kind,
      finishesAt: Date.now() + this.transfer.durationMs,
      fails,
    });
  }

  abortTransfer(collectionName: string, op: { shard_id: number; from_peer_id: number; to_peer_id: number }): void {
    const collection = this.collection(collectionName);
    const t = collection.transfers.find((x) => x.shardId === op.shard_id && x.from === op.from_peer_id && x.to === op.to_peer_id);
    if (!t) throw new QdrantRefusal(400, `Bad request: Shard ${op.shard_id} is not being transferred from ${op.from_peer_id} to ${op.to_peer_id}`);
    collection.transfers.splice(collection.transfers.indexOf(t), 1);
    const shard = collection.shards.find((s) => s.id === op.shard_id)!;
    shard.replicas = shard.replicas.filter((r) => r.peerId !== op.to_peer_id);
    this.finishedTransfers.push({ ...t, collection: collection.name, outcome: 'aborted' });
  }

  dropReplica(collectionName: string, op: { shard_id: number; peer_id: number }): void {
    const collection = this.collection(collectionName);
    const shard = collection.shards.find((s) => s.id === op.shard_id);
    if (!shard?.replicas.some((r) => r.peerId === op.peer_id))
      throw new QdrantRefusal(400, `Bad request: Shard ${op.shard_id} does not exist on peer ${op.peer_id}`);
    if (shard.replicas.length === 1) throw new QdrantRefusal(400, `Bad request: Shard ${op.shard_id} must have at least one replica`);
    shard.replicas = shard.replicas.filter((r) => r.peerId !== op.peer_id);
  }

  removePeer(peerId: number, force: boolean): void {
    if (!this.peers.has(peerId)) throw new QdrantRefusal(404, `Not found: Peer ${peerId} does not exist`);
    const holds = [...this.collections.values()].some((c) => c.shards.some((s) => s.replicas.some((r) => r.peerId === peerId)));
    if (holds && !force) throw new QdrantRefusal(400, `Bad request: Cannot remove peer ${peerId} as there are shards on it`);
    const incarnation = this.peers.get(peerId)?.incarnation;
    if (incarnation) this.removedIncarnations.add(incarnation);
    this.peers.delete(peerId);
    for (const c of this.collections.values()) for (const s of c.shards) s.replicas = s.replicas.filter((r) => r.peerId !== peerId);
  }

  /** The response of GET /cluster as the peer on `node` sees it. */
  clusterInfo(node: number): unknown {
    const self = this.peerOnNode(node);
    if (!self) throw new QdrantRefusal(503, `Service unavailable: node ${node} has no running peer`);
    const leader = [...this.peers.keys()].toSorted((a, b) => a - b)[0];
    return {
      status: 'enabled',
      peer_id: self.id,
      peers: Object.fromEntries([...this.peers.values()].map((p) => [String(p.id), { uri: p.uri }])),
      raft_info: { term: 3, commit: 42, pending_operations: 0, leader, role: self.id === leader ? 'Leader' : 'Follower', is_voter: true },
      consensus_thread_status: { consensus_thread_status: 'working', last_update: new Date().toISOString() },
      message_send_failures: {},
    };
  }

  /** The response of GET /collections/{c}: what qhc reads of it is config.params. */
  collectionInfo(name: string): unknown {
    const c = this.collection(name);
    const points = c.shards.reduce((sum, s) => sum + s.points, 0);
    return {
      status: 'green',
      optimizer_status: 'ok',
      segments_count: c.shards.length * 2,
      points_count: points,
      indexed_vectors_count: points,
      config: {
        params: {
          vectors: { size: 4, distance: 'Cosine' },
          shard_number: c.shards.length,
          replication_factor: c.replicationFactor,
          write_consistency_factor: 1,
          on_disk_payload: true,
        },
        hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000, max_indexing_threads: 0, on_disk: false },
        optimizer_config: { deleted_threshold: 0.2, vacuum_min_vector_number: 1000, default_segment_number: 0, flush_interval_sec: 5 },
        wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
      },
      payload_schema: {},
    };
  }

  /** The response of GET /collections/{c}/cluster as the peer on `node` sees it. */
  collectionClusterInfo(name: string, node: number): unknown {
    const self = this.peerOnNode(node);
    if (!self) throw new QdrantRefusal(503, `Service unavailable: node ${node} has no running peer`);
    const c = this.collection(name);
    const local = [];
    const remote = [];
    for (const s of c.shards) {
      for (const r of s.replicas) {
        if (r.peerId === self.id) local.push({ shard_id: s.id, points_count: s.points, state: r.state });
        else remote.push({ shard_id: s.id, peer_id: r.peerId, state: r.state });
      }
    }
    return {
      peer_id: self.id,
      shard_count: c.shards.length,
      local_shards: local,
      remote_shards: remote,
      shard_transfers: c.transfers.map((t) => ({ shard_id: t.shardId, from: t.from, to: t.to, sync: t.sync, method: t.method })),
    };
  }
}
