// A cluster a restore made in the region: the agent reports where it came from and its spec
// (for the control plane to adopt), never applies a same-named record of another origin over
// it, and once the adopted record is applied, manages it like its own.
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { waitFor } from '@qhc/kube-sandbox';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { DesiredState, QDRANT_API_VERSION, allKinds, buildCrd, clusterResourceName, parseRegion, type DesiredStateInput } from '@qhc/schemas';
import { qdrantClusterFixture } from '@qhc/schemas/test';
import { applyDesiredState, collectStatus } from '../src/index.ts';
import { restoreOrigin } from '../src/adoption.ts';

const sandbox = useSandboxNamespace('agent-adopt');
let client: KubeClient;
const logger = createLogger({ level: 'error' });
const spec = { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } };
const origin = { restore: 'bk-to-copy', snapshot: 'bk', sourceCluster: 'source' };
const state = (revision: number, clusters: DesiredStateInput['clusters']): DesiredState =>
  DesiredState.parse({
    revision,
    region: parseRegion(JSON.stringify({ name: 'r1', namespace: sandbox.namespace, operatorVersion: '0.1.0', agentVersion: '0.1.0' })),
    clusters,
    deletions: [],
  });
const cluster = () =>
  client.get<KubeObject & { spec: Record<string, unknown> }>({
    apiVersion: QDRANT_API_VERSION,
    kind: 'QdrantCluster',
    namespace: sandbox.namespace,
    name: clusterResourceName('copy'),
  });
const reported = async () => (await collectStatus(client, sandbox.namespace, 'r1', 1, '0.1.0')).clusters.find((c) => c.id === 'copy');

beforeAll(async () => {
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-agent' });
  for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
  await waitFor('CRDs served', () => client.list({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' }, { namespace: sandbox.namespace }).then(() => true));
  // As the operator's restore makes it (apps/operator/src/backup/restore.ts): its own field manager, the origin annotations.
  const copy = qdrantClusterFixture(
    'copy',
    { ...spec, config: { log_level: 'DEBUG' } },
    {
      namespace: sandbox.namespace,
      labels: { 'customer-id': 'r1' },
      annotations: { 'qhc.dev/origin-restore': origin.restore, 'qhc.dev/origin-snapshot': origin.snapshot, 'qhc.dev/origin-cluster': origin.sourceCluster },
    },
  );
  await client.apply(copy as KubeObject, { fieldManager: 'qhc-operator' });
});

describe('restored clusters', () => {
  it('are reported with their origin and spec (without id); clusters the agent applied or made otherwise are not', async () => {
    const handmade = qdrantClusterFixture('handmade', spec, { namespace: sandbox.namespace, labels: { 'customer-id': 'x' } });
    await client.apply(handmade as KubeObject, { fieldManager: 'kubectl' });
    const report = await collectStatus(client, sandbox.namespace, 'r1', 1, '0.1.0');
    expect(report.clusters.find((c) => c.id === 'copy')).toMatchObject({ origin, spec: { ...spec, config: { log_level: 'DEBUG' } } });
    expect((await reported())?.spec).not.toHaveProperty('id');
    expect(report.clusters.find((c) => c.id === 'handmade')).not.toHaveProperty('origin');
  });

  it('a record of the same name but another origin is not applied over it', async () => {
    await applyDesiredState(client, sandbox.namespace, state(2, [{ id: 'copy', spec: { ...spec, id: 'copy', size: 3 } }]), logger);
    expect((await cluster())?.spec.size).toBe(1);
    await applyDesiredState(
      client,
      sandbox.namespace,
      state(3, [{ id: 'copy', spec: { ...spec, id: 'copy', size: 3 }, origin: { ...origin, restore: 'another' } }]),
      logger,
    );
    expect((await cluster())?.spec.size).toBe(1);
  });

  it('the adopted record is applied: the agent manages the cluster from then on, the origin stays on it', async () => {
    await applyDesiredState(
      client,
      sandbox.namespace,
      state(4, [{ id: 'copy', spec: { ...spec, id: 'copy', size: 2, config: { log_level: 'DEBUG' } }, origin }]),
      logger,
    );
    const live = await cluster();
    expect(live?.spec.size).toBe(2);
    expect(live?.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('qhc-agent');
    expect(live?.metadata.annotations?.['qhc.dev/origin-restore']).toBe(origin.restore);
    expect(await reported()).not.toHaveProperty('origin');
    // Later changes apply as to any cluster of the control plane's.
    await applyDesiredState(client, sandbox.namespace, state(5, [{ id: 'copy', spec: { ...spec, id: 'copy', size: 3 }, origin }]), logger);
    expect((await cluster())?.spec.size).toBe(3);
  });
});

const made = (creationTimestamp: string) => ({
  apiVersion: 'qdrant.io/v1',
  kind: 'QdrantCluster',
  metadata: { name: 'qdrant-old', namespace: 'ns', creationTimestamp },
  spec: {},
});
const restore = (phase: string | undefined) => ({
  apiVersion: 'qdrant.io/v1',
  kind: 'QdrantClusterRestore',
  metadata: { name: 'rs', namespace: 'ns', creationTimestamp: '2026-12-01T10:00:00Z', labels: { 'cluster-id': 'source' } },
  spec: { source: { snapshotName: 'sn' }, destination: { name: 'qdrant-old', create: true } },
  ...(phase ? { status: { phase } } : {}),
});

describe('a cluster without origin annotations (restored before they existed)', () => {
  it('comes from a restore only once it Succeeded, and only when made no earlier than the restore', () => {
    // Made with kubectl while the restore still waits: not the restore's.
    for (const phase of [undefined, 'Pending', 'Running', 'Failed'])
      expect(restoreOrigin(made('2026-12-01T10:05:00Z'), [restore(phase)]), String(phase)).toBeUndefined();
    // Made before the restore: not what it created.
    expect(restoreOrigin(made('2026-12-01T09:59:59Z'), [restore('Succeeded')])).toBeUndefined();
    expect(restoreOrigin(made('2026-12-01T10:05:00Z'), [restore('Succeeded')])).toEqual({ restore: 'rs', snapshot: 'sn', sourceCluster: 'source' });
  });
});
