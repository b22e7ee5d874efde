import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startQdrantDouble, type ClusterSimulation, type QdrantDouble } from '@qhc/qdrant-double';
import { QdrantOperationError, connectQdrant, drainPeer, readTopology, type DrainRequest } from '../src/index.ts';

let double: QdrantDouble;
let key = '';
let sim: ClusterSimulation;
let counter = 0;

const host = (node: number) => `qdrant-t-${node}`;
const uriFor = (node: number) => `http://${host(node)}.qdrant-t-headless.ns:6335/`;

beforeAll(async () => {
  double = await startQdrantDouble();
});
afterAll(async () => {
  await double.close();
});
beforeEach(() => {
  key = `ns/c${counter++}`;
  sim = double.cluster(key, uriFor);
  double.calls.length = 0;
  double.faults.length = 0;
});

function peers(n: number) {
  return Array.from({ length: n }, (_, i) => sim.addPeer(i));
}

/** Every shard has at least `rf` active replicas, none on `gone`. */
function expectReplicated(rf: number, gone?: number) {
  for (const c of sim.collections.values()) {
    for (const s of c.shards) {
      const active = s.replicas.filter((r) => r.state === 'Active');
      expect(active.length, `${c.name}/${s.id}`).toBeGreaterThanOrEqual(rf);
      if (gone !== undefined) expect(s.replicas.some((r) => r.peerId === gone)).toBe(false);
    }
  }
}

function request(node: number, overrides: Partial<DrainRequest> = {}): DrainRequest {
  return {
    client: connectQdrant({ url: double.nodeUrl(key, 0) }, { timeoutMs: 2_000 }),
    host: host(node),
    mayReceive: () => true,
    deadline: Date.now() + 10_000,
    pollIntervalMs: 10,
    ...overrides,
  };
}

describe('readTopology', () => {
  it('merges local and remote shards into one placement per collection', async () => {
    const [p0, p1] = peers(2);
    sim.addCollection('docs', { shards: 4, replicationFactor: 2 });
    const topology = await readTopology(connectQdrant({ url: double.nodeUrl(key, 1) }));
    expect(topology.selfId).toBe(p1!.id);
    expect(topology.peers.map((p) => p.id).toSorted()).toEqual([p0!.id, p1!.id].toSorted());
    const docs = topology.collections[0]!;
    expect(docs.shards).toHaveLength(4);
    for (const s of docs.shards) expect(s.replicas.map((r) => r.peerId).toSorted()).toEqual([p0!.id, p1!.id].toSorted());
    expect(docs.shards[0]!.points).toBe(100);
  });
});

describe('drainPeer', () => {
  it('moves every shard off the leaving peer, evenly, then removes the peer', async () => {
    const all = peers(3);
    sim.addCollection('a', { shards: 6 });
    sim.addCollection('b', { shards: 3 });
    const leaving = all[2]!;
    const result = await drainPeer(request(2));
    expect(result.peerId).toBe(leaving.id);
    expect(sim.peers.has(leaving.id)).toBe(false);
    expectReplicated(1, leaving.id);
    expect(result.steps.at(-1)).toEqual({ kind: 'remove_peer', peerId: leaving.id });
    expect(result.steps.filter((s) => s.kind === 'move_shard')).toHaveLength(3);
    const counts = [...sim.shardsPerPeer().values()];
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    // The wire: moves, then the removal, never with force.
    const writes = double.calls.filter((c) => c.method !== 'GET');
    expect(writes.at(-1)).toMatchObject({ method: 'DELETE', path: `/cluster/peer/${leaving.id}?force=false`, status: 200 });
    expect(writes.slice(0, -1).every((c) => (c.body as { move_shard?: unknown }).move_shard)).toBe(true);
  });

  it('keeps the replica count: moves to a peer without the shard, drops only when every peer has it', async () => {
    peers(3);
    sim.addCollection('rf2', { shards: 3, replicationFactor: 2 });
    sim.addCollection('rf3', { shards: 2, replicationFactor: 3 });
    const leaving = sim.peerOnNode(2)!;
    const result = await drainPeer(request(2));
    // rf2 shards on peer 2 move to the one peer without them; rf3 shards are everywhere, so the replica is dropped.
    expect(result.steps.filter((s) => s.kind === 'move_shard').every((s) => s.collection === 'rf2')).toBe(true);
    expect(result.steps.filter((s) => s.kind === 'drop_replica').map((s) => s.collection)).toEqual(['rf3', 'rf3']);
    for (const s of sim.collections.get('rf2')!.shards) expect(s.replicas).toHaveLength(2);
    expectReplicated(2, leaving.id);
  });

  it('never sends shards to peers that leave in the same scale-down', async () => {
    peers(5);
    sim.addCollection('a', { shards: 10 });
    const leaving = [sim.peerOnNode(3)!.id, sim.peerOnNode(4)!.id];
    await drainPeer(request(4, { mayReceive: (p) => !leaving.includes(p.id) }));
    const moved = sim.finishedTransfers.map((t) => t.to);
    expect(moved.length).toBe(2);
    expect(moved.some((to) => leaving.includes(to))).toBe(false);
  });

  it('is resumable: a drain cut off mid-transfer is finished by the next call, with nothing lost', async () => {
    peers(3);
    sim.addCollection('a', { shards: 9 });
    sim.transfer.durationMs = 200;
    const leaving = sim.peerOnNode(2)!.id;
    const cut = new AbortController();
    // The cut comes once Qdrant has the move in flight, not at a guessed moment.
    let inFlightAtCut = 0;
    let cutting: Promise<void> | undefined;
    const inFlight = () => {
      if (sim.collection('a').transfers.length === 0) throw new Error('no transfer in flight yet');
    };
    const cutMidTransfer = () => {
      cutting ??= vi.waitFor(inFlight, { timeout: 5_000, interval: 5 }).then(() => {
        inFlightAtCut = sim.collection('a').transfers.length;
        cut.abort(new Error('operator killed'));
      });
    };
    const first = drainPeer(request(2, { signal: cut.signal, onStep: cutMidTransfer }));
    await expect(first).rejects.toThrow('operator killed');
    await cutting;
    expect(inFlightAtCut).toBe(1);
    expect(sim.peers.has(leaving)).toBe(true);
    expectReplicated(1);
    const second = await drainPeer(request(2));
    expect(second.peerId).toBe(leaving);
    expectReplicated(1, leaving);
    // A third call finds nothing to do.
    expect(await drainPeer(request(2))).toEqual({ steps: [] });
  });
});

describe('drainPeer: failed and aborted transfers', () => {
  it('aborts a transfer that never finishes at the deadline, and keeps the shard where it was', async () => {
    peers(2);
    sim.addCollection('a', { shards: 2 });
    sim.transfer.durationMs = Number.POSITIVE_INFINITY;
    const leaving = sim.peerOnNode(1)!.id;
    const error = await drainPeer(request(1, { deadline: Date.now() + 150 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QdrantOperationError);
    expect((error as QdrantOperationError).reason).toBe('TransferTimeout');
    expect((error as Error).message).toMatch(/shard 1 of collection a from peer \d+ to \d+ did not finish in time; it was aborted/);
    expect(sim.finishedTransfers.map((t) => t.outcome)).toEqual(['aborted']);
    expect(sim.peers.has(leaving)).toBe(true);
    expectReplicated(1);
    expect(double.calls.some((c) => c.method === 'DELETE')).toBe(false);
  });

  it('starts no transfer once the deadline has passed, so none is aborted, and the next call moves the shard', async () => {
    peers(2);
    sim.addCollection('a', { shards: 2 });
    const leaving = sim.peerOnNode(1)!.id;
    const error = await drainPeer(request(1, { deadline: Date.now() - 1 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QdrantOperationError);
    expect((error as QdrantOperationError).reason).toBe('Timeout');
    expect((error as Error).message).toBe('out of time before moving shard 1 of collection a; nothing was started');
    expect(double.calls.filter((c) => c.method !== 'GET')).toEqual([]);
    expect(sim.finishedTransfers).toEqual([]);
    await drainPeer(request(1));
    expect(sim.peers.has(leaving)).toBe(false);
    expectReplicated(1);
  });

  it('reports a transfer that fails midway, keeps the data, and succeeds on retry', async () => {
    peers(3);
    sim.addCollection('a', { shards: 3 });
    sim.transfer.failNext = 1;
    const leaving = sim.peerOnNode(2)!.id;
    const error = (await drainPeer(request(2)).catch((e: unknown) => e)) as QdrantOperationError;
    expect(error.reason).toBe('TransferFailed');
    expect(error.message).toMatch(/shard 2 of collection a did not arrive on peer \d+/);
    expectReplicated(1);
    await drainPeer(request(2));
    expectReplicated(1, leaving);
  });

  it('names the request and the status on a 5xx, and changes nothing', async () => {
    peers(2);
    sim.addCollection('a', { shards: 2 });
    double.faults.push({ method: 'POST', path: /^\/collections\/a\/cluster/, response: 503, times: 1 });
    const error = (await drainPeer(request(1)).catch((e: unknown) => e)) as QdrantOperationError;
    expect(error.reason).toBe('Unreachable');
    expect(error.message).toMatch(/^POST \/collections\/a\/cluster move_shard 1 \d+→\d+: HTTP 503 Service internal error: injected fault \(503\)$/);
    expectReplicated(1);
    expect(sim.peers.size).toBe(2);
  });
});

describe('drainPeer: a transfer that ends at the deadline', () => {
  it('takes a refused abort of a transfer that just ended as the end of the transfer, not a failure', async () => {
    peers(2);
    sim.addCollection('a', { shards: 2 });
    sim.transfer.durationMs = Number.POSITIVE_INFINITY;
    const leaving = sim.peerOnNode(1)!.id;
    // The deadline passes once the move has started; the transfer ends just before the abort reaches Qdrant.
    const clock = { now: 0 };
    double.onRequest = (call) => {
      if ((call.body as { abort_transfer?: unknown } | undefined)?.abort_transfer) for (const t of sim.collections.get('a')!.transfers) t.finishesAt = 0;
    };
    try {
      await drainPeer(request(1, { deadline: 100, now: () => clock.now, onStep: () => (clock.now = 200) }));
    } finally {
      double.onRequest = undefined;
    }
    expect(double.calls.filter((c) => c.method === 'POST').map((c) => [Object.keys(c.body as object)[0], c.status])).toEqual([
      ['move_shard', 200],
      ['abort_transfer', 400],
    ]);
    expect(sim.finishedTransfers.map((t) => t.outcome)).toEqual(['done']);
    expect(sim.peers.has(leaving)).toBe(false);
    expectReplicated(1);
  });
});

describe('drainPeer: unreachable Qdrant, no target, API key', () => {
  it('gives up on a request that never answers with a timeout that says so', async () => {
    peers(2);
    double.faults.push({ method: 'GET', path: /^\/cluster$/, response: 'hang', times: 1 });
    const error = (await drainPeer({ ...request(1), client: connectQdrant({ url: double.nodeUrl(key, 0) }, { timeoutMs: 200 }) }).catch(
      (e: unknown) => e,
    )) as QdrantOperationError;
    expect(error.reason).toBe('Unreachable');
    expect(error.message).toBe('GET /cluster: no answer (request timed out)');
  });

  it('names a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = (await drainPeer({ ...request(1), client: connectQdrant({ url: `http://127.0.0.1:${port}/x/0` }) }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^GET \/cluster: .*ECONNREFUSED/);
  });

  it('refuses to drop the last replica when no peer may receive it', async () => {
    peers(2);
    sim.addCollection('a', { shards: 2 });
    const error = (await drainPeer(request(1, { mayReceive: () => false })).catch((e: unknown) => e)) as QdrantOperationError;
    expect(error.reason).toBe('NoTarget');
    expectReplicated(1);
  });

  it('sends the API key', async () => {
    const secured = await startQdrantDouble({ apiKey: 's3cret' });
    try {
      const s = secured.cluster('k', uriFor);
      s.addPeer(0);
      s.addPeer(1);
      const refused = (await drainPeer({ ...request(1), client: connectQdrant({ url: secured.nodeUrl('k', 0) }) }).catch(
        (e: unknown) => e,
      )) as QdrantOperationError;
      expect(refused.reason).toBe('Refused');
      expect(refused.message).toBe('GET /cluster: HTTP 401 Unauthorized: Invalid API key or JWT');
      const done = await drainPeer({ ...request(1), client: connectQdrant({ url: secured.nodeUrl('k', 0), apiKey: 's3cret' }) });
      expect(done.peerId).toBeDefined();
    } finally {
      await secured.close();
    }
  });
});
