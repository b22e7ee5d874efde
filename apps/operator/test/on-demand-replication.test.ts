import { describe, expect, it } from 'vitest';
import { Informer, type KubeObject } from '@qhc/kube';
import { waitFor } from '@qhc/kube-sandbox';
import type { ClusterSimulation } from '@qhc/qdrant-double';
import { useOperator, withReasons } from './support/harness.ts';

const h = useOperator('ondemand', '  handlerTimeout: 4\n');

const settled = (
  c: { metadata: { generation?: number }; status?: { phase?: string; availableNodes?: number; observedGeneration?: number; temporaryReplicas?: unknown[] } },
  n: number,
) => c.status?.phase === 'Healthy' && c.status.availableNodes === n && c.status.observedGeneration === c.metadata.generation && !c.status.temporaryReplicas;

/** For each shard the peer holds: its active replicas on other peers. */
function othersActive(sim: ClusterSimulation, peerId: number): number[] {
  const counts: number[] = [];
  for (const c of sim.collections.values())
    for (const s of c.shards)
      if (s.replicas.some((r) => r.peerId === peerId)) counts.push(s.replicas.filter((r) => r.peerId !== peerId && r.state === 'Active').length);
  return counts;
}

/**
 * When each pod of the cluster at `revision` starts going away: which node, and its shards'
 * other replicas then. Only pods of the old revision count: kwok deletes a terminating pod
 * by name, and now and then that hits its replacement, which a kubelet never does.
 */
async function watchRestarts(id: string, sim: ClusterSimulation) {
  const seen: Array<{ node: number; others: number[] }> = [];
  const revision = (await h.pods(id))[0]!.metadata.labels!['controller-revision-hash'];
  const going = new Set<string>();
  const informer = new Informer(h.client, { apiVersion: 'v1', kind: 'Pod', namespace: h.sandbox.namespace, labelSelector: `cluster-id=${id}` });
  const note = (pod: KubeObject, gone: boolean) => {
    if ((!gone && !pod.metadata.deletionTimestamp) || going.has(pod.metadata.uid!) || pod.metadata.labels?.['controller-revision-hash'] !== revision) return;
    going.add(pod.metadata.uid!);
    const node = Number(pod.metadata.name!.slice(pod.metadata.name!.lastIndexOf('-') + 1));
    seen.push({ node, others: othersActive(sim, sim.peerOnNode(node)!.id) });
  };
  informer.on({ add: (p) => note(p, false), update: (p) => note(p, false), delete: (p) => note(p, true) });
  informer.start();
  await informer.waitForSync();
  return { seen, stop: () => informer.stop() };
}

describe('onDemandReplication: restarts that keep every shard available', () => {
  it('Auto: before each node restarts, its unreplicated shards are copied; the copies go once it is back', async () => {
    const id = 'od1';
    const sim = h.sim(id);
    await h.client.apply(h.clusterObject(id, { size: 3, onDemandReplication: 'Auto' }));
    await h.waitFor(id, 'Healthy with 3 nodes', (c) => settled(c, 3));
    await h.double.onRequest!({ cluster: `${h.sandbox.namespace}/qdrant-${id}`, node: 0, method: 'GET', path: '/', body: undefined });
    const sts = await h.client.get<KubeObject & { spec: { updateStrategy: { type: string } } }>({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      namespace: h.sandbox.namespace,
      name: `qdrant-${id}`,
    });
    expect(sts?.spec.updateStrategy).toEqual({ type: 'OnDelete' });
    sim.addCollection('docs', { shards: 6 });
    sim.addCollection('replicated', { shards: 3, replicationFactor: 2 });
    const before = [...sim.shardsPerPeer().entries()];

    const watch = await watchRestarts(id, sim);
    try {
      await h.client.patch(h.ref(id), { spec: { resources: { cpu: '2', memory: '1Gi', storage: '1Gi' } } });
      await h.waitFor(id, 'rolling', (c) => c.status?.observedGeneration === c.metadata.generation);
      await waitFor(
        'every pod restarted with 2 CPUs',
        async () => {
          const pods = await h.pods(id);
          return pods.length === 3 && pods.every((p) => p.spec.containers[0]!.resources?.limits?.cpu === '2') ? true : undefined;
        },
        { timeoutMs: 60_000 },
      );
      await h.waitFor(id, 'Healthy, copies released', (c) => settled(c, 3));
    } finally {
      await watch.stop();
    }
    // One node at a time, highest first, and each with every shard served elsewhere meanwhile.
    expect(watch.seen.map((s) => s.node)).toEqual([2, 1, 0]);
    for (const { node, others } of watch.seen)
      expect(
        others.every((n) => n >= 1),
        `node ${node}: ${others}`,
      ).toBe(true);
    // Only the unreplicated shards were copied, and every copy was dropped again.
    const replicated = sim.finishedTransfers.filter((t) => t.kind === 'replicate');
    expect(replicated.map((t) => t.collection)).toEqual(['docs', 'docs', 'docs', 'docs', 'docs', 'docs']);
    expect([...sim.shardsPerPeer().entries()]).toEqual(before);
    const events = await h.events(id, (es) => es.filter((e) => e.reason === 'NodeRestarted').length >= 3);
    const restarted = events.filter((e) => e.reason === 'NodeRestarted').map((e) => e.note);
    expect(restarted).toHaveLength(3);
    for (const node of [0, 1, 2])
      expect(restarted.filter((n) => n?.startsWith(`node ${node} restarted after its shards were secured: 2 shard(s) copied (Auto)`))).toHaveLength(1);
  });
});

describe('onDemandReplication: On, and restarts that cannot be made safe', () => {
  it('On keeps full redundancy', async () => {
    const id = 'od2';
    const sim = h.sim(id);
    await h.client.apply(h.clusterObject(id, { size: 3, onDemandReplication: 'On' }));
    await h.waitFor(id, 'Healthy with 3 nodes', (c) => settled(c, 3));
    await h.double.onRequest!({ cluster: `${h.sandbox.namespace}/qdrant-${id}`, node: 0, method: 'GET', path: '/', body: undefined });
    sim.addCollection('replicated', { shards: 3, replicationFactor: 2 });
    const watch = await watchRestarts(id, sim);
    try {
      await h.client.patch(h.ref(id), { metadata: { annotations: { restartedAt: '2026-12-01T10:00:00Z' } } });
      await waitFor('three restarts', async () => (watch.seen.length === 3 ? true : undefined), { timeoutMs: 60_000 });
      await h.waitFor(id, 'Healthy, copies released', (c) => settled(c, 3));
    } finally {
      await watch.stop();
    }
    for (const { node, others } of watch.seen)
      expect(
        others.every((n) => n >= 2),
        `node ${node}: ${others}`,
      ).toBe(true);
    expect(sim.collection('replicated').shards.every((s) => s.replicas.length === 2)).toBe(true);
  });

  it('a restart that cannot be made safe halts, named, with the pod untouched', async () => {
    // A shard on one node only, with no other node to take a copy: the restart must not happen.
    const lone = 'od3';
    const loneSim = h.sim(lone);
    await h.client.apply(h.clusterObject(lone, { size: 1, onDemandReplication: 'Auto' }));
    await h.waitFor(lone, 'Healthy with 1 node', (c) => settled(c, 1));
    await h.double.onRequest!({ cluster: `${h.sandbox.namespace}/qdrant-${lone}`, node: 0, method: 'GET', path: '/', body: undefined });
    loneSim.addCollection('docs', { shards: 2 });
    const podBefore = (await h.pods(lone))[0]!.metadata.uid;
    await h.client.patch(h.ref(lone), { metadata: { annotations: { restartedAt: '2026-12-01T11:00:00Z' } } });
    const failed = await h.waitFor(lone, 'FailedToUpdate', (c) => c.status?.phase === 'FailedToUpdate');
    expect(failed.status?.reason).toMatch(/^ReplicateNoTarget: before restarting node 0 \(qdrant-od3-0\): shard \d of collection docs lives only on peer \d+/);
    expect((await h.pods(lone))[0]!.metadata.uid).toBe(podBefore);
    expect((await h.events(lone, withReasons('ReplicateNoTarget'))).some((e) => e.type === 'Warning' && e.reason === 'ReplicateNoTarget')).toBe(true);
    // Turning it off lets the StatefulSet restart the pod itself.
    await h.client.patch(h.ref(lone), { spec: { onDemandReplication: 'Off' } });
    await waitFor('the pod restarted', async () => ((await h.pods(lone))[0]?.metadata.uid !== podBefore ? true : undefined), { timeoutMs: 30_000 });
    await h.waitFor(lone, 'Healthy', (c) => settled(c, 1), 60_000);
  });
});
