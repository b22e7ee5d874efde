import { beforeAll, describe, expect, it } from 'vitest';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { waitFor } from '@qhc/kube-sandbox';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { API_KEY_SECRET_KEY, DesiredState, QDRANT_API_VERSION, READ_ONLY_API_KEY_SECRET_KEY, allKinds, buildCrd, parseRegion } from '@qhc/schemas';
import type { DesiredStateInput } from '@qhc/schemas';
import { clusterSpecFixture } from '@qhc/schemas/test';
import { applyDesiredState } from '../src/index.ts';

// What an object already as desired must still catch: a scale through the scale subresource, a
// label someone removed, an annotation or an API key the desired state no longer has, a rotated key.

const sandbox = useSandboxNamespace('agent-apply-put-back');
const logger = createLogger({ level: 'error' });
let client: KubeClient;
let revision = 1;

type Cluster = KubeObject & { spec: { size: number } };
type Cluster0 = DesiredStateInput['clusters'][number];
const answer = (cluster: Partial<Cluster0>) =>
  DesiredState.parse({
    revision: revision++,
    region: parseRegion(JSON.stringify({ name: 'r1', namespace: sandbox.namespace, operatorVersion: '0.1.0', agentVersion: '0.1.0' })),
    clusters: [{ id: 'k0', spec: clusterSpecFixture('k0', { size: 2 }), ...cluster }],
    deletions: [],
  });
const apply = (cluster: Partial<Cluster0>) => applyDesiredState(client, sandbox.namespace, answer(cluster), logger);
const ref = () => ({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster', namespace: sandbox.namespace, name: 'qdrant-k0' });
const cluster = () => client.get<Cluster>(ref());
const secretData = async () =>
  (
    await client.get<KubeObject & { data?: Record<string, string> }>({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: sandbox.namespace,
      name: 'qdrant-k0-api-keys',
    })
  )?.data ?? {};
const decoded = (data: Record<string, string>) => Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));

beforeAll(async () => {
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-agent' });
  for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
  await waitFor('CRDs served', async () => {
    await client.list({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' }, { namespace: sandbox.namespace });
    return true;
  });
});

describe('applyDesiredState: an object already applied once', () => {
  it('a scale through the scale subresource (kubectl scale) is put back', async () => {
    await apply({ apiKeys: { apiKey: 'k-1' } });
    await client.patch(ref(), { spec: { replicas: 4 } }, { subresource: 'scale' });
    expect((await cluster())?.spec.size).toBe(4);
    expect((await apply({ apiKeys: { apiKey: 'k-1' } })).applied).toEqual(['QdrantCluster/qdrant-k0']);
    expect((await cluster())?.spec.size).toBe(2);
  });

  it('a label someone removed is put back; an annotation the desired state drops is removed', async () => {
    await apply({ apiKeys: { apiKey: 'k-1' }, annotations: { 'example.com/team': 'search' } });
    expect((await cluster())?.metadata.annotations?.['example.com/team']).toBe('search');
    await client.patch(ref(), { metadata: { labels: { 'app.kubernetes.io/managed-by': null } } });
    expect((await apply({ apiKeys: { apiKey: 'k-1' }, annotations: { 'example.com/team': 'search' } })).applied).toEqual(['QdrantCluster/qdrant-k0']);
    expect((await cluster())?.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('qhc-agent');
    expect((await apply({ apiKeys: { apiKey: 'k-1' } })).applied).toEqual(['QdrantCluster/qdrant-k0']);
    expect((await cluster())?.metadata.annotations).not.toHaveProperty('example.com/team');
  });

  it('a rotated API key is written into the Secret; a key the desired state drops leaves it', async () => {
    await apply({ apiKeys: { apiKey: 'k-1', readOnlyApiKey: 'ro-1' } });
    expect(decoded(await secretData())).toEqual({ [API_KEY_SECRET_KEY]: 'k-1', [READ_ONLY_API_KEY_SECRET_KEY]: 'ro-1' });
    expect((await apply({ apiKeys: { apiKey: 'k-2', readOnlyApiKey: 'ro-1' } })).applied).toEqual(['Secret/qdrant-k0-api-keys']);
    expect(decoded(await secretData())).toEqual({ [API_KEY_SECRET_KEY]: 'k-2', [READ_ONLY_API_KEY_SECRET_KEY]: 'ro-1' });
    await apply({ apiKeys: { apiKey: 'k-2' } });
    expect(decoded(await secretData())).toEqual({ [API_KEY_SECRET_KEY]: 'k-2' });
  });
});
