import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startQdrantDouble, type ClusterSimulation, type QdrantDouble } from '@qhc/qdrant-double';
import { QdrantOperationError, connectQdrant, releaseTemporaryReplicas, replicateBeforeRestart, type RestartPreparation } from '../src/index.ts';

let double: QdrantDouble;
let key = '';
let sim: ClusterSimulation;
let counter = 0;

const host = (node: number) => `qdrant-r-${node}`;
const uriFor = (node: number) => `http://${host(node)}.qdrant-r-headless.ns:6335/`;

beforeAll(async () => {
  double = await startQdrantDouble();
});
afterAll(async () => {
  await double.close();
});
beforeEach(() => {
  key = `ns/r${counter++}`;
  sim = double.cluster(key, uriFor);
  double.faults.length = 0;
});

const client = () => connectQdrant({ url: double.nodeUrl(key, 0) }, { timeoutMs: 2_000 });

function prepare(node: number, mode: RestartPreparation['mode'], overrides: Partial<RestartPreparation> = {}) {
  return replicateBeforeRestart({ client: client(), host: host(node), mode, deadline: Date.now() + 10_000, pollIntervalMs: 10, ...overrides });
}

/** Active replicas of each shard that `peerId` holds, counted on the other peers. */
function othersOf(peerId: number): number[] {
  const counts: number[] = [];
  for (const c of sim.collections.values()) {
    for (const s of c.shards) {
      if (!s.replicas.some((r) => r.peerId === peerId)) continue;
      counts.push(s.replicas.filter((r) => r.peerId !== peerId && r.state === 'Active').length);
    }
  }
  return counts;
}

describe('replicateBeforeRestart', () => {
  it('Auto copies each shard that lives only on the restarting peer, spreading the copies', async () => {
    const [p0, p1, p2] = [0, 1, 2].map((n) => sim.addPeer(n));
    sim.addCollection('docs', { shards: 6, replicationFactor: 1 });
    sim.addCollection('logs', { shards: 3, replicationFactor: 2 });
    const before = sim.shardsPerPeer();
    const result = await prepare(2, 'Auto');
    expect(result.peerId).toBe(p2!.id);
    // docs: shards 2 and 5 live only on p2; logs (factor 2) keeps a replica elsewhere.
    expect(result.replicas.map((r) => `${r.collection}/${r.shardId}`).toSorted()).toEqual(['docs/2', 'docs/5']);
    expect(new Set(result.replicas.map((r) => r.peerId))).toEqual(new Set([p0!.id, p1!.id]));
    expect(result.replicas.every((r) => r.standsInFor === p2!.id)).toBe(true);
    expect(othersOf(p2!.id).every((n) => n >= 1)).toBe(true);
    // The restarting peer keeps its own replicas.
    expect(sim.shardsPerPeer().get(p2!.id)).toBe(before.get(p2!.id));
  });

  it('Auto makes no copy when every shard has another active replica', async () => {
    [0, 1, 2].forEach((n) => sim.addPeer(n));
    sim.addCollection('docs', { shards: 6, replicationFactor: 2 });
    const result = await prepare(1, 'Auto');
    expect(result.replicas).toEqual([]);
    expect(sim.finishedTransfers).toEqual([]);
  });

  it('On keeps every shard of the restarting peer at its replication factor', async () => {
    const [, , p2] = [0, 1, 2].map((n) => sim.addPeer(n));
    sim.addCollection('docs', { shards: 6, replicationFactor: 2 });
    const result = await prepare(2, 'On');
    expect(result.replicas.length).toBe(othersOf(p2!.id).length);
    expect(othersOf(p2!.id).every((n) => n >= 2)).toBe(true);
    expect(result.shortfalls).toEqual([]);
  });

  it('On with no room reports the shortfall but keeps going; Auto with no room refuses', async () => {
    [0, 1].forEach((n) => sim.addPeer(n));
    sim.addCollection('docs', { shards: 2, replicationFactor: 2 });
    const on = await prepare(1, 'On');
    expect(on.replicas).toEqual([]);
    expect(on.shortfalls.toSorted()).toEqual(['docs/0', 'docs/1']);

    key = `ns/r${counter++}`;
    sim = double.cluster(key, uriFor);
    sim.addPeer(0);
    sim.addCollection('solo', { shards: 1 });
    const error = await prepare(0, 'Auto').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QdrantOperationError);
    expect((error as QdrantOperationError).reason).toBe('NoTarget');
    expect((error as Error).message).toMatch(/shard 0 of collection solo lives only on peer \d+/);
  });
});

describe('replicateBeforeRestart: failures, interrupted calls, no peer', () => {
  it('a copy that fails midway is reported and leaves the shard where it was', async () => {
    const [, p1] = [0, 1].map((n) => sim.addPeer(n));
    sim.addCollection('docs', { shards: 2 });
    sim.transfer.failNext = 1;
    const error = await prepare(1, 'Auto').catch((e: unknown) => e);
    expect((error as QdrantOperationError).reason).toBe('TransferFailed');
    expect(sim.collection('docs').shards[1]!.replicas).toEqual([{ peerId: p1!.id, state: 'Active' }]);
  });

  it('a copy that does not finish by the deadline is aborted', async () => {
    [0, 1].forEach((n) => sim.addPeer(n));
    sim.addCollection('docs', { shards: 2 });
    sim.transfer.durationMs = Number.POSITIVE_INFINITY;
    const error = await prepare(1, 'Auto', { deadline: Date.now() + 100 }).catch((e: unknown) => e);
    expect((error as QdrantOperationError).reason).toBe('TransferTimeout');
    expect(sim.finishedTransfers.map((t) => t.outcome)).toEqual(['aborted']);
    expect(sim.collection('docs').transfers).toEqual([]);
  });

  it('waits for a transfer of the restarting peer left by an interrupted call before counting', async () => {
    const [p0, p1] = [0, 1].map((n) => sim.addPeer(n));
    sim.addCollection('docs', { shards: 2 });
    sim.transfer.durationMs = 150;
    sim.startTransfer('docs', 'replicate', { shard_id: 1, from_peer_id: p1!.id, to_peer_id: p0!.id });
    const result = await prepare(1, 'Auto');
    // Shard 1's copy from the earlier call completed and counts; none is made twice.
    expect(result.replicas).toEqual([]);
    expect(sim.finishedTransfers.filter((t) => t.outcome === 'done')).toHaveLength(1);
  });

  it('does nothing for a host that runs no peer', async () => {
    sim.addPeer(0);
    sim.addCollection('docs', { shards: 2 });
    expect(await prepare(5, 'On')).toEqual({ replicas: [], shortfalls: [] });
  });
});

describe('releaseTemporaryReplicas', () => {
  it('keeps copies until their peer is back, then drops them', async () => {
    const [p0, p1, p2] = [0, 1, 2].map((n) => sim.addPeer(n));
    sim.addCollection('docs', { shards: 3 });
    const { replicas } = await prepare(2, 'Auto');
    expect(replicas).toHaveLength(1);
    const own = sim.collection('docs').shards[2]!.replicas.find((r) => r.peerId === p2!.id)!;
    own.state = 'Dead';
    expect(await releaseTemporaryReplicas(client(), replicas)).toEqual({ released: [], pending: replicas });
    own.state = 'Active';
    expect(await releaseTemporaryReplicas(client(), replicas)).toEqual({ released: replicas, pending: [] });
    expect(sim.collection('docs').shards[2]!.replicas.map((r) => r.peerId)).toEqual([p2!.id]);
    // Again: nothing left to drop, still released.
    expect(await releaseTemporaryReplicas(client(), replicas)).toEqual({ released: replicas, pending: [] });
    expect([p0, p1].map((p) => sim.shardsPerPeer().get(p!.id))).toEqual([1, 1]);
  });

  it('keeps a copy whose peer left the cluster: it is a real replica now', async () => {
    const [, , p2] = [0, 1, 2].map((n) => sim.addPeer(n));
    sim.addCollection('docs', { shards: 3 });
    const { replicas } = await prepare(2, 'Auto');
    sim.removePeer(p2!.id, true);
    expect(await releaseTemporaryReplicas(client(), replicas)).toEqual({ released: replicas, pending: [] });
    expect(sim.collection('docs').shards[2]!.replicas.map((r) => r.peerId)).toEqual([replicas[0]!.peerId]);
  });
});
