import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startQdrantDouble, type ClusterSimulation, type QdrantDouble } from '@qhc/qdrant-double';
import { QdrantOperationError, connectQdrant, executePlan, type ExecuteOptions, type Move } from '../src/index.ts';

let double: QdrantDouble;
let key = '';
let sim: ClusterSimulation;
let counter = 0;

beforeAll(async () => {
  double = await startQdrantDouble();
});
afterAll(async () => {
  await double.close();
});
beforeEach(() => {
  key = `ns/e${counter++}`;
  sim = double.cluster(key, (node) => `http://qdrant-e-${node}.qdrant-e-headless.ns:6335/`);
  double.calls.length = 0;
  double.faults.length = 0;
});

function options(overrides: Partial<ExecuteOptions> = {}): ExecuteOptions {
  return { client: connectQdrant({ url: double.nodeUrl(key, 0) }, { timeoutMs: 2_000 }), deadline: Date.now() + 10_000, pollIntervalMs: 10, ...overrides };
}

/** Two peers, collection `a` with `shards` shards of one replica each; moves of every shard on the first peer to the second. */
function movesOffFirstPeer(shards: number): Move[] {
  const [from, to] = [sim.addPeer(0).id, sim.addPeer(1).id];
  sim.addCollection('a', { shards });
  return sim
    .collection('a')
    .shards.filter((s) => s.replicas.some((r) => r.peerId === from))
    .map((s) => ({ collection: 'a', shardId: s.id, from, to, size: 1 }));
}

const writes = () => double.calls.filter((c) => c.method !== 'GET').map((c) => [Object.keys(c.body as object)[0], c.status]);

function expectEveryShardActive() {
  for (const s of sim.collection('a').shards) expect(s.replicas.filter((r) => r.state === 'Active').length, `a/${s.id}`).toBe(1);
}

describe('executePlan: a transfer that ends at the deadline', () => {
  it('takes a refused abort of a transfer that just ended as the end of the transfer, not a failure', async () => {
    const [move] = movesOffFirstPeer(2);
    sim.transfer.durationMs = Number.POSITIVE_INFINITY;
    // The deadline passes once the move has started; the transfer ends just before the abort reaches Qdrant.
    const clock = { now: 0 };
    double.onRequest = (call) => {
      if ((call.body as { abort_transfer?: unknown } | undefined)?.abort_transfer) for (const t of sim.collection('a').transfers) t.finishesAt = 0;
    };
    let result;
    try {
      result = await executePlan([move!], options({ deadline: 100, now: () => clock.now, onEvent: () => (clock.now = 200) }));
    } finally {
      double.onRequest = undefined;
    }
    expect(result.done).toEqual([move]);
    expect(writes()).toEqual([
      ['move_shard', 200],
      ['abort_transfer', 400],
    ]);
    expect(sim.finishedTransfers.map((t) => t.outcome)).toEqual(['done']);
    expect(
      sim
        .collection('a')
        .shards.find((s) => s.id === move!.shardId)!
        .replicas.map((r) => r.peerId),
    ).toEqual([move!.to]);
    expectEveryShardActive();
  });
});

describe('executePlan: out of time before a move', () => {
  it('starts no transfer once the deadline has passed, so none is aborted, and the next call moves the shard', async () => {
    const moves = movesOffFirstPeer(2);
    const events: string[] = [];
    const error = await executePlan(moves, options({ deadline: Date.now() - 1, onEvent: (e) => events.push(e.type) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QdrantOperationError);
    expect((error as QdrantOperationError).reason).toBe('Timeout');
    expect((error as Error).message).toBe(`out of time before moving shard ${moves[0]!.shardId} of collection a; nothing was started`);
    expect(events).toEqual([]);
    expect(writes()).toEqual([]);
    expect(sim.finishedTransfers).toEqual([]);
    expect((await executePlan(moves, options())).done).toEqual(moves);
    expect(sim.finishedTransfers.map((t) => t.outcome)).toEqual(moves.map(() => 'done'));
    expectEveryShardActive();
  });

  it('starts no further move once the deadline passes during the plan, and names it', async () => {
    const moves = movesOffFirstPeer(4);
    expect(moves.length).toBeGreaterThanOrEqual(2);
    sim.transfer.durationMs = 20;
    // The deadline passes as the first move finishes; the moves share their peers, so the next one starts only then.
    const clock = { now: 0 };
    const events: string[] = [];
    const onEvent: ExecuteOptions['onEvent'] = (e) => {
      events.push(`${e.type} ${e.move.shardId}`);
      if (e.type === 'finished') clock.now = 200;
    };
    const error = await executePlan(moves, options({ deadline: 100, now: () => clock.now, onEvent })).catch((e: unknown) => e);
    expect((error as QdrantOperationError).reason).toBe('Timeout');
    expect((error as Error).message).toBe(`out of time before moving shard ${moves[1]!.shardId} of collection a; nothing was started`);
    expect(events).toEqual([`started ${moves[0]!.shardId}`, `finished ${moves[0]!.shardId}`]);
    expect(writes()).toEqual([['move_shard', 200]]);
    expect(sim.finishedTransfers.map((t) => t.outcome)).toEqual(['done']);
    expectEveryShardActive();
  });
});
