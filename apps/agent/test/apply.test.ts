import { describe, expect, it, beforeAll } from 'vitest';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { waitFor } from '@qhc/kube-sandbox';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { allKinds, buildCrd, parseRegion } from '@qhc/schemas';
import { applyDesiredState, explain, type DesiredState } from '../src/index.ts';

const sandbox = useSandboxNamespace('agent-apply');
let client: KubeClient;
const logger = createLogger({ level: 'error' });

const state = (revision: number, clusters: DesiredState['clusters'], deletions: string[] = [], versions = { operatorVersion: '0.1.0', agentVersion: '0.1.0' }): DesiredState => ({
  revision,
  region: parseRegion(JSON.stringify({ name: 'r1', namespace: sandbox.namespace, ...versions, operatorSettings: { settings: { backupTimeout: 600 } } })),
  clusters,
  deletions,
});
const spec = (id: string, size = 1) => ({ id, version: 'v1.16.2', size, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } });
const get = (kind: string, name: string, apiVersion = 'qdrant.io/v1') => client.get<KubeObject & { spec: Record<string, unknown>; data?: Record<string, string> }>({ apiVersion, kind, namespace: sandbox.namespace, name });

beforeAll(async () => {
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-agent' });
  for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
  await waitFor('CRDs served', () => client.list({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster' }, { namespace: sandbox.namespace }).then(() => true));
});

describe('applyDesiredState', () => {
  it('applies the operator settings and the clusters, with their API keys in a Secret', async () => {
    const result = await applyDesiredState(client, sandbox.namespace, state(3, [{ id: 'a', spec: spec('a'), annotations: { restartedAt: '2026-12-01T10:00:00Z' } }, { id: 'b', spec: spec('b', 3), apiKeys: { apiKey: 'secret-key-1' } }]), logger);
    expect((await get('QdrantCluster', 'qdrant-a'))?.metadata.annotations?.restartedAt).toBe('2026-12-01T10:00:00Z');
    expect(result.applied).toEqual(['ConfigMap/qhc-operator-settings', 'QdrantCluster/qdrant-a', 'Secret/qdrant-b-api-keys', 'QdrantCluster/qdrant-b']);
    const settings = await get('ConfigMap', 'qhc-operator-settings', 'v1');
    expect(settings?.data?.['operator-settings.yaml']).toContain('backupTimeout: 600');
    const b = await get('QdrantCluster', 'qdrant-b');
    expect(b?.metadata.labels).toMatchObject({ 'cluster-id': 'b', 'customer-id': 'r1' });
    expect(b?.metadata.annotations?.['qhc.dev/region-revision']).toBe('3');
    expect(b?.spec).toMatchObject({ size: 3, config: { service: { api_key: { secretKeyRef: { name: 'qdrant-b-api-keys', key: 'api-key' } } } } });
    const keys = await get('Secret', 'qdrant-b-api-keys', 'v1');
    expect(Buffer.from(keys!.data!['api-key']!, 'base64').toString()).toBe('secret-key-1');
  });

  it('applies backups, schedules and restores, and deletes only the listed ones', async () => {
    const desired = state(7, [{ id: 'a', spec: spec('a') }]);
    desired.resources = [{ kind: 'QdrantClusterScheduledSnapshot', name: 'a-nightly', clusterId: 'a', spec: { 'cluster-id': 'a', scheduleShortId: 'n1', schedule: '0 2 * * *', retention: '72h' } }];
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

  it('upgrades the operator and sets its log level by changing those fields only, keeping the rest of the Deployment', async () => {
    await client.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'qhc-operator', namespace: sandbox.namespace },
      spec: { selector: { matchLabels: { app: 'op' } }, template: { metadata: { labels: { app: 'op' } }, spec: { containers: [{ name: 'qhc-operator', image: 'registry.cloud.qdrant.io/qdrant/qhc-operator:0.1.0', args: ['--settings', '/etc/x'], env: [{ name: 'A', value: 'b' }, { name: 'QHC_LOG_LEVEL', value: 'INFO' }] }] } } },
    } as KubeObject, { fieldManager: 'qhc-installer' });
    const desired = state(6, [], [], { operatorVersion: '0.2.0', agentVersion: '0.1.0' });
    desired.region.advanced.logLevel.operator = 'DEBUG';
    const result = await applyDesiredState(client, sandbox.namespace, desired, logger);
    expect(result.applied).toContain('Deployment/qhc-operator');
    const deployment = await client.get<KubeObject & { spec: { template: { spec: { containers: Array<{ image: string; args: string[]; env: unknown[] }> } } } }>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: sandbox.namespace, name: 'qhc-operator' });
    expect(deployment?.spec.template.spec.containers[0]).toMatchObject({ image: 'registry.cloud.qdrant.io/qdrant/qhc-operator:0.2.0', args: ['--settings', '/etc/x'], env: [{ name: 'A', value: 'b' }, { name: 'QHC_LOG_LEVEL', value: 'DEBUG' }] });
    // Nothing left to change: no write.
    expect((await applyDesiredState(client, sandbox.namespace, desired, logger)).applied).not.toContain('Deployment/qhc-operator');
  });

  it('moves the release\'s own cluster manager with the operator (a v in the version is not part of the tag)', async () => {
    await client.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'qhc-cluster-manager', namespace: sandbox.namespace },
      spec: { selector: { matchLabels: { app: 'cm' } }, template: { metadata: { labels: { app: 'cm' } }, spec: { containers: [{ name: 'qhc-cluster-manager', image: 'registry.cloud.qdrant.io/qdrant/qdrant-cloud-cluster-manager:0.1.0' }] } } },
    } as KubeObject, { fieldManager: 'qhc-installer' });
    const result = await applyDesiredState(client, sandbox.namespace, state(7, [], [], { operatorVersion: 'v0.3.0', agentVersion: '0.1.0' }), logger);
    expect(result.applied).toContain('Deployment/qhc-cluster-manager');
    const deployment = await client.get<KubeObject & { spec: { template: { spec: { containers: Array<{ image: string }> } } } }>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: sandbox.namespace, name: 'qhc-cluster-manager' });
    expect(deployment?.spec.template.spec.containers[0]!.image).toBe('registry.cloud.qdrant.io/qdrant/qdrant-cloud-cluster-manager:0.3.0');
  });
});

/** undici's shape: "fetch failed" with the system error as the cause. */
const wrapped = (code: string, message = code) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(message), { code }) });

describe('explain', () => {
  it('says what failed in words', () => {
    expect(explain(wrapped('SELF_SIGNED_CERT_IN_CHAIN'))).toBe("TLS: the certificate chain ends in a CA the agent does not trust (SELF_SIGNED_CERT_IN_CHAIN); give the agent the control plane's CA certificate (the region's advanced.caCertificate, or --ca-file)");
    expect(explain(wrapped('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'))).toBe('connection refused (connect ECONNREFUSED 127.0.0.1:1)');
    expect(explain(wrapped('ENOTFOUND'))).toBe('the host name does not resolve (ENOTFOUND)');
    expect(explain(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }))).toBe('no answer in time');
  });
});
