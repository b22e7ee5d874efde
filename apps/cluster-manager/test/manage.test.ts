import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '@qhc/kube';
import { startQdrantDouble, type ClusterSimulation, type QdrantDouble } from '@qhc/qdrant-double';
import type { ManageRequestInput, ManageResponse } from '@qhc/schemas';
import { startClusterManager, type RunningClusterManager } from '../src/index.ts';

let double: QdrantDouble;
let manager: RunningClusterManager;
let sim: ClusterSimulation;
let key = '';
let counter = 0;

const host = (node: number) => `qdrant-m-${node}`;

beforeAll(async () => {
  double = await startQdrantDouble();
  manager = await startClusterManager({ port: 0, host: '127.0.0.1', logger: createLogger({ level: 'error' }), pollIntervalMs: 10 });
});
afterAll(async () => {
  await manager.stop();
  await double.close();
});
beforeEach(() => {
  key = `ns/m${counter++}`;
  sim = double.cluster(key, (node) => `http://${host(node)}.qdrant-headless-m.ns:6335/`);
  sim.transfer.durationMs = 20;
});

function request(nodes: number[], extra: Partial<ManageRequestInput> = {}): ManageRequestInput {
  return {
    cluster: { namespace: 'ns', name: key.split('/')[1]!, id: 'm' },
    nodes: nodes.map((index) => ({ index, host: host(index), url: double.nodeUrl(key, index), ready: true })),
    ...extra,
  };
}

async function call(body: unknown): Promise<{ status: number; body: ManageResponse & { error?: string } }> {
  const res = await fetch(`${manager.url}/v1/manage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as ManageResponse & { error?: string } };
}

const countsPerPeer = () => [...sim.shardsPerPeer().values()];
const spread = (values: number[]) => Math.max(...values) - Math.min(...values);
function expectFullyReplicated(rf: number) {
  for (const c of sim.collections.values())
    for (const s of c.shards) expect(s.replicas.filter((r) => r.state === 'Active').length, `${c.name}/${s.id}`).toBeGreaterThanOrEqual(rf);
}

describe('POST /v1/manage', () => {
  it('refuses a malformed request, naming the field', async () => {
    const res = await call({ cluster: { namespace: 'ns', name: 'x', id: 'x' }, nodes: [{ index: 0, host: 'h', ready: true }], rebalanceStrategy: 'by_luck' });
    expect(res.status).toBe(400);
    expect(res.body.error).toContain('manage request (POST /v1/manage) is invalid');
    expect(res.body.error).toContain('nodes[0].url');
    expect(res.body.error).toContain('rebalanceStrategy');
  });

  it('does nothing while blocked (a pause, a suspend, another operation)', async () => {
    for (const n of [0, 1]) sim.addPeer(n);
    sim.addCollection('docs', { shards: 6 });
    const before = JSON.stringify([...sim.collections.values()]);
    const res = await call(request([0, 1, 2], { rebalanceStrategy: 'by_count', blockedBy: 'the cluster is paused by ops' }));
    expect(res.body).toEqual({ status: 'Skipped', description: 'nothing done while the cluster is paused by ops' });
    expect(JSON.stringify([...sim.collections.values()])).toBe(before);
    expect(double.calls.filter((c) => c.cluster === key)).toEqual([]);
  });

  it('rebalances by count after a scale-up: the new peers receive shards, then it is balanced', async () => {
    for (const n of [0, 1, 2]) sim.addPeer(n);
    sim.addCollection('docs', { shards: 12 });
    sim.addCollection('replicated', { shards: 6, replicationFactor: 2 });
    for (const n of [3, 4]) sim.addPeer(n);
    const res = await call(request([0, 1, 2, 3, 4], { rebalanceStrategy: 'by_count' }));
    expect(res.body.status).toBe('Rebalanced');
    expect(res.body.moves).toBeGreaterThan(0);
    expect(sim.shardsPerPeer().get(sim.peerOnNode(3)!.id)).toBeGreaterThan(0);
    expect(sim.shardsPerPeer().get(sim.peerOnNode(4)!.id)).toBeGreaterThan(0);
    expect(spread(countsPerPeer())).toBeLessThanOrEqual(1);
    for (const s of sim.collections.get('replicated')!.shards) expect(new Set(s.replicas.map((r) => r.peerId)).size).toBe(2);
    expect((await call(request([0, 1, 2, 3, 4], { rebalanceStrategy: 'by_count' }))).body).toEqual({
      status: 'Balanced',
      description: 'balanced by count over 5 peers',
    });
    const metrics = await (await fetch(`${manager.url}/metrics`)).text();
    expect(metrics).toMatch(/qhc_cluster_manager_moves_total\{result="finished"\} [1-9]/);
    expect(metrics).toMatch(/qhc_cluster_manager_plans_total\{result="moves",strategy="by_count"\} 1/);
  });

  it('rebalances by size: the peers end within the largest shard of each other', async () => {
    for (const n of [0, 1, 2]) sim.addPeer(n);
    sim.addCollection('docs', { shards: 9, points: (i) => (i + 1) * 100 });
    sim.addPeer(3);
    const res = await call(request([0, 1, 2, 3], { rebalanceStrategy: 'by_size' }));
    expect(res.body.status).toBe('Rebalanced');
    const bytes = new Map([...sim.peers.keys()].map((p) => [p, 0]));
    for (const s of sim.collections.get('docs')!.shards) for (const r of s.replicas) bytes.set(r.peerId, bytes.get(r.peerId)! + s.points);
    expect(spread([...bytes.values()])).toBeLessThanOrEqual(900);
  });
});

describe('POST /v1/manage: disabled strategy, failed transfers, scale-down', () => {
  it('does nothing when the strategy is disabled or absent', async () => {
    for (const n of [0, 1]) sim.addPeer(n);
    sim.addCollection('docs', { shards: 4 });
    sim.addPeer(2);
    expect((await call(request([0, 1, 2], { rebalanceStrategy: 'disabled' }))).body.status).toBe('Balanced');
    expect((await call(request([0, 1, 2]))).body).toEqual({ status: 'Balanced', description: 'rebalancing is disabled for this cluster' });
    expect(sim.shardsPerPeer().get(sim.peerOnNode(2)!.id)).toBe(0);
  });

  it('stops on a transfer that fails midway, with every shard still fully replicated; the next call finishes', async () => {
    for (const n of [0, 1]) sim.addPeer(n);
    sim.addCollection('docs', { shards: 8, replicationFactor: 2 });
    sim.addPeer(2);
    sim.addPeer(3);
    sim.transfer.failNext = 1;
    const failed = await call(request([0, 1, 2, 3], { rebalanceStrategy: 'by_count' }));
    expect(failed.body.status).toBe('Failed');
    expect(failed.body.description).toMatch(/^the transfer of shard \d+ of collection docs from peer \d+ to \d+ ended without the shard arriving$/);
    expectFullyReplicated(2);
    const retried = await call(request([0, 1, 2, 3], { rebalanceStrategy: 'by_count' }));
    expect(retried.body.status).toBe('Rebalanced');
    expectFullyReplicated(2);
    expect(spread(countsPerPeer())).toBeLessThanOrEqual(1);
  });

  it('drains a node for scale-down: shards go to the nodes that stay, the peer is removed, the scale-down allowed', async () => {
    for (const n of [0, 1, 2, 3, 4]) sim.addPeer(n);
    sim.addCollection('docs', { shards: 10 });
    const leaving = sim.peerOnNode(4)!.id;
    const res = await call(request([0, 1, 2, 3, 4], { scaleDown: { node: 4, keep: [0, 1] } }));
    expect(res.body).toMatchObject({ status: 'Drained', scaleDownAllowed: true, moves: 2, removedPeers: [leaving] });
    expect(sim.peers.has(leaving)).toBe(false);
    const stays = new Set([sim.peerOnNode(0)!.id, sim.peerOnNode(1)!.id]);
    for (const t of sim.finishedTransfers) expect(stays.has(t.to)).toBe(true);
    // Again: nothing left to do, still allowed.
    expect((await call(request([0, 1, 2, 3, 4], { scaleDown: { node: 4, keep: [0, 1] } }))).body).toMatchObject({
      status: 'Drained',
      scaleDownAllowed: true,
      moves: 0,
    });
  });
});

describe('POST /v1/manage: restarts and dead peers', () => {
  it('prepares a restart (onDemandReplication) and releases the copies once the peer is back', async () => {
    for (const n of [0, 1, 2]) sim.addPeer(n);
    sim.addCollection('docs', { shards: 6 });
    const restarting = sim.peerOnNode(0)!.id;
    // Node 0 restarts: the coordinator must be another node.
    const prepared = await call(request([0, 1, 2], { prepareRestart: { node: 0, mode: 'Auto' } }));
    expect(prepared.body.status).toBe('RestartAllowed');
    expect(prepared.body.description).toBe('node 0 may restart: 2 shard(s) copied (Auto)');
    expect(prepared.body.temporaryReplicas!.map((r) => [r.shardId, r.standsInFor])).toEqual([
      [0, restarting],
      [3, restarting],
    ]);
    expect(double.calls.filter((c) => c.cluster === key && c.node === 0)).toEqual([]);
    expectFullyReplicated(1);
    for (const s of sim.collection('docs').shards) if (s.replicas.some((r) => r.peerId === restarting)) expect(s.replicas).toHaveLength(2);

    const own = sim.collection('docs').shards[0]!.replicas.find((r) => r.peerId === restarting)!;
    own.state = 'Dead';
    const waiting = await call(request([0, 1, 2], { releaseReplicas: prepared.body.temporaryReplicas }));
    expect(waiting.body).toEqual({
      status: 'Released',
      description: '1 temporary replica(s) released, 1 waiting for their peer',
      temporaryReplicas: [prepared.body.temporaryReplicas![0]],
    });
    own.state = 'Active';
    const done = await call(request([0, 1, 2], { releaseReplicas: waiting.body.temporaryReplicas }));
    expect(done.body).toMatchObject({ status: 'Released', temporaryReplicas: [] });
    expect([...sim.shardsPerPeer().values()]).toEqual([2, 2, 2]);
    const metrics = await (await fetch(`${manager.url}/metrics`)).text();
    expect(metrics).toMatch(/qhc_cluster_manager_temporary_replicas_total\{action="made"\} [1-9]/);
    expect(metrics).toMatch(/qhc_cluster_manager_temporary_replicas_total\{action="released"\} [1-9]/);
  });

  it('removes a dead peer whose shards live elsewhere; keeps one holding the only replica, and says why', async () => {
    for (const n of [0, 1, 2]) sim.addPeer(n);
    sim.addCollection('replicated', { shards: 3, replicationFactor: 2 });
    // Node 2 was recreated on a new volume: a new peer; the old one is dead.
    const dead = sim.peerOnNode(2)!.id;
    sim.join(2, 'new-volume');
    const res = await call(request([0, 1, 2], { rebalanceStrategy: 'by_count' }));
    expect(res.body).toMatchObject({ status: 'Recovered', removedPeers: [dead] });
    expect(sim.peers.has(dead)).toBe(false);
    expectFullyReplicated(1);

    key = `ns/m${counter++}`;
    sim = double.cluster(key, (node) => `http://${host(node)}.qdrant-headless-m.ns:6335/`);
    for (const n of [0, 1]) sim.addPeer(n);
    sim.addCollection('single', { shards: 2 });
    const holder = sim.peerOnNode(1)!.id;
    sim.join(1, 'new-volume');
    const kept = await call(request([0, 1]));
    expect(kept.body.status).toBe('Failed');
    expect(kept.body.description).toBe(`peer ${holder} (qdrant-m-1) is dead and holds the only active replica of shard 1 of collection single; it is kept`);
    expect(sim.peers.has(holder)).toBe(true);
  });
});

describe('POST /v1/manage: unknown peers, unreachable Qdrant, probes', () => {
  it('leaves alone a peer at an address the operator did not report (a node that just joined)', async () => {
    for (const n of [0, 1, 2]) sim.addPeer(n);
    sim.addCollection('docs', { shards: 6 });
    const fresh = sim.addPeer(3);
    const res = await call(request([0, 1, 2]));
    expect(res.body.status).toBe('Balanced');
    expect(sim.peers.has(fresh.id)).toBe(true);
  });

  it('answers Failed, naming the cause, when Qdrant cannot be reached', async () => {
    const res = await call({
      ...request([0]),
      nodes: [{ index: 0, host: host(0), url: 'http://127.0.0.1:1/x/0', ready: true }],
      rebalanceStrategy: 'by_count',
    });
    expect(res.body.status).toBe('Failed');
    expect(res.body.description).toMatch(/^GET \/cluster: /);
  });

  it('serves health and readiness', async () => {
    expect((await fetch(`${manager.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${manager.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${manager.url}/v1/manage`)).status).toBe(405);
  });
});
