import { beforeAll, describe, expect, it } from 'vitest';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { waitFor } from '@qhc/kube-sandbox';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { DesiredState, QDRANT_API_VERSION, allKinds, buildCrd, parseRegion, type DesiredStateInput } from '@qhc/schemas';
import { clusterSpecFixture, scheduledSnapshotFixture } from '@qhc/schemas/test';
import { AGENT_APPLIED_HASH_ANNOTATION, applyDesiredState } from '../src/index.ts';

// An answer that changes nothing writes nothing; a changed cluster is the only one written;
// what someone else deleted or changed is put back. Writes are counted with the client's hook.

const sandbox = useSandboxNamespace('agent-apply-unchanged');
const logger = createLogger({ level: 'error' });
let client: KubeClient;
/** Every request that is not a read, as `VERB Kind`. */
let writes: string[] = [];

const state = (revision: number, clusters: DesiredStateInput['clusters'], extra: Partial<DesiredStateInput> = {}): DesiredState =>
  DesiredState.parse({
    revision,
    region: parseRegion(JSON.stringify({ name: 'r1', namespace: sandbox.namespace, operatorVersion: '0.1.0', agentVersion: '0.1.0' })),
    clusters,
    deletions: [],
    ...extra,
  });
const clusters = (n: number, sizeOf: (i: number) => number = () => 1): DesiredStateInput['clusters'] =>
  Array.from({ length: n }, (_, i) => ({ id: `c${i}`, spec: clusterSpecFixture(`c${i}`, { size: sizeOf(i) }), apiKeys: { apiKey: `key-${i}` } }));
const nightly = scheduledSnapshotFixture('c0-nightly', 'c0', { scheduleShortId: 'n1' });
const resources = [{ kind: nightly.kind, name: 'c0-nightly', clusterId: 'c0', spec: nightly.spec }];
const get = (kind: string, name: string, apiVersion: string = QDRANT_API_VERSION) =>
  client.get<KubeObject & { spec: Record<string, unknown> }>({ apiVersion, kind, namespace: sandbox.namespace, name });
const versions = async () => {
  const list = await client.list({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' }, { namespace: sandbox.namespace });
  return Object.fromEntries(list.items.map((o) => [o.metadata.name, o.metadata.resourceVersion]));
};

/** The answer of the put-back tests: cluster c4 at size 3. */
const putBackState = () =>
  state(
    4,
    clusters(6, (i) => (i === 4 ? 3 : 1)),
    { resources },
  );

/** The most applies in flight at once during `run`. */
const peakInFlight = async (run: () => Promise<unknown>) => {
  const original = client.apply.bind(client);
  let inFlight = 0;
  let peak = 0;
  client.apply = async (object, options) => {
    peak = Math.max(peak, ++inFlight);
    try {
      return await original(object, options);
    } finally {
      inFlight--;
    }
  };
  try {
    await run();
  } finally {
    client.apply = original;
  }
  return peak;
};

beforeAll(async () => {
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), {
    fieldManager: 'qhc-agent',
    onRequest: ({ verb, kind }) => void (verb !== 'GET' && writes.push(`${verb} ${kind}`)),
  });
  for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
  await waitFor('CRDs served', async () => {
    for (const kind of allKinds) await client.list({ apiVersion: QDRANT_API_VERSION, kind: kind.kind }, { namespace: sandbox.namespace });
    return true;
  });
});

describe('applyDesiredState: nothing changed, nothing written', () => {
  it('a second apply of the same desired state (and of a new revision of it) makes no write', async () => {
    writes = [];
    const first = await applyDesiredState(client, sandbox.namespace, state(1, clusters(6), { resources }), logger);
    expect(first.applied).toHaveLength(13);
    expect(writes).toHaveLength(13);
    const before = await versions();
    writes = [];
    const again = await applyDesiredState(client, sandbox.namespace, state(1, clusters(6), { resources }), logger);
    expect(again.applied).toEqual([]);
    expect(again.unchanged).toHaveLength(13);
    const next = await applyDesiredState(client, sandbox.namespace, state(2, clusters(6), { resources }), logger);
    expect(next.applied).toEqual([]);
    expect(next.unchanged).toHaveLength(13);
    expect(writes).toEqual([]);
    expect(await versions()).toEqual(before);
    // The revision an object last changed at: nothing changed at 2.
    expect((await get('QdrantCluster', 'qdrant-c1'))?.metadata.annotations?.['qhc.dev/region-revision']).toBe('1');
  });

  it('a changed cluster among many is the only one written', async () => {
    writes = [];
    const result = await applyDesiredState(
      client,
      sandbox.namespace,
      state(
        3,
        clusters(6, (i) => (i === 4 ? 3 : 1)),
        { resources },
      ),
      logger,
    );
    expect(result.applied).toEqual(['QdrantCluster/qdrant-c4']);
    expect(writes).toEqual(['PATCH QdrantCluster']);
    const c4 = await get('QdrantCluster', 'qdrant-c4');
    expect(c4?.spec.size).toBe(3);
    expect(c4?.metadata.annotations?.['qhc.dev/region-revision']).toBe('3');
  });
});

describe('applyDesiredState: what someone else changed is put back', () => {
  it('a deleted cluster and a deleted Secret are made again', async () => {
    await client.delete({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster', namespace: sandbox.namespace, name: 'qdrant-c2' });
    await client.delete({ apiVersion: 'v1', kind: 'Secret', namespace: sandbox.namespace, name: 'qdrant-c3-api-keys' });
    await waitFor('qdrant-c2 gone', async () => ((await get('QdrantCluster', 'qdrant-c2')) ? undefined : true));
    const result = await applyDesiredState(client, sandbox.namespace, putBackState(), logger);
    expect(result.applied).toEqual(['QdrantCluster/qdrant-c2', 'Secret/qdrant-c3-api-keys']);
    expect(await get('Secret', 'qdrant-c3-api-keys', 'v1')).toBeDefined();
  });

  it('a spec changed with kubectl, and an edited hash annotation, are applied again', async () => {
    const ref = (name: string) => ({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster', namespace: sandbox.namespace, name });
    await client.patch(ref('qdrant-c1'), { spec: { size: 5 } });
    await client.patch(ref('qdrant-c5'), { metadata: { annotations: { [AGENT_APPLIED_HASH_ANNOTATION]: 'edited' } } });
    writes = [];
    const result = await applyDesiredState(client, sandbox.namespace, putBackState(), logger);
    expect(result.applied).toEqual(['QdrantCluster/qdrant-c1', 'QdrantCluster/qdrant-c5']);
    expect(writes).toEqual(['PATCH QdrantCluster', 'PATCH QdrantCluster']);
    expect((await get('QdrantCluster', 'qdrant-c1'))?.spec.size).toBe(1);
    expect((await get('QdrantCluster', 'qdrant-c5'))?.metadata.annotations?.[AGENT_APPLIED_HASH_ANNOTATION]).not.toBe('edited');
    writes = [];
    expect((await applyDesiredState(client, sandbox.namespace, putBackState(), logger)).applied).toEqual([]);
    expect(writes).toEqual([]);
  });
});

describe('applyDesiredState: bounded concurrency', () => {
  it('independent clusters overlap, never more than the limit at once', async () => {
    expect(
      await peakInFlight(() =>
        applyDesiredState(
          client,
          sandbox.namespace,
          state(
            5,
            clusters(6, () => 2),
          ),
          logger,
          { concurrency: 3 },
        ),
      ),
    ).toBe(3);
    expect(
      await peakInFlight(() =>
        applyDesiredState(
          client,
          sandbox.namespace,
          state(
            6,
            clusters(6, () => 1),
          ),
          logger,
          { concurrency: 1 },
        ),
      ),
    ).toBe(1);
  });
});
