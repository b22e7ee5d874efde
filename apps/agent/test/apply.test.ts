import { describe, expect, it, beforeAll } from 'vitest';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { waitFor } from '@qhc/kube-sandbox';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { allKinds, buildCrd, parseRegion } from '@qhc/schemas';
import { applyDesiredState, explain, type DesiredState } from '../src/index.ts';

const sandbox = useSandboxNamespace('agent-apply');
let client: KubeClient;
const logger = createLogger({ level: 'error' });

const state = (
  revision: number,
  clusters: DesiredState['clusters'],
  deletions: string[] = [],
  versions = { operatorVersion: '0.1.0', agentVersion: '0.1.0' },
): DesiredState => ({
  revision,
  region: parseRegion(JSON.stringify({ name: 'r1', namespace: sandbox.namespace, ...versions, operatorSettings: { settings: { backupTimeout: 600 } } })),
  clusters,
  deletions,
});
const spec = (id: string, size = 1) => ({ id, version: 'v1.16.2', size, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } });
const get = (kind: string, name: string, apiVersion = 'qdrant.io/v1') =>
  client.get<KubeObject & { spec: Record<string, unknown>; data?: Record<string, string> }>({ apiVersion, kind, namespace: sandbox.namespace, name });

beforeAll(async () => {
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-agent' });
  for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
  await waitFor('CRDs served', () => client.list({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster' }, { namespace: sandbox.namespace }).then(() => true));
});

describe('applyDesiredState', () => {
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
    const desired = state(7, [{ id: 'a', spec: spec('a') }]);
    desired.resources = [
      {
        kind: 'QdrantClusterScheduledSnapshot',
        name: 'a-nightly',
        clusterId: 'a',
        spec: { 'cluster-id': 'a', scheduleShortId: 'n1', schedule: '0 2 * * *', retention: '72h' },
      },
    ];
    expect((await applyDesiredState(client, sandbox.namespace, desired, logger)).applied).toContain('QdrantClusterScheduledSnapshot/a-nightly');
    const made = await get('QdrantClusterScheduledSnapshot', 'a-nightly');
    expect(made?.metadata.labels).toMatchObject({ 'cluster-id': 'a', 'customer-id': 'r1' });
    const later = state(8, [{ id: 'a', spec: spec('a') }]);
    expect((await applyDesiredState(client, sandbox.namespace, later, logger)).deleted).toEqual([]);
    expect(await get('QdrantClusterScheduledSnapshot', 'a-nightly')).toBeDefined();
    later.resourceDeletions = [{ kind: 'QdrantClusterScheduledSnapshot', name: 'a-nightly' }];
    expect((await applyDesiredState(client, sandbox.namespace, later, logger)).deleted).toEqual(['QdrantClusterScheduledSnapshot/a-nightly']);
  });

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
    await client.apply(
      {
        apiVersion: 'qdrant.io/v1',
        kind: 'QdrantCluster',
        metadata: {
          name: 'qdrant-restored',
          namespace: sandbox.namespace,
          labels: { 'cluster-id': 'restored' },
          annotations: { 'qhc.dev/origin-restore': 'rs', 'qhc.dev/origin-snapshot': 'sn' },
        },
        spec: spec('restored'),
      } as KubeObject,
      { fieldManager: 'qhc-operator' },
    );
    // The control plane's clashing record, never applied (isOtherRestore), is deleted.
    const result = await applyDesiredState(client, sandbox.namespace, state(6, [{ id: 'a', spec: spec('a') }], ['restored']), logger);
    expect(result.deleted).toEqual([]);
    expect(await get('QdrantCluster', 'qdrant-restored')).toBeDefined();
  });

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
