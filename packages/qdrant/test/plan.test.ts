import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMoves, planRebalance, type Placement } from '../src/index.ts';

/** Random placements: peers, collections of shards with sizes, each with 1..rf distinct replicas. */
const placements = fc
  .record({ peers: fc.integer({ min: 2, max: 12 }), collections: fc.integer({ min: 1, max: 4 }), seed: fc.integer() })
  .chain(({ peers, collections }) =>
    fc.record({
      peers: fc.constant(Array.from({ length: peers }, (_, i) => 1000 + i * 7)),
      collections: fc.array(
        fc.record({
          rf: fc.integer({ min: 1, max: Math.min(3, peers) }),
          shards: fc.array(
            fc.record({ size: fc.integer({ min: 0, max: 5000 }), picks: fc.array(fc.integer({ min: 0, max: peers - 1 }), { minLength: 3, maxLength: 3 }) }),
            { minLength: 1, maxLength: 40 },
          ),
        }),
        { minLength: collections, maxLength: collections },
      ),
    }),
  )
  .map(({ peers, collections }): Placement => ({
    peers,
    collections: collections.map((c, ci) => ({
      name: `c${ci}`,
      shards: c.shards.map((s, id) => {
        const replicas = [...new Set(s.picks.map((p) => peers[p]!))].slice(0, c.rf);
        return { id, size: s.size, replicas };
      }),
    })),
  }));

function loads(placement: Placement, by: 'count' | 'size'): number[] {
  const load = new Map(placement.peers.map((p) => [p, 0]));
  for (const c of placement.collections) for (const s of c.shards) for (const r of s.replicas) load.set(r, load.get(r)! + (by === 'count' ? 1 : s.size));
  return [...load.values()];
}
const spread = (values: number[]) => Math.max(...values) - Math.min(...values);
const replicaCounts = (placement: Placement) => placement.collections.flatMap((c) => c.shards.map((s) => s.replicas.length));

describe('planRebalance (properties over thousands of random placements)', () => {
  it('by_count: replica counts kept, no peer gets a shard twice, spread within one shard', () => {
    fc.assert(
      fc.property(placements, (placement) => {
        const moves = planRebalance(placement, 'by_count');
        const after = applyMoves(placement, moves); // throws on a move onto a holder or from a non-holder
        expect(replicaCounts(after)).toEqual(replicaCounts(placement));
        for (const c of after.collections) for (const s of c.shards) expect(new Set(s.replicas).size).toBe(s.replicas.length);
        expect(spread(loads(after, 'count'))).toBeLessThanOrEqual(1);
      }),
      { numRuns: 3000 },
    );
  });

  it('by_size: spread within the largest shard', () => {
    fc.assert(
      fc.property(placements, (placement) => {
        const after = applyMoves(placement, planRebalance(placement, 'by_size'));
        expect(replicaCounts(after)).toEqual(replicaCounts(placement));
        const largest = Math.max(0, ...placement.collections.flatMap((c) => c.shards.map((s) => s.size)));
        expect(spread(loads(after, 'size'))).toBeLessThanOrEqual(largest);
      }),
      { numRuns: 3000 },
    );
  });

  it('by_count_and_size: counts within one, sizes never further apart than by count alone', () => {
    fc.assert(
      fc.property(placements, (placement) => {
        const after = applyMoves(placement, planRebalance(placement, 'by_count_and_size'));
        const byCount = applyMoves(placement, planRebalance(placement, 'by_count'));
        expect(spread(loads(after, 'count'))).toBeLessThanOrEqual(1);
        expect(spread(loads(after, 'size'))).toBeLessThanOrEqual(spread(loads(byCount, 'size')));
      }),
      { numRuns: 1000 },
    );
  });

  it('does nothing when disabled, absent, or already even; a second plan after the first is empty', () => {
    const placement: Placement = {
      peers: [1, 2],
      collections: [
        {
          name: 'c',
          shards: [
            { id: 0, size: 1, replicas: [1] },
            { id: 1, size: 1, replicas: [1] },
            { id: 2, size: 1, replicas: [1] },
          ],
        },
      ],
    };
    expect(planRebalance(placement, 'disabled')).toEqual([]);
    expect(planRebalance(placement, undefined)).toEqual([]);
    const moves = planRebalance(placement, 'by_count');
    expect(moves).toHaveLength(1);
    expect(planRebalance(applyMoves(placement, moves), 'by_count')).toEqual([]);
    fc.assert(
      fc.property(placements, (p) => {
        const once = applyMoves(p, planRebalance(p, 'by_count'));
        expect(planRebalance(once, 'by_count')).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves replicas on peers outside the set alone and never targets them', () => {
    const placement: Placement = {
      peers: [1, 2, 3],
      collections: [{ name: 'c', shards: Array.from({ length: 9 }, (_, id) => ({ id, size: 1, replicas: [1, 99] })) }],
    };
    const moves = planRebalance(placement, 'by_count');
    expect(moves.every((m) => m.from !== 99 && m.to !== 99)).toBe(true);
    expect(spread(loads(applyMoves(placement, moves), 'count').slice(0, 3))).toBeLessThanOrEqual(1);
  });
});
