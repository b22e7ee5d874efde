import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQdrantDouble, type QdrantDouble } from '../src/index.ts';

let double: QdrantDouble;
beforeAll(async () => {
  double = await startQdrantDouble();
});
afterAll(async () => {
  await double.close();
});

async function request(method: string, url: string, body?: unknown) {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { result?: Record<string, unknown>; status: unknown } };
}

describe('the Qdrant double', () => {
  it("answers in Qdrant's envelope, from the asking peer's point of view", async () => {
    const sim = double.cluster('ns/a');
    const [p0, p1] = [sim.addPeer(0), sim.addPeer(1)];
    sim.addCollection('c', { shards: 2 });
    const cluster = await request('GET', `${double.nodeUrl('ns/a', 1)}/cluster`);
    expect(cluster.status).toBe(200);
    expect(cluster.body.status).toBe('ok');
    expect(cluster.body.result).toMatchObject({
      status: 'enabled',
      peer_id: p1.id,
      peers: { [p0.id]: { uri: 'http://ns-a-0:6335/' } },
      raft_info: { is_voter: true },
    });
    const info = await request('GET', `${double.nodeUrl('ns/a', 0)}/collections/c/cluster`);
    expect(info.body.result).toEqual({
      peer_id: p0.id,
      shard_count: 2,
      local_shards: [{ shard_id: 0, points_count: 100, state: 'Active' }],
      remote_shards: [{ shard_id: 1, peer_id: p1.id, state: 'Active' }],
      shard_transfers: [],
    });
  });

  it('refuses what Qdrant refuses: removing a peer with shards, dropping the last replica, a busy shard', async () => {
    const sim = double.cluster('ns/b');
    const [p0, p1] = [sim.addPeer(0), sim.addPeer(1)];
    sim.addCollection('c', { shards: 2 });
    sim.transfer.durationMs = 10_000;
    const base = double.nodeUrl('ns/b', 0);
    const remove = await request('DELETE', `${base}/cluster/peer/${p1.id}`);
    expect(remove).toEqual({ status: 400, body: { status: { error: `Bad request: Cannot remove peer ${p1.id} as there are shards on it` }, time: 0 } });
    expect((await request('POST', `${base}/collections/c/cluster`, { drop_replica: { shard_id: 0, peer_id: p0.id } })).status).toBe(400);
    expect((await request('POST', `${base}/collections/c/cluster`, { move_shard: { shard_id: 0, from_peer_id: p0.id, to_peer_id: p1.id } })).status).toBe(200);
    const busy = await request('POST', `${base}/collections/c/cluster`, { move_shard: { shard_id: 0, from_peer_id: p0.id, to_peer_id: p1.id } });
    expect(busy.status).toBe(400);
    const info = await request('GET', `${base}/collections/c/cluster`);
    expect(info.body.result?.shard_transfers).toEqual([{ shard_id: 0, from: p0.id, to: p1.id, sync: false, method: 'stream_records' }]);
    expect(info.body.result?.remote_shards).toContainEqual({ shard_id: 0, peer_id: p1.id, state: 'Partial' });
    expect((await request('POST', `${base}/collections/c/cluster`, { abort_transfer: { shard_id: 0, from_peer_id: p0.id, to_peer_id: p1.id } })).status).toBe(
      200,
    );
    expect((await request('DELETE', `${base}/cluster/peer/${p1.id}?force=true`)).status).toBe(200);
    expect(sim.peers.size).toBe(1);
  });

  it('completes transfers after their duration and records faults and calls', async () => {
    const sim = double.cluster('ns/c');
    const [p0, p1] = [sim.addPeer(0), sim.addPeer(1)];
    sim.addCollection('c', { shards: 1 });
    sim.transfer.durationMs = 0;
    const base = double.nodeUrl('ns/c', 1);
    double.faults.push({ method: 'GET', path: /^\/collections$/, response: 502, times: 1 });
    expect((await request('GET', `${base}/collections`)).status).toBe(502);
    expect((await request('GET', `${base}/collections`)).body.result).toEqual({ collections: [{ name: 'c' }] });
    await request('POST', `${base}/collections/c/cluster`, { move_shard: { shard_id: 0, from_peer_id: p0.id, to_peer_id: p1.id } });
    const info = await request('GET', `${base}/collections/c/cluster`);
    expect(info.body.result?.local_shards).toEqual([{ shard_id: 0, points_count: 100, state: 'Active' }]);
    expect(sim.finishedTransfers.map((t) => t.outcome)).toEqual(['done']);
    expect(double.calls.filter((c) => c.cluster === 'ns/c').map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      'GET /collections 502',
      'GET /collections 200',
      'POST /collections/c/cluster 200',
      'GET /collections/c/cluster 200',
    ]);
  });
});
