// The rebalancing planner: pure. Given where every shard replica is, it returns the moves
// that even out the replicas per peer by count, by size, or both. A move keeps the replica
// count (the source replica goes only once the target has it) and never targets a peer that
// already holds the shard, so no plan can lower a shard below its replication factor.

export type RebalanceStrategy = 'by_count' | 'by_size' | 'by_count_and_size' | 'disabled';

export interface PlacedShard {
  id: number;
  /** Bytes or points: any additive weight, the same unit for every shard. */
  size: number;
  /** Peer ids holding a replica. */
  replicas: number[];
}

export interface PlacedCollection {
  name: string;
  shards: PlacedShard[];
}

export interface Placement {
  /** The peers that may hold shards (peers that stay and are alive). */
  peers: number[];
  collections: PlacedCollection[];
}

export interface Move {
  collection: string;
  shardId: number;
  from: number;
  to: number;
  size: number;
}

interface Replica {
  key: string;
  collection: string;
  shardId: number;
  size: number;
}

/** A mutable view of the placement: which replica keys each peer holds, and its loads. */
class Board {
  readonly held = new Map<number, Map<string, Replica>>();
  readonly count = new Map<number, number>();
  readonly bytes = new Map<number, number>();
  /** Shard key → peers that hold it. */
  readonly holders = new Map<string, Set<number>>();
  largest = 0;

  constructor(placement: Placement) {
    for (const peer of placement.peers) {
      this.held.set(peer, new Map());
      this.count.set(peer, 0);
      this.bytes.set(peer, 0);
    }
    for (const c of placement.collections) {
      for (const s of c.shards) {
        const key = `${c.name}\u0000${s.id}`;
        this.holders.set(key, new Set(s.replicas));
        this.largest = Math.max(this.largest, s.size);
        for (const peer of s.replicas) {
          const held = this.held.get(peer);
          // A replica on a peer outside the set (leaving, dead) is not the planner's to move.
          if (!held) continue;
          held.set(key, { key, collection: c.name, shardId: s.id, size: s.size });
          this.count.set(peer, this.count.get(peer)! + 1);
          this.bytes.set(peer, this.bytes.get(peer)! + s.size);
        }
      }
    }
  }

  move(replica: Replica, from: number, to: number): Move {
    this.held.get(from)!.delete(replica.key);
    this.held.get(to)!.set(replica.key, replica);
    this.holders.get(replica.key)!.delete(from);
    this.holders.get(replica.key)!.add(to);
    this.count.set(from, this.count.get(from)! - 1);
    this.count.set(to, this.count.get(to)! + 1);
    this.bytes.set(from, this.bytes.get(from)! - replica.size);
    this.bytes.set(to, this.bytes.get(to)! + replica.size);
    return { collection: replica.collection, shardId: replica.shardId, from, to, size: replica.size };
  }

  /** Replicas on `from` whose shard `to` does not hold. */
  *movable(from: number, to: number): Generator<Replica> {
    for (const replica of this.held.get(from)!.values()) if (!this.holders.get(replica.key)!.has(to)) yield replica;
  }
}

function extremes(load: Map<number, number>): { max: number; min: number } {
  let max = -1;
  let min = -1;
  for (const [peer, value] of load) {
    if (max < 0 || value > load.get(max)! || (value === load.get(max)! && peer < max)) max = peer;
    if (min < 0 || value < load.get(min)! || (value === load.get(min)! && peer < min)) min = peer;
  }
  return { max, min };
}

/**
 * By count: move from the fullest peer to the emptiest until they differ by at most one.
 * While they differ by two or more the fullest holds a shard the emptiest does not (it has
 * more), so every step is possible, and each lowers the sum of squared loads: it ends.
 */
function balanceCount(board: Board, moves: Move[]): void {
  for (;;) {
    const { max, min } = extremes(board.count);
    if (max < 0 || board.count.get(max)! - board.count.get(min)! <= 1) return;
    const replica = board.movable(max, min).next().value as Replica;
    moves.push(board.move(replica, max, min));
  }
}

/**
 * By size: move from the heaviest peer to the lightest until they differ by at most the
 * largest shard. Then a shard of the heaviest that the lightest lacks, with a positive size
 * below the difference, always exists; the one nearest half the difference is moved.
 */
function balanceSize(board: Board, moves: Move[]): void {
  for (;;) {
    const { max, min } = extremes(board.bytes);
    const diff = max < 0 ? 0 : board.bytes.get(max)! - board.bytes.get(min)!;
    if (diff <= board.largest || diff <= 0) return;
    let best: Replica | undefined;
    for (const replica of board.movable(max, min)) {
      if (replica.size <= 0 || replica.size >= diff) continue;
      if (!best || Math.abs(diff / 2 - replica.size) < Math.abs(diff / 2 - best.size)) best = replica;
    }
    if (!best) return;
    moves.push(board.move(best, max, min));
  }
}

/**
 * Count first (within one), then sizes by swaps: a larger shard of the heaviest peer for a
 * smaller one of the lightest keeps both counts and narrows the size gap. Best effort on
 * size, bounded by the number of shards.
 */
function balanceCountThenSize(board: Board, moves: Move[]): void {
  balanceCount(board, moves);
  const limit = [...board.holders.keys()].length;
  for (let round = 0; round < limit; round++) {
    const { max, min } = extremes(board.bytes);
    const diff = max < 0 ? 0 : board.bytes.get(max)! - board.bytes.get(min)!;
    if (diff <= board.largest) return;
    let best: { give: Replica; take: Replica; gain: number } | undefined;
    const takes = [...board.movable(min, max)];
    for (const give of board.movable(max, min)) {
      for (const take of takes) {
        const delta = give.size - take.size;
        if (delta <= 0 || delta >= diff) continue;
        const gain = Math.abs(diff / 2 - delta);
        if (!best || gain < best.gain) best = { give, take, gain };
      }
    }
    if (!best) return;
    moves.push(board.move(best.give, max, min), board.move(best.take, min, max));
  }
}

/** The moves that even out the placement by `strategy`; none for `disabled`. */
export function planRebalance(placement: Placement, strategy: RebalanceStrategy | undefined): Move[] {
  if (!strategy || strategy === 'disabled' || placement.peers.length < 2) return [];
  const board = new Board(placement);
  const moves: Move[] = [];
  if (strategy === 'by_count') balanceCount(board, moves);
  else if (strategy === 'by_size') balanceSize(board, moves);
  else balanceCountThenSize(board, moves);
  const compacted = compact(moves);
  try {
    applyMoves(placement, compacted);
    return compacted;
  } catch {
    // Merging journeys can reorder a move before the one that freed its target; keep every step then.
    return moves;
  }
}

/**
 * A replica moved A→B then B→C is one move A→C; moved A→B then B→A, none. Transfers are
 * the expensive part, so the plan says each replica's journey once.
 */
function compact(moves: Move[]): Move[] {
  const journeys = new Map<string, Move>();
  const order: string[] = [];
  for (const move of moves) {
    // A replica is identified by shard and its current peer.
    const key = `${move.collection}\u0000${move.shardId}\u0000${move.from}`;
    const earlier = journeys.get(key);
    journeys.delete(key);
    const merged = earlier ? { ...earlier, to: move.to } : move;
    const next = `${move.collection}\u0000${move.shardId}\u0000${move.to}`;
    if (!earlier) order.push(next);
    else order[order.indexOf(key)] = next;
    journeys.set(next, merged);
  }
  return order.map((k) => journeys.get(k)!).filter((m) => m.from !== m.to);
}

/** The loads a placement has after `moves`: for checks and reports. */
export function applyMoves(placement: Placement, moves: Move[]): Placement {
  const collections = placement.collections.map((c) => ({ ...c, shards: c.shards.map((s) => ({ ...s, replicas: [...s.replicas] })) }));
  for (const move of moves) {
    const shard = collections.find((c) => c.name === move.collection)!.shards.find((s) => s.id === move.shardId)!;
    if (!shard.replicas.includes(move.from)) throw new Error(`move of ${move.collection}/${move.shardId}: peer ${move.from} does not hold it`);
    if (shard.replicas.includes(move.to)) throw new Error(`move of ${move.collection}/${move.shardId}: peer ${move.to} already holds it`);
    shard.replicas[shard.replicas.indexOf(move.from)] = move.to;
  }
  return { peers: placement.peers, collections };
}
