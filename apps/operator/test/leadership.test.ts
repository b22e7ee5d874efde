import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { waitFor } from '@qhc/kube-sandbox';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { LABEL_CLUSTER_ID, QDRANT_API_VERSION, allKinds, buildCrd, clusterResourceName, statefulSetName, type QdrantCluster } from '@qhc/schemas';
import { qdrantClusterFixture } from '@qhc/schemas/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOperator, type OperatorMetrics, type RunningOperator } from '../src/index.ts';
import { databaseClaimNameOf } from '../src/reconcile/volumes.ts';
import { nodeStatuses, type ObservedClaim, type ObservedPod } from '../src/status.ts';

const sandbox = useSandboxNamespace('leadership');
let client: KubeClient;
const operators: RunningOperator[] = [];

type Cluster = KubeObject & Pick<QdrantCluster, 'status'>;
const ref = (id: string) => ({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster', namespace: sandbox.namespace, name: clusterResourceName(id) });
const cluster = (id: string): KubeObject => qdrantClusterFixture(id, { size: 2 }, { namespace: sandbox.namespace });
const healthy = (id: string) =>
  waitFor(`qdrant-${id} Healthy`, async () => ((await client.get<Cluster>(ref(id)))?.status?.phase === 'Healthy' ? true : undefined), {
    timeoutMs: 60_000,
    intervalMs: 200,
  });

/** Writes to the apiserver other than the leader Lease and Events, by `VERB Kind`. */
function writesByKind(metrics: OperatorMetrics): Record<string, number> {
  const text = metrics.render();
  const by: Record<string, number> = {};
  for (const [, labels, value] of text.matchAll(/^qhc_operator_apiserver_requests_total\{([^}]*)\} (\d+)$/gm)) {
    const verb = /verb="(\w+)"/.exec(labels!)![1]!;
    const kind = /kind="(\w+)"/.exec(labels!)![1]!;
    if (['PATCH', 'POST', 'PUT', 'DELETE'].includes(verb) && kind !== 'Lease' && kind !== 'Event')
      by[`${verb} ${kind}`] = (by[`${verb} ${kind}`] ?? 0) + Number(value);
  }
  return by;
}
const writes = (metrics: OperatorMetrics) => Object.values(writesByKind(metrics)).reduce((a, b) => a + b, 0);
/** What was written between two samples, by `VERB Kind` (empty: nothing). */
const writtenSince = (before: Record<string, number>, after: Record<string, number>) =>
  Object.fromEntries(Object.entries(after).flatMap(([k, v]) => (v - (before[k] ?? 0) > 0 ? [[k, v - (before[k] ?? 0)]] : [])));

/** The pods, the claims (database and snapshots) and the StatefulSet of a cluster, as they are now. */
async function world(id: string): Promise<{ pods: ObservedPod[]; claims: ObservedClaim[]; versions: string }> {
  const ns = { namespace: sandbox.namespace };
  const pods = (await client.list({ apiVersion: 'v1', kind: 'Pod' }, { ...ns, labelSelector: `${LABEL_CLUSTER_ID}=${id}` })).items;
  const claims = (await client.list({ apiVersion: 'v1', kind: 'PersistentVolumeClaim' }, { ...ns, labelSelector: `${LABEL_CLUSTER_ID}=${id}` })).items;
  const sts = await client.get({ apiVersion: 'apps/v1', kind: 'StatefulSet', ...ns, name: statefulSetName(id) });
  const versions = JSON.stringify([...pods, ...claims, sts].map((o) => `${o?.kind}/${o?.metadata.name}@${o?.metadata.resourceVersion}`).toSorted());
  return { pods: pods.filter((p) => !p.metadata.deletionTimestamp) as ObservedPod[], claims: claims as unknown as ObservedClaim[], versions };
}

/** How long the cluster's world must hold still before a round: past the watch's lag and the 500-ms delay of an owner's pass. */
const QUIET_MS = 1_000;

/**
 * Once the cluster is Healthy, its status reports its pods and claims as listed, and none of
 * them has moved for QUIET_MS: any pass still due for an earlier change has nothing to write.
 */
async function settled(id: string): Promise<Awaited<ReturnType<typeof world>>> {
  let quietSince: { versions: string; at: number } | undefined;
  return waitFor(
    `qdrant-${id}'s status to report its pods and claims, and them to hold still`,
    async () => {
      const now = await world(id);
      if (quietSince?.versions !== now.versions) quietSince = { versions: now.versions, at: performance.now() };
      const nodes = nodeStatuses(now.pods, now.claims, (pod) => databaseClaimNameOf(id, Number(pod.slice(pod.lastIndexOf('-') + 1))));
      const status = (await client.get<Cluster>(ref(id)))?.status;
      const reported = status?.phase === 'Healthy' && isDeepStrictEqual(status.nodes, nodes);
      return reported && performance.now() - quietSince.at >= QUIET_MS ? now : undefined;
    },
    { intervalMs: 250 },
  );
}

/**
 * A resync (an annotation a pass does not read) of a cluster whose status reports its pods and
 * claims as they are writes nothing. The sandbox's PersistentVolume binder races kwok's and can
 * flip a bound claim to Lost and back after the pods are ready (so can a real one, late): a
 * write then reports it. A round starts once the world is settled, and counts only if nothing
 * of the cluster's world moved while it ran; otherwise it is taken again. A leader that lost
 * the Lease and won it back starts over (the settings status is written again): that would be
 * a write here too, so it is named with them.
 */
async function noOpResyncWritesNothing(leader: RunningOperator, id: string): Promise<void> {
  for (let round = 1; ; round++) {
    const quiet = await settled(id);
    const before = writesByKind(leader.metrics);
    const runs = leader.metrics.reconciles.get({ kind: 'QdrantCluster', result: 'success' });
    await client.patch(ref(id), { metadata: { annotations: { 'example.com/touched': `${Date.now()}-${round}` } } });
    await waitFor('another reconcile', async () => (leader.metrics.reconciles.get({ kind: 'QdrantCluster', result: 'success' }) > runs ? true : undefined), {
      timeoutMs: 10_000,
    });
    const written = writtenSince(before, writesByKind(leader.metrics));
    const moved = (await world(id)).versions !== quiet.versions;
    if (moved && round < 5) continue;
    const acquired = leader.metrics.leadershipAcquired.get({});
    expect({ written, acquired, moved }, `round ${round}`).toEqual({ written: {}, acquired: 1, moved: false });
    return;
  }
}

async function start(): Promise<RunningOperator> {
  const dir = mkdtempSync(join(tmpdir(), 'qhc-operator-'));
  writeFileSync(join(dir, 'settings.yaml'), 'settings:\n  app_environment: local\n');
  const operator = await startOperator({
    settingsPath: join(dir, 'settings.yaml'),
    kubeconfigPath: sandbox.kubeconfigPath,
    namespace: sandbox.namespace,
    leaseNamespace: sandbox.namespace,
    leaderElection: { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 250 },
    port: 0,
    logLevel: 'error',
  });
  operators.push(operator);
  return operator;
}

beforeAll(async () => {
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-test' });
  for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
  await waitFor('CRDs served', () => client.list({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' }, { namespace: sandbox.namespace }).then(() => true));
});
afterAll(async () => {
  for (const operator of operators) await operator.stop();
});

describe('two operator replicas', () => {
  it('only the leader writes; a no-op resync writes nothing; killing the leader hands over', async () => {
    const a = await start();
    const b = await start();
    await waitFor('a leader', async () => (a.isLeader() || b.isLeader() ? true : undefined), { timeoutMs: 15_000 });
    const [leader, follower] = a.isLeader() ? [a, b] : [b, a];
    // A standby is ready: the process is up, and nothing sends an operator traffic.
    const standby = await fetch(`http://127.0.0.1:${follower.port}/readyz`);
    expect([standby.status, await standby.text()]).toEqual([200, 'ok: standby']);

    await client.apply(cluster('one'));
    await healthy('one');
    expect(writes(follower.metrics)).toBe(0);
    expect(writes(leader.metrics)).toBeGreaterThan(0);

    // A resync of a converged cluster: an unrelated change makes the leader reconcile it again.
    await noOpResyncWritesNothing(leader, 'one');

    await leader.stop({ release: false });
    await waitFor('the follower to take over', async () => (follower.isLeader() ? true : undefined), { timeoutMs: 15_000 });
    await client.apply(cluster('two'));
    await healthy('two');
    expect(writes(follower.metrics)).toBeGreaterThan(0);
  });
});
