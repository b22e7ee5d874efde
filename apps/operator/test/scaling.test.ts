import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@qhc/kube';
import { useOperator, withReasons } from './support/harness.ts';

// handlerTimeout bounds a drain within one pass: a transfer that never finishes is aborted.
const h = useOperator('scaling', '  handlerTimeout: 4\n');

const replicasOf = (c: { status?: { availableNodes?: number; currentNodes?: number } }, n: number) =>
  c.status?.availableNodes === n && c.status.currentNodes === n;

describe('horizontal scaling with a drain before every removed node', () => {
  it('scales 1 → 3 → 5 → 2: each removed node is drained, highest first, before its pod goes', async () => {
    const id = 's1';
    const sim = h.sim(id);
    await h.client.apply(h.clusterObject(id, { size: 1 }));
    const { peerOf, leaving, claimsBefore } = await fiveNodesWithData(id, sim);

    // The pass's deadline (handlerTimeout, for the next test) runs on the wall clock: a transfer
    // that also ends on a timer can still be listed when it passes on a loaded machine, and is
    // aborted. Here a transfer ends when the next request reaches the double, not on a timer.
    sim.transfer.durationMs = 0;
    // At each peer removal, which pods exist: the leaving node's pod must still be there.
    const removals = recordPodsAtRemoval(id, leaving);
    const started = h.double.calls.length;
    await h.client.patch(h.ref(id), { spec: { replicas: 2 } }, { subresource: 'scale' });
    const done = await h.waitFor(
      id,
      'Healthy with 2 nodes',
      (c) => c.status?.phase === 'Healthy' && replicasOf(c, 2) && !c.status.deleteInProgressNodeIndexes,
      90_000,
    );
    removals.restore();

    expect(removals.podsAtRemoval.map((r) => r.node)).toEqual([4, 3, 2]);
    for (const { node, pods } of removals.podsAtRemoval) expect(pods).toContain(`qdrant-${id}-${node}`);
    expectDrainedHighestFirst(h.double.calls.slice(started), id, leaving);
    // No data lost: every shard keeps its replicas, all on the two remaining peers.
    for (const collection of sim.collections.values()) {
      for (const shard of collection.shards) {
        expect(shard.replicas.length).toBeGreaterThanOrEqual(Math.min(collection.replicationFactor, 2));
        expect(shard.replicas.every((r) => r.peerId === peerOf(0) || r.peerId === peerOf(1))).toBe(true);
      }
    }
    expect(sim.peers.size).toBe(2);
    expect(done.status?.nodes && Object.keys(done.status.nodes).toSorted()).toEqual([`qdrant-${id}-0`, `qdrant-${id}-1`]);
    const events = await h.events(id, (es) => es.filter((e) => e.reason === 'NodeRemoved').length >= 6);
    expect(events.filter((e) => e.reason === 'NodeRemoved').length).toBeGreaterThanOrEqual(6);
    await expectFreshNodeOnScaleUp(id, sim, leaving, claimsBefore);
  });
});

describe('horizontal scaling: failed drains and interrupted scale-downs', () => {
  it('a transfer that never finishes: the drain is aborted, the cluster reports it and retries, nothing is lost', async () => {
    const id = 's2';
    const sim = h.sim(id);
    await h.client.apply(h.clusterObject(id, { size: 2 }));
    await h.waitFor(id, 'Healthy with 2 nodes', (c) => c.status?.phase === 'Healthy' && replicasOf(c, 2));
    await h.double.onRequest!({ cluster: `${h.sandbox.namespace}/qdrant-${id}`, node: 0, method: 'GET', path: '/', body: undefined });
    sim.addCollection('docs', { shards: 4 });
    sim.transfer.durationMs = Number.POSITIVE_INFINITY;
    const leavingPeer = sim.peerOnNode(1)!.id;
    await h.client.patch(h.ref(id), { spec: { size: 1 } });

    // The abort of the transfer, not a pass that ran out of time before it started one (DrainTimeout).
    const failed = await h.waitFor(id, 'FailedToUpdate by the aborted transfer', (c) => abortedTransfer(c), 30_000);
    expect(failed.status?.reason).toMatch(
      /^DrainTransferTimeout: draining node 1 \(qdrant-s2-1\): the transfer of shard \d of collection docs from peer \d+ to \d+ did not finish in time; it was aborted$/,
    );
    expect(failed.status?.deleteInProgressNodeIndexes).toEqual([1]);
    expect((await h.pods(id)).length).toBe(2);
    expect(sim.finishedTransfers.filter((t) => t.outcome === 'aborted').length).toBeGreaterThanOrEqual(1);
    for (const shard of sim.collections.get('docs')!.shards) expect(shard.replicas.filter((r) => r.state === 'Active')).toHaveLength(1);

    // A 5xx on the next try is reported too; then transfers work again and the drain completes.
    h.double.faults.push({ method: 'POST', path: /\/collections\/docs\/cluster/, response: 500, times: 1 });
    sim.transfer.durationMs = 100;
    await h.waitFor(id, 'Healthy with 1 node', (c) => c.status?.phase === 'Healthy' && replicasOf(c, 1) && !c.status.deleteInProgressNodeIndexes, 60_000);
    expect(sim.peers.has(leavingPeer)).toBe(false);
    expect(sim.collections.get('docs')!.shards.every((s) => s.replicas.length === 1 && s.replicas[0]!.peerId === sim.peerOnNode(0)!.id)).toBe(true);
    const reasons = (await h.events(id, withReasons('DrainTransferTimeout', 'FailedToUpdate', 'NodeRemoved'))).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['DrainTransferTimeout', 'FailedToUpdate', 'NodeRemoved']));
  });

  it('finishes a started scale-down even when the spec grows back, then scales up with a fresh node', async () => {
    const id = 's3';
    const sim = h.sim(id);
    await h.client.apply(h.clusterObject(id, { size: 3 }));
    await h.waitFor(id, 'Healthy with 3 nodes', (c) => c.status?.phase === 'Healthy' && replicasOf(c, 3));
    await h.double.onRequest!({ cluster: `${h.sandbox.namespace}/qdrant-${id}`, node: 0, method: 'GET', path: '/', body: undefined });
    sim.addCollection('docs', { shards: 6 });
    sim.transfer.durationMs = 1_500;
    const oldPeer = sim.peerOnNode(2)!.id;
    await h.client.patch(h.ref(id), { spec: { size: 2 } });
    await h.waitFor(id, 'node 2 being deleted', (c) => c.status?.deleteInProgressNodeIndexes?.[0] === 2, 20_000);
    await h.client.patch(h.ref(id), { spec: { size: 3 } });
    await h.waitFor(
      id,
      'Healthy with 3 nodes again',
      (c) => c.status?.phase === 'Healthy' && replicasOf(c, 3) && !c.status.deleteInProgressNodeIndexes,
      60_000,
    );
    await h.double.onRequest!({ cluster: `${h.sandbox.namespace}/qdrant-${id}`, node: 0, method: 'GET', path: '/', body: undefined });
    expect(sim.peers.has(oldPeer)).toBe(false);
    expect(sim.peerOnNode(2)?.id).toBeDefined();
    expect(sim.peerOnNode(2)?.id).not.toBe(oldPeer);
  });
});

type Sim = ReturnType<typeof h.sim>;

const abortedTransfer = (c: { status?: { phase?: string; reason?: string } }) =>
  c.status?.phase === 'FailedToUpdate' && c.status.reason?.startsWith('DrainTransferTimeout') === true;

/** Scaled 1 → 3 → 5, every peer joined, two collections placed; what the scale-down will remove. */
async function fiveNodesWithData(id: string, sim: Sim) {
  await h.waitFor(id, 'Healthy with 1 node', (c) => c.status?.phase === 'Healthy' && replicasOf(c, 1));
  for (const size of [3, 5]) {
    await h.client.patch(h.ref(id), { spec: { size } });
    await h.waitFor(
      id,
      `Healthy with ${size} nodes`,
      (c) => c.status?.phase === 'Healthy' && replicasOf(c, size) && c.status.observedGeneration === c.metadata.generation,
    );
  }
  // Peers join as their pods run; the data is placed across all five.
  await h.double.onRequest!({ cluster: `${h.sandbox.namespace}/qdrant-${id}`, node: 0, method: 'GET', path: '/', body: undefined });
  expect(sim.peers.size).toBe(5);
  sim.addCollection('docs', { shards: 10 });
  sim.addCollection('replicated', { shards: 5, replicationFactor: 2 });
  const peerOf = (node: number) => sim.peerOnNode(node)!.id;
  const leaving = new Map([2, 3, 4].map((n) => [peerOf(n), n]));
  const claimsBefore = new Map(
    (await h.client.list({ apiVersion: 'v1', kind: 'PersistentVolumeClaim' }, { namespace: h.sandbox.namespace, labelSelector: `cluster-id=${id}` })).items.map(
      (c) => [c.metadata.name!, c.metadata.uid!],
    ),
  );
  return { peerOf, leaving, claimsBefore };
}

/** Wraps the double's hook: at each peer removal, the pods that exist then. */
function recordPodsAtRemoval(id: string, leaving: Map<number, number>) {
  const podsAtRemoval: Array<{ node: number; pods: string[] }> = [];
  const joinPods = h.double.onRequest!;
  h.double.onRequest = async (call) => {
    if (call.method === 'DELETE' && call.cluster.endsWith(`/qdrant-${id}`)) {
      const peer = Number(/\/cluster\/peer\/(\d+)/.exec(call.path)?.[1]);
      podsAtRemoval.push({ node: leaving.get(peer)!, pods: (await h.pods(id)).map((p) => p.metadata.name!).toSorted() });
    }
    await joinPods(call);
  };
  return { podsAtRemoval, restore: () => (h.double.onRequest = joinPods) };
}

function expectDrainedHighestFirst(calls: typeof h.double.calls, id: string, leaving: Map<number, number>): void {
  // The calls, in order: for each node, its shards leave (never to another leaving node), then its peer goes.
  const writes = calls.filter((c) => c.cluster.endsWith(`/qdrant-${id}`) && c.method !== 'GET');
  const summary = writes.map((c) => {
    const body = c.body as { move_shard?: { from_peer_id: number; to_peer_id: number }; drop_replica?: { peer_id: number } } | undefined;
    if (body?.move_shard) return `move ${leaving.get(body.move_shard.from_peer_id)}→${leaving.has(body.move_shard.to_peer_id) ? 'leaving!' : 'stays'}`;
    if (body?.drop_replica) return `drop ${leaving.get(body.drop_replica.peer_id)}`;
    const removed = c.method === 'DELETE' ? /^\/cluster\/peer\/(\d+)/.exec(c.path)?.[1] : undefined;
    if (removed) return `remove ${leaving.get(Number(removed))}`;
    // Anything else (an abort_transfer, a retry) is printed whole, so a failure says what it was.
    return `unexpected ${c.method} ${c.path} ${JSON.stringify(c.body)} → ${c.status}`;
  });
  expect(summary.filter((s) => s.startsWith('unexpected'))).toEqual([]);
  expect(summary.filter((s) => s.startsWith('remove'))).toEqual(['remove 4', 'remove 3', 'remove 2']);
  expect(summary).not.toContain(expect.stringContaining('leaving!'));
  const order = summary.map((s) => Number(/(\d)/.exec(s)?.[1]));
  expect(order).toEqual(order.toSorted((a, b) => b - a));
  expect(writes.every((c) => c.status === 200)).toBe(true);
}

async function expectFreshNodeOnScaleUp(id: string, sim: Sim, leaving: Map<number, number>, claimsBefore: Map<string, string>): Promise<void> {
  const peerOf = (node: number) => sim.peerOnNode(node)!.id;
  // The removed nodes' volumes are gone; scaling up again starts node 2 as a new peer on a new volume.
  const claims = await h.client.list(
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
    { namespace: h.sandbox.namespace, labelSelector: `cluster-id=${id}` },
  );
  expect(
    claims.items
      .filter((c) => !c.metadata.deletionTimestamp)
      .map((c) => c.metadata.name)
      .toSorted(),
  ).toEqual([`qdrant-snapshots-qdrant-${id}-0`, `qdrant-snapshots-qdrant-${id}-1`, `qdrant-storage-qdrant-${id}-0`, `qdrant-storage-qdrant-${id}-1`]);
  const removedPeer = [...leaving.keys()].find((p) => leaving.get(p) === 2)!;
  await h.client.patch(h.ref(id), { spec: { size: 3 } });
  await h.waitFor(id, 'Healthy with 3 nodes', (c) => c.status?.phase === 'Healthy' && replicasOf(c, 3));
  const claim = await h.client.get<KubeObject>({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    namespace: h.sandbox.namespace,
    name: `qdrant-storage-qdrant-${id}-2`,
  });
  expect(claim!.metadata.uid).not.toBe(claimsBefore.get(`qdrant-storage-qdrant-${id}-2`));
  await h.double.onRequest!({ cluster: `${h.sandbox.namespace}/qdrant-${id}`, node: 0, method: 'GET', path: '/', body: undefined });
  expect(peerOf(2)).not.toBe(removedPeer);
}
