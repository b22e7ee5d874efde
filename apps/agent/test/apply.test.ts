import { describe, expect, it, beforeAll } from 'vitest';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { waitFor } from '@qhc/kube-sandbox';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { DesiredState, QDRANT_API_VERSION, allKinds, buildCrd, parseRegion, type DesiredStateInput } from '@qhc/schemas';
import { clusterSpecFixture, qdrantClusterFixture, scheduledSnapshotFixture } from '@qhc/schemas/test';
import { applyDesiredState, explain } from '../src/index.ts';

const sandbox = useSandboxNamespace('agent-apply');
let client: KubeClient;
const logger = createLogger({ level: 'error' });

/** As the agent receives it: parsed with the contract. */
const state = (revision: number, clusters: DesiredStateInput['clusters'], deletions: string[] = [], extra: Partial<DesiredStateInput> = {}): DesiredState =>
  DesiredState.parse({
    revision,
    region: parseRegion(
      JSON.stringify({
        name: 'r1',
        namespace: sandbox.namespace,
        operatorVersion: '0.1.0',
        agentVersion: '0.1.0',
        operatorSettings: { settings: { backupTimeout: 600 } },
      }),
    ),
    clusters,
    deletions,
    ...extra,
  });
const spec = (id: string, size = 1) => clusterSpecFixture(id, { version: 'v1.16.2', size });
const get = (kind: string, name: string, apiVersion: string = QDRANT_API_VERSION) =>
  client.get<KubeObject & { spec: Record<string, unknown>; data?: Record<string, string> }>({ apiVersion, kind, namespace: sandbox.namespace, name });

beforeAll(async () => {
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-agent' });
  for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
  await waitFor('CRDs served', () => client.list({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' }, { namespace: sandbox.namespace }).then(() => true));
});

describe('applyDesiredState: applying', () => {
  it('applies the clusters, with their API keys in a Secret (and, with no installation in the namespace, nothing of one)', async () => {
    const result = await applyDesiredState(
      client,
      sandbox.namespace,
      state(3, [
        { id: 'a', spec: spec('a'), annotations: { restartedAt: '2026-12-01T10:00:00Z' } },
        { id: 'b', spec: spec('b', 3), apiKeys: { apiKey: 'secret-key-1' } },
      ]),
      logger,
    );
    expect((await get('QdrantCluster', 'qdrant-a'))?.metadata.annotations?.restartedAt).toBe('2026-12-01T10:00:00Z');
    expect(result.applied).toEqual(['QdrantCluster/qdrant-a', 'Secret/qdrant-b-api-keys', 'QdrantCluster/qdrant-b']);
    expect(result.installation.managedBy).toBe('none');
    const b = await get('QdrantCluster', 'qdrant-b');
    expect(b?.metadata.labels).toMatchObject({ 'cluster-id': 'b', 'customer-id': 'r1' });
    expect(b?.metadata.annotations?.['qhc.dev/region-revision']).toBe('3');
    expect(b?.spec).toMatchObject({ size: 3, config: { service: { api_key: { secretKeyRef: { name: 'qdrant-b-api-keys', key: 'api-key' } } } } });
    const keys = await get('Secret', 'qdrant-b-api-keys', 'v1');
    expect(Buffer.from(keys!.data!['api-key']!, 'base64').toString()).toBe('secret-key-1');
  });

  it('applies backups, schedules and restores, and deletes only the listed ones', async () => {
    const nightly = scheduledSnapshotFixture('a-nightly', 'a', { scheduleShortId: 'n1' });
    const desired = state(7, [{ id: 'a', spec: spec('a') }], [], {
      resources: [{ kind: nightly.kind, name: 'a-nightly', clusterId: 'a', spec: nightly.spec }],
    });
    expect((await applyDesiredState(client, sandbox.namespace, desired, logger)).applied).toContain('QdrantClusterScheduledSnapshot/a-nightly');
    const made = await get('QdrantClusterScheduledSnapshot', 'a-nightly');
    expect(made?.metadata.labels).toMatchObject({ 'cluster-id': 'a', 'customer-id': 'r1' });
    const later = state(8, [{ id: 'a', spec: spec('a') }]);
    expect((await applyDesiredState(client, sandbox.namespace, later, logger)).deleted).toEqual([]);
    expect(await get('QdrantClusterScheduledSnapshot', 'a-nightly')).toBeDefined();
    later.resourceDeletions = [{ kind: 'QdrantClusterScheduledSnapshot', name: 'a-nightly' }];
    expect((await applyDesiredState(client, sandbox.namespace, later, logger)).deleted).toEqual(['QdrantClusterScheduledSnapshot/a-nightly']);
  });
});

describe('applyDesiredState: deleting', () => {
  it('deletes only what the desired state lists as deleted, never what is merely missing', async () => {
    const result = await applyDesiredState(client, sandbox.namespace, state(4, [{ id: 'a', spec: spec('a') }]), logger);
    expect(result.deleted).toEqual([]);
    expect(await get('QdrantCluster', 'qdrant-b')).toBeDefined();
    const deleting = await applyDesiredState(client, sandbox.namespace, state(5, [{ id: 'a', spec: spec('a') }], ['b']), logger);
    expect(deleting.deleted).toEqual(['qdrant-b']);
    await waitFor('qdrant-b gone', async () => ((await get('QdrantCluster', 'qdrant-b')) ? undefined : true));
    expect(await get('Secret', 'qdrant-b-api-keys', 'v1')).toBeUndefined();
  });

  it('deletes a listed cluster only when the agent made it: a same-named cluster a restore made stays', async () => {
    const restored = qdrantClusterFixture(
      'restored',
      { version: 'v1.16.2' },
      { namespace: sandbox.namespace, annotations: { 'qhc.dev/origin-restore': 'rs', 'qhc.dev/origin-snapshot': 'sn' } },
    );
    await client.apply(restored as KubeObject, { fieldManager: 'qhc-operator' });
    // The control plane's clashing record, never applied (isOtherRestore), is deleted.
    const result = await applyDesiredState(client, sandbox.namespace, state(6, [{ id: 'a', spec: spec('a') }], ['restored']), logger);
    expect(result.deleted).toEqual([]);
    expect(await get('QdrantCluster', 'qdrant-restored')).toBeDefined();
  });
});

describe('applyDesiredState: a newer control plane', () => {
  it('a region this agent cannot read (a newer control plane) skips the installation, reports it, and still applies the clusters', async () => {
    const desired = state(9, [{ id: 'a', spec: spec('a', 2) }]);
    desired.region = { ...desired.region, addedInNextRelease: true } as DesiredState['region'];
    const result = await applyDesiredState(client, sandbox.namespace, desired, logger);
    expect(result.installation).toMatchObject({ upToDate: false });
    expect(result.installation.message).toMatch(/^installation not applied: this agent cannot read the region .*addedInNextRelease/s);
    expect(result.applied).toEqual(['QdrantCluster/qdrant-a']);
    expect((await get('QdrantCluster', 'qdrant-a'))?.spec.size).toBe(2);
  });
  // The installation (images, log levels, settings, CRDs): test/installation.test.ts.
});

/** undici's shape: "fetch failed" with the system error as the cause. */
const wrapped = (code: string, message = code) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(message), { code }) });

describe('explain', () => {
  it('says what failed in words', () => {
    expect(explain(wrapped('SELF_SIGNED_CERT_IN_CHAIN'))).toBe(
      "TLS: the certificate chain ends in a CA the agent does not trust (SELF_SIGNED_CERT_IN_CHAIN); give the agent the control plane's CA certificate (the region's advanced.caCertificate, or --ca-file)",
    );
    expect(explain(wrapped('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'))).toBe('connection refused (connect ECONNREFUSED 127.0.0.1:1)');
    expect(explain(wrapped('ENOTFOUND'))).toBe('the host name does not resolve (ENOTFOUND)');
    expect(explain(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }))).toBe('no answer in time');
  });
});
