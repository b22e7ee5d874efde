import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@qhc/kube-sandbox';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { QDRANT_API_VERSION, allKinds, buildCrd, clusterResourceName, type QdrantCluster } from '@qhc/schemas';
import { qdrantClusterFixture } from '@qhc/schemas/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOperator, type RunningOperator } from '../src/index.ts';

const sandbox = useSandboxNamespace('operator');
let client: KubeClient;
let operator: RunningOperator;

type Cluster = KubeObject & Pick<QdrantCluster, 'status'>;

const clusterRef = (id: string) => ({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster', namespace: sandbox.namespace, name: clusterResourceName(id) });
/** Three nodes with 2 GiB volumes unless `spec` says otherwise. */
function clusterObject(id: string, spec: Record<string, unknown> = {}, annotations?: Record<string, string>): KubeObject {
  const defaults = { size: 3, resources: { cpu: '1', memory: '1Gi', storage: '2Gi' } };
  return qdrantClusterFixture(id, { ...defaults, ...spec }, { namespace: sandbox.namespace, annotations });
}
const phaseOf = async (id: string) => (await client.get<Cluster>(clusterRef(id)))?.status?.phase;
const waitForPhase = (id: string, phase: string, extra: (c: Cluster) => boolean = () => true) =>
  waitFor(
    `qdrant-${id} to be ${phase}`,
    async () => {
      const c = await client.get<Cluster>(clusterRef(id));
      return c?.status?.phase === phase && extra(c) ? c : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );

beforeAll(async () => {
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-operator-test' });
  for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
  await waitFor(
    'CRDs established',
    async () =>
      await client
        .list({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' }, { namespace: sandbox.namespace })
        .then(() => true)
        .catch(() => undefined),
  );
  const dir = mkdtempSync(join(tmpdir(), 'qhc-operator-'));
  const settingsPath = join(dir, 'settings.yaml');
  writeFileSync(settingsPath, 'settings:\n  app_environment: local\n  backOff:\n    minDelay: 1\n    maxDelay: 5\n    increment: 1\n');
  operator = await startOperator({
    settingsPath,
    kubeconfigPath: sandbox.kubeconfigPath,
    namespace: sandbox.namespace,
    leaseNamespace: sandbox.namespace,
    leaderElection: { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 250 },
    port: 0,
    logLevel: 'warn',
  });
  await waitFor('the operator to lead', async () => (operator.isLeader() ? true : undefined), { timeoutMs: 15_000 });
});

afterAll(async () => {
  await operator?.stop();
});

describe('the operator on a real apiserver', () => {
  it('creates a cluster: Healthy with 3 ready nodes, the scale selector, endpoint and conditions', async () => {
    await client.apply(clusterObject('c1'));
    const cluster = await waitForPhase('c1', 'Healthy', (c) => c.status?.availableNodes === 3);
    expect(cluster.status).toMatchObject({
      currentNodes: 3,
      selector: 'app=qdrant,cluster-id=c1',
      endpoint: `http://qdrant-c1.${sandbox.namespace}.svc:6333`,
      observedGeneration: cluster.metadata.generation,
      version: 'v1.12.4',
    });
    expect(cluster.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    // Nothing holds the cluster back from its deletion: its objects go by owner reference.
    expect(cluster.metadata.finalizers).toBeUndefined();
    // The Healthy event is recorded after the status the wait above saw.
    const reasons = await waitFor('Creating and Healthy events', async () => {
      const events = await client.list<KubeObject & { reason: string; regarding: { name: string } }>(
        { apiVersion: 'events.k8s.io/v1', kind: 'Event' },
        { namespace: sandbox.namespace },
      );
      const found = events.items.filter((e) => e.regarding.name === 'qdrant-c1').map((e) => e.reason);
      return found.includes('Creating') && found.includes('Healthy') ? found : undefined;
    });
    expect(reasons).toEqual(expect.arrayContaining(['Creating', 'Healthy']));
  });

  it('scales through the scale subresource (kubectl scale qc/...)', async () => {
    await client.patch({ ...clusterRef('c1') }, { spec: { replicas: 5 } }, { subresource: 'scale' });
    const cluster = await waitForPhase('c1', 'Healthy', (c) => c.status?.availableNodes === 5);
    expect(cluster.status?.currentNodes).toBe(5);
  });

  it("reports a claim's change that no other event follows (a driver's capacity; the PersistentVolume controller's Lost and back)", async () => {
    const claims = await client.list<KubeObject>(
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
      { namespace: sandbox.namespace, labelSelector: 'cluster-id=c1' },
    );
    // The database volume of node 0 (the snapshots volume is not in the nodes' details).
    const claim = claims.items.find((c) => c.metadata.name === 'qdrant-storage-qdrant-c1-0')!;
    // What a driver that rounds up to its own granularity reports, on the settled cluster.
    await client.patch(
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: sandbox.namespace, name: claim.metadata.name! },
      { status: { capacity: { storage: '3Gi' } } },
      { subresource: 'status' },
    );
    const cluster = await waitForPhase('c1', 'Healthy', (c) => c.status?.nodes?.['qdrant-c1-0']?.databasePVCStatus?.capacity?.storage === '3Gi');
    expect(cluster.status?.availableNodes).toBe(5);
  });

  it('reports a spec that cannot work as FailedToCreate, with the reason', async () => {
    await client.apply(clusterObject('bad', { ingress: { enabled: true } }));
    const cluster = await waitForPhase('bad', 'FailedToCreate');
    expect(cluster.status?.reason).toMatch(/spec\.ingress\.host/);
  });

  it('serves health, readiness and metrics', async () => {
    const base = `http://127.0.0.1:${operator.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/qhc_operator_reconciles_total\{kind="QdrantCluster",result="success"\} \d+/);
    expect(metrics).toMatch(/qhc_operator_apiserver_requests_total\{code="200",kind="StatefulSet",verb="PATCH"\} \d+/);
    expect(metrics).toContain('qhc_operator_leader 1');
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+$/m);
    expect(metrics).toMatch(/^nodejs_heap_size_used_bytes \d+$/m);
  });
});

describe('the operator on a real apiserver: deletion', () => {
  it('deletes a cluster: the owned objects go, the volumes stay', async () => {
    await client.delete(clusterRef('c1'));
    await waitFor('the cluster to go', async () => ((await client.get(clusterRef('c1'))) === undefined ? true : undefined), { timeoutMs: 30_000 });
    await waitFor(
      'its StatefulSet and Services to be collected',
      async () => {
        const sts = await client.get({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: sandbox.namespace, name: 'qdrant-c1' });
        const services = await client.list({ apiVersion: 'v1', kind: 'Service' }, { namespace: sandbox.namespace, labelSelector: 'cluster-id=c1' });
        return !sts && services.items.length === 0 ? true : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const claims = await client.list({ apiVersion: 'v1', kind: 'PersistentVolumeClaim' }, { namespace: sandbox.namespace, labelSelector: 'cluster-id=c1' });
    expect(claims.items.length).toBeGreaterThanOrEqual(3);
    expect(await phaseOf('c1')).toBeUndefined();
  });

  it('deletes a cluster whose volume retention is Delete: nothing of it is left behind', async () => {
    await client.apply(clusterObject('c9', { size: 2 }, { 'qhc.dev/volume-retention': 'Delete' }));
    await waitForPhase('c9', 'Healthy', (c) => c.status?.availableNodes === 2);
    await client.delete(clusterRef('c9'));
    await waitFor(
      'every object of the cluster to go',
      async () => {
        const left: string[] = [];
        for (const kind of [
          { apiVersion: 'apps/v1', kind: 'StatefulSet' },
          { apiVersion: 'v1', kind: 'Service' },
          { apiVersion: 'v1', kind: 'ConfigMap' },
          { apiVersion: 'v1', kind: 'Pod' },
          { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
          { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
          { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
        ]) {
          const list = await client.list(kind, { namespace: sandbox.namespace, labelSelector: 'cluster-id=c9' });
          left.push(...list.items.map((o) => `${kind.kind}/${o.metadata.name}`));
        }
        if (await client.get(clusterRef('c9'))) left.push('QdrantCluster/qdrant-c9');
        return left.length === 0 ? true : undefined;
      },
      { timeoutMs: 90_000 },
    );
    expect(await client.get(clusterRef('c9'))).toBeUndefined();
  });

  it("a cluster an earlier version took in hand loses that version's finalizer, and only that one, live or deleted", async () => {
    const legacy = clusterObject('c8', { size: 1 });
    const finalizers = ['example.com/keep', 'qhc.dev/cluster'];
    await client.apply({ ...legacy, metadata: { ...legacy.metadata, finalizers } });
    const adopted = await waitForPhase('c8', 'Healthy', (c) => !c.metadata.finalizers?.includes('qhc.dev/cluster'));
    expect(adopted.metadata.finalizers).toEqual(['example.com/keep']);
    // Written again, as an earlier version's replica would during a rolling upgrade, then deleted.
    await client.patch(clusterRef('c8'), { metadata: { finalizers } });
    await client.delete(clusterRef('c8'));
    const deleting = await waitFor(
      "the earlier version's finalizer released from the deleted cluster",
      async () => {
        const c = await client.get(clusterRef('c8'));
        return c?.metadata.deletionTimestamp && !c.metadata.finalizers?.includes('qhc.dev/cluster') ? c : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(deleting.metadata.finalizers).toEqual(['example.com/keep']);
    await client.patch(clusterRef('c8'), { metadata: { finalizers: null } });
    await waitFor('the cluster to go', async () => ((await client.get(clusterRef('c8'))) === undefined ? true : undefined), { timeoutMs: 30_000 });
  });
});
