// pnpm bench (@qhc/qdrant): how long the rebalancing planner takes for 100 peers and 10,000
// shards, from a placement where the last 20 peers just joined empty (a scale-up from 80).
// Not a test: it prints one table, a row per strategy, and writes it as JSON (@qhc/bench).
import { writeBenchTable, type BenchRow } from '@qhc/bench';
import { applyMoves, planRebalance, type Placement, type RebalanceStrategy } from '../src/index.ts';

const PEERS = 100;
const SHARDS = 10_000;
let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

const peers = Array.from({ length: PEERS }, (_unused, i) => 10_000 + i);
const occupied = peers.slice(0, 80);
const placement: Placement = {
  peers,
  collections: Array.from({ length: 10 }, (_, c) => ({
    name: `collection-${c}`,
    shards: Array.from({ length: SHARDS / 10 }, (_shard, id) => {
      const first = Math.floor(random() * occupied.length);
      return { id, size: Math.floor(random() * 1_000_000), replicas: [occupied[first]!, occupied[(first + 1) % occupied.length]!] };
    }),
  })),
};

const rows: BenchRow[] = [];
for (const strategy of ['by_count', 'by_size', 'by_count_and_size'] as RebalanceStrategy[]) {
  const started = performance.now();
  const moves = planRebalance(placement, strategy);
  const ms = performance.now() - started;
  const after = applyMoves(placement, moves);
  const load = new Map(peers.map((p) => [p, 0]));
  for (const c of after.collections) for (const s of c.shards) for (const r of s.replicas) load.set(r, load.get(r)! + 1);
  const counts = [...load.values()];
  rows.push({
    strategy,
    peers: PEERS,
    shards: SHARDS,
    replicas: SHARDS * 2,
    planMs: Math.round(ms),
    moves: moves.length,
    countSpreadAfter: Math.max(...counts) - Math.min(...counts),
  });
}
writeBenchTable({
  component: 'qdrant',
  title: 'rebalancing plan after a scale-up from 80 to 100 peers (the 20 new ones empty)',
  columns: [
    { key: 'strategy', header: 'strategy' },
    { key: 'peers', header: 'peers' },
    { key: 'shards', header: 'shards' },
    { key: 'replicas', header: 'replicas' },
    { key: 'planMs', header: 'plan (ms)' },
    { key: 'moves', header: 'moves' },
    { key: 'countSpreadAfter', header: 'replica count spread after (max − min)' },
  ],
  rows,
  context: { placement: 'seeded random, 10 collections, 2 replicas per shard on neighbouring peers' },
});
