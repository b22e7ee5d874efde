// The operator and the cluster manager together on the kube sandbox. Qdrant is the test
// double, whose peers follow the pods: a pod that exists has joined as the peer of its
// database volume (same volume, same peer; new volume, new peer).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@qhc/kube-sandbox';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { joinPodsAsPeers, peerUri, startQdrantDouble, type ClusterSimulation, type QdrantDouble } from '@qhc/qdrant-double';
import { allKinds, buildCrd, QDRANT_API_VERSION, type QdrantCluster } from '@qhc/schemas';
import { startClusterManager, type RunningClusterManager } from '@qhc/cluster-manager';
import { startOperator, type RunningOperator } from '@qhc/operator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qdrantClusterFixture, qdrantClusterRef } from '@qhc/schemas/test';

const sandbox = useSandboxNamespace('e2e-manager');
let client: KubeClient;
let double: QdrantDouble;
let manager: RunningClusterManager;
let operator: RunningOperator;
const sims = new Map<string, ClusterSimulation>();

type Cluster = KubeObject & Pick<QdrantCluster, 'spec' | 'status'>;
const ref = (id: string) => qdrantClusterRef(id, sandbox.namespace);
const clusterObject = (id: string, spec: Record<string, unknown>): KubeObject =>
  qdrantClusterFixture(id, { size: 3, clusterManager: true, rebalanceStrategy: 'by_count', ...spec }, { namespace: sandbox.namespace });
const until = (id: string, what: string, check: (c: Cluster) => boolean, timeoutMs = 60_000) => {
  let last: Cluster | undefined;
  return waitFor(
    `qdrant-${id}: ${what}`,
    async () => {
      last = await client.get<Cluster>(ref(id));
      return last && check(last) ? last : undefined;
    },
    {
      timeoutMs,
      intervalMs: 200,
      onTimeout: () =>
        `last status: ${JSON.stringify({ ...last?.status, nodes: undefined, conditions: undefined })}\npeers (node:id:volume): ${[...(sims.get(id)?.peers.values() ?? [])].map((p) => `${p.node}:${p.id}:${p.incarnation}`).join(' ')}`,
    },
  );
};
const healthy = (n: number) => (c: Cluster) =>
  c.status?.phase === 'Healthy' && c.status.availableNodes === n && c.status.observedGeneration === c.metadata.generation;

function sim(id: string): ClusterSimulation {
  let s = sims.get(id);
  if (!s) {
    s = double.cluster(`${sandbox.namespace}/qdrant-${id}`, peerUri(sandbox.namespace, id));
    s.transfer.durationMs = 50;
    sims.set(id, s);
  }
  return s;
}

async function joinPods(clusterKey: string): Promise<void> {
  const id = /\/qdrant-(.+)$/.exec(clusterKey)?.[1];
  const s = id ? sims.get(id) : undefined;
  if (id && s) await joinPodsAsPeers(client, sandbox.namespace, id, s);
}

const perPeer = (s: ClusterSimulation) => [...s.shardsPerPeer().values()];
const spread = (values: number[]) => Math.max(...values) - Math.min(...values);

type ClusterEvent = KubeObject & { reason: string; note?: string; eventTime: string; regarding: { name: string } };
/**
 * The cluster's events once they satisfy `done`: the operator records an event
 * after the status a test waits on, so reading them at once can miss it.
 */
const eventsWhere = (id: string, what: string, done: (events: ClusterEvent[]) => boolean): Promise<ClusterEvent[]> =>
  waitFor(
    `${what} among the events of ${id}`,
    async () => {
      const events = (await client.list<ClusterEvent>({ apiVersion: 'events.k8s.io/v1', kind: 'Event' }, { namespace: sandbox.namespace })).items.filter(
        (e) => e.regarding.name === `qdrant-${id}`,
      );
      return done(events) ? events : undefined;
    },
    { timeoutMs: 30_000 },
  );
const eventsOf = (id: string, ...reasons: string[]) =>
  eventsWhere(id, reasons.join(', '), (events) => reasons.every((r) => events.some((e) => e.reason === r)));

beforeAll(async () => {
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-e2e' });
  for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
  await waitFor('CRDs served', () => client.list({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' }, { namespace: sandbox.namespace }).then(() => true));
  double = await startQdrantDouble();
  double.onRequest = (call) => joinPods(call.cluster);
  manager = await startClusterManager({
    port: 0,
    host: '127.0.0.1',
    logger: createLogger({ level: 'warn', component: 'qhc-cluster-manager' }),
    pollIntervalMs: 20,
  });
  const dir = mkdtempSync(join(tmpdir(), 'qhc-e2e-'));
  const settingsPath = join(dir, 'settings.yaml');
  // Calls every second; a failed one is retried after 3 s (backOff.minDelay), then 4, 5.
  writeFileSync(
    settingsPath,
    'settings:\n  app_environment: local\n  clusterManager:\n    pullInterval: 1\n  backOff:\n    minDelay: 3\n    maxDelay: 5\n    increment: 1\n',
  );
  operator = await startOperator({
    settingsPath,
    kubeconfigPath: sandbox.kubeconfigPath,
    namespace: sandbox.namespace,
    leaseNamespace: sandbox.namespace,
    leaderElection: false,
    port: 0,
    logger: createLogger({ level: 'warn', component: 'qhc-operator' }),
    qdrantUrlTemplate: `${double.url}/{namespace}%2F{name}/{node}`,
    clusterManagerUrl: manager.url,
  });
});
afterAll(async () => {
  await operator?.stop();
  await manager?.stop();
  await double?.close();
});

describe('the operator with the cluster manager', () => {
  const id = 'cm1';

  it('rebalances after a scale-up: 3 → 5 and the new peers receive shards', async () => {
    const s = sim(id);
    await client.apply(clusterObject(id, { size: 3 }));
    await until(id, 'Healthy with 3 nodes and a manager answer', (c) => healthy(3)(c) && c.status?.clusterManagerResponse?.status === 'Balanced');
    await joinPods(`/qdrant-${id}`);
    s.addCollection('docs', { shards: 12 });
    s.addCollection('replicated', { shards: 5, replicationFactor: 2 });
    await client.patch(ref(id), { spec: { size: 5 } });
    const done = await until(id, 'rebalanced over 5 nodes', (c) => healthy(5)(c) && s.peers.size === 5 && spread(perPeer(s)) <= 1);
    expect(done.status?.nextClusterManagerInvocation).toBeDefined();
    for (const node of [3, 4]) expect(s.shardsPerPeer().get(s.peerOnNode(node)!.id)).toBeGreaterThan(0);
    await until(id, 'balanced afterwards', (c) => c.status?.clusterManagerResponse?.status === 'Balanced');
    const metrics = await (await fetch(`${manager.url}/metrics`)).text();
    expect(metrics).toMatch(/qhc_cluster_manager_moves_total\{result="finished"\} [1-9]/);
  });

  it('a transfer that fails midway leaves every shard replicated and is retried on the next call', async () => {
    const s = sim(id);
    // Unbalance the data: all of a new collection on node 0.
    s.addCollection('skewed', { shards: 10 });
    const first = s.peerOnNode(0)!.id;
    for (const shard of s.collections.get('skewed')!.shards) shard.replicas = [{ peerId: first, state: 'Active' }];
    s.transfer.failNext = 1;
    const failed = await until(id, 'the failure reported', (c) => c.status?.clusterManagerResponse?.status === 'Failed', 30_000);
    expect(failed.status?.clusterManagerResponse?.description).toMatch(
      /^the transfer of shard \d+ of collection \w+ from peer \d+ to \d+ ended without the shard arriving$/,
    );
    // Retried under the backoff (3 s), not at the next pullInterval (1 s), counted from the failure's event (the status has whole seconds).
    const failureEvents = await eventsOf(id, 'ClusterManagerFailed');
    const failedAt = Date.parse(failureEvents.find((e) => e.reason === 'ClusterManagerFailed')!.eventTime);
    expect(Date.parse(failed.status!.nextClusterManagerInvocation!) - failedAt).toBeGreaterThan(1_200);
    for (const c of s.collections.values())
      for (const shard of c.shards) expect(shard.replicas.filter((r) => r.state === 'Active').length).toBeGreaterThanOrEqual(1);
    await until(id, 'rebalanced on a later call', () => spread(perPeer(s)) <= 1, 30_000);
    expect(s.finishedTransfers.some((t) => t.outcome === 'failed')).toBe(true);
    const events = await eventsOf(id, 'ClusterManagerFailed', 'ClusterManagerRebalanced');
    expect(events.map((e) => e.reason)).toEqual(expect.arrayContaining(['ClusterManagerFailed', 'ClusterManagerRebalanced']));
  });

  it('recovers a dead peer whose shards live elsewhere', async () => {
    const s = sim(id);
    await until(id, 'balanced', (c) => c.status?.clusterManagerResponse?.status === 'Balanced', 30_000);
    // A stale peer of node 1's address that no node runs (as after a volume was replaced).
    const dead = s.addPeer(-1);
    dead.uri = s.peerOnNode(1)!.uri;
    s.addCollection('with-dead', { shards: 2, replicationFactor: 2 });
    for (const shard of s.collections.get('with-dead')!.shards)
      shard.replicas = [
        { peerId: dead.id, state: 'Active' },
        { peerId: s.peerOnNode(0)!.id, state: 'Active' },
      ];
    await until(id, 'the dead peer removed', () => !s.peers.has(dead.id), 30_000);
    // The event is recorded once the manage call has answered, after the peer is gone: waited for, not read at once.
    const namesDead = (e: ClusterEvent) => e.reason === 'ClusterManagerRecovered' && (e.note?.includes(String(dead.id)) ?? false);
    const events = await eventsWhere(id, 'ClusterManagerRecovered naming the dead peer', (es) => es.some(namesDead));
    expect(events.filter(namesDead)).not.toHaveLength(0);
  });

  it('does nothing while a pause is present', async () => {
    const s = sim(id);
    await client.patch(ref(id), { spec: { pauses: [{ owner: 'ops', reason: 'disk swap' }] } });
    const paused = 'nothing done while the cluster is paused (ops)';
    let seen = '';
    await until(
      id,
      'skipped while paused',
      (c) => ((seen = c.status?.nextClusterManagerInvocation ?? ''), c.status?.clusterManagerResponse?.description === paused),
      30_000,
    );
    s.addCollection('while-paused', { shards: 10 });
    const first = s.peerOnNode(0)!.id;
    for (const shard of s.collections.get('while-paused')!.shards) shard.replicas = [{ peerId: first, state: 'Active' }];
    const writesBefore = double.calls.filter((c) => c.cluster.endsWith(`/qdrant-${id}`) && c.method !== 'GET').length;
    // Two more manage calls (pullInterval 1 s) that saw the skewed shards and were told to do nothing.
    for (const call of ['second', 'third']) {
      const previous = seen;
      await until(id, `a ${call} manage call while paused`, (c) => {
        const next = c.status?.nextClusterManagerInvocation ?? '';
        if (next === previous || c.status?.clusterManagerResponse?.description !== paused) return false;
        seen = next;
        return true;
      });
    }
    expect(double.calls.filter((c) => c.cluster.endsWith(`/qdrant-${id}`) && c.method !== 'GET').length).toBe(writesBefore);
    await client.patch(ref(id), { spec: { pauses: null } });
    await until(id, 'rebalanced after the pause', () => spread(perPeer(s)) <= 1, 30_000);
  });

  it('recovers a node through the recreate-node flow: new volume, new peer, the old peer removed', async () => {
    const other = 'cm2';
    const s = sim(other);
    await client.apply(clusterObject(other, { size: 3 }));
    await until(other, 'Healthy with 3 nodes', (c) => healthy(3)(c) && c.status?.clusterManagerResponse?.status === 'Balanced');
    await joinPods(`/qdrant-${other}`);
    s.addCollection('replicated', { shards: 6, replicationFactor: 2 });
    const oldPeer = s.peerOnNode(1)!.id;
    const oldClaim = await client.get({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      namespace: sandbox.namespace,
      name: `qdrant-storage-qdrant-${other}-1`,
    });
    await client.patch(
      { apiVersion: 'v1', kind: 'Pod', namespace: sandbox.namespace, name: `qdrant-${other}-1` },
      { metadata: { annotations: { 'operator.qdrant.com/recreate-node': 'disk errors' } } },
    );
    await until(other, 'the old peer removed', (c) => healthy(3)(c) && !s.peers.has(oldPeer), 60_000);
    const claim = await client.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: sandbox.namespace, name: `qdrant-storage-qdrant-${other}-1` });
    expect(claim?.metadata.uid).not.toBe(oldClaim?.metadata.uid);
    expect(s.peerOnNode(1)!.id).not.toBe(oldPeer);
    for (const shard of s.collections.get('replicated')!.shards) expect(shard.replicas.some((r) => r.state === 'Active')).toBe(true);
    const reasons = (await eventsOf(other, 'RecreateNode', 'ClusterManagerRecovered')).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['RecreateNode', 'ClusterManagerRecovered']));
  });

  it('drains through the manager on scale-down: 5 → 2, each removed node before its pod goes', async () => {
    const s = sim(id);
    const leaving = new Map([2, 3, 4].map((n) => [s.peerOnNode(n)!.id, n]));
    const podsAtRemoval: Array<{ node: number; pods: string[] }> = [];
    double.onRequest = async (call) => {
      if (call.method === 'DELETE' && call.cluster.endsWith(`/qdrant-${id}`) && leaving.has(Number(/peer\/(\d+)/.exec(call.path)?.[1]))) {
        const pods = await client.list({ apiVersion: 'v1', kind: 'Pod' }, { namespace: sandbox.namespace, labelSelector: `cluster-id=${id}` });
        podsAtRemoval.push({ node: leaving.get(Number(/peer\/(\d+)/.exec(call.path)?.[1]))!, pods: pods.items.map((p) => p.metadata.name!) });
      }
      await joinPods(call.cluster);
    };
    await client.patch(ref(id), { spec: { size: 2 } });
    await until(id, 'Healthy with 2 nodes', (c) => healthy(2)(c) && !c.status?.deleteInProgressNodeIndexes, 90_000);
    double.onRequest = (call) => joinPods(call.cluster);
    expect(podsAtRemoval.map((r) => r.node)).toEqual([4, 3, 2]);
    for (const { node, pods } of podsAtRemoval) expect(pods).toContain(`qdrant-${id}-${node}`);
    const stays = new Set([s.peerOnNode(0)!.id, s.peerOnNode(1)!.id]);
    for (const c of s.collections.values()) for (const shard of c.shards) expect(shard.replicas.every((r) => stays.has(r.peerId))).toBe(true);
    const metrics = await (await fetch(`${manager.url}/metrics`)).text();
    expect(metrics).toMatch(/qhc_cluster_manager_drain_steps_total\{step="remove_peer"\} 3/);
  });
  it('restarts through the manager under onDemandReplication Auto: copies first, released after', async () => {
    const rid = 'cm3';
    const s = sim(rid);
    await client.apply(clusterObject(rid, { size: 3, onDemandReplication: 'Auto', rebalanceStrategy: 'disabled' }));
    await until(rid, 'Healthy with 3 nodes', (c) => healthy(3)(c) && c.status?.clusterManagerResponse?.status === 'Balanced');
    await joinPods(`/qdrant-${rid}`);
    s.addCollection('docs', { shards: 6 });
    const before = [...s.shardsPerPeer().entries()];
    const uids = new Map(
      (await client.list({ apiVersion: 'v1', kind: 'Pod' }, { namespace: sandbox.namespace, labelSelector: `cluster-id=${rid}` })).items.map((p) => [
        p.metadata.name!,
        p.metadata.uid!,
      ]),
    );
    await client.patch(ref(rid), { metadata: { annotations: { restartedAt: '2026-12-01T12:00:00Z' } } });
    await waitFor(
      'every pod restarted',
      async () => {
        const pods = (await client.list({ apiVersion: 'v1', kind: 'Pod' }, { namespace: sandbox.namespace, labelSelector: `cluster-id=${rid}` })).items;
        return pods.length === 3 && pods.every((p) => uids.get(p.metadata.name!) !== p.metadata.uid) ? true : undefined;
      },
      { timeoutMs: 60_000 },
    );
    await until(rid, 'Healthy with the copies released', (c) => healthy(3)(c) && !c.status?.temporaryReplicas);
    // Six copies made (two per node) and all dropped again.
    expect(s.finishedTransfers.filter((t) => t.kind === 'replicate' && t.outcome === 'done')).toHaveLength(6);
    expect([...s.shardsPerPeer().entries()]).toEqual(before);
    const metrics = await (await fetch(`${manager.url}/metrics`)).text();
    expect(metrics).toMatch(/qhc_cluster_manager_temporary_replicas_total\{action="made"\} 6/);
    expect(metrics).toMatch(/qhc_cluster_manager_temporary_replicas_total\{action="released"\} 6/);
  });
});
