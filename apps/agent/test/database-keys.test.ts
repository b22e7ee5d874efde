// Database API keys sealed for the agent: opened with its key pair (kept in a Secret across
// restarts) into the cluster's api-key Secret; a key it cannot open is named in a condition.
import { describe, expect, it, beforeAll } from 'vitest';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { DesiredState, QDRANT_API_VERSION, allKinds, buildCrd, type ClusterStatusReport, type DesiredStateInput } from '@qhc/schemas';
import { clusterSpecFixture } from '@qhc/schemas/test';
import { generateSealingKeyPair, sealedKeyContext, sealFor } from '@qhc/schemas/sealing';
import { waitFor } from '@qhc/kube-sandbox';
import { applyDesiredState } from '../src/index.ts';
import { loadSealingKey, openDatabaseApiKeys, SEALING_KEY_SECRET, UNREADABLE_KEY_CONDITION, withUnreadableKeys } from '../src/database-keys.ts';

const sandbox = useSandboxNamespace('agent-db-keys');
let client: KubeClient;

type Keys = NonNullable<DesiredStateInput['clusters'][number]['databaseApiKeys']>;
const state = (keys: Keys | undefined, namespace = 'ns'): DesiredState =>
  DesiredState.parse({
    revision: 1,
    region: { name: 'r1', namespace },
    clusters: [{ id: 'c1', spec: clusterSpecFixture('c1', { version: 'v1.16.2', size: 1 }), ...(keys ? { databaseApiKeys: keys } : {}) }],
    deletions: [],
  });
const sealed = (publicKey: string, id: string, slot: 'readWrite' | 'readOnly', key: string) => ({
  id,
  slot,
  sealed: sealFor(publicKey, key, sealedKeyContext('c1', id)),
});

describe('opening sealed database API keys', () => {
  const pair = generateSealingKeyPair();

  it("fills each slot with what the agent's key pair opens", () => {
    const { state: opened, unreadable } = openDatabaseApiKeys(
      state([sealed(pair.publicKey, 'k1', 'readWrite', 'write-key'), sealed(pair.publicKey, 'k2', 'readOnly', 'read-key')]),
      pair.privateKeyPem,
    );
    expect(opened.clusters[0]?.apiKeys).toEqual({ apiKey: 'write-key', readOnlyApiKey: 'read-key' });
    expect(unreadable).toEqual([]);
  });

  it('names a key sealed for another key pair in a condition, never its contents, and keeps the database locked', () => {
    const other = generateSealingKeyPair();
    const { state: opened, unreadable } = openDatabaseApiKeys(state([sealed(other.publicKey, 'k9', 'readWrite', 'their-key')]), pair.privateKeyPem);
    expect(unreadable).toEqual([{ clusterId: 'c1', keyId: 'k9' }]);
    const apiKey = opened.clusters[0]?.apiKeys?.apiKey;
    expect(apiKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(apiKey).not.toBe('their-key');
    const report: ClusterStatusReport[] = [
      { id: 'c1', phase: 'Healthy', nodes: 1, nodesReady: 1, conditions: [] },
      { id: 'c2', phase: 'Healthy', nodes: 1, nodesReady: 1 },
    ];
    const [c1, c2] = withUnreadableKeys(report, unreadable);
    expect(c1?.conditions).toEqual([
      { type: UNREADABLE_KEY_CONDITION, status: 'False', reason: 'SealedForAnotherAgent', message: expect.stringContaining('k9') },
    ]);
    expect(JSON.stringify(c1)).not.toContain('their-key');
    expect(c2).toEqual(report[1]);
  });

  it('locks a managed cluster without a read-write key with a stable key nobody was given; leaves others alone', () => {
    const first = openDatabaseApiKeys(state([]), pair.privateKeyPem).state.clusters[0]?.apiKeys;
    const again = openDatabaseApiKeys(state([]), pair.privateKeyPem).state.clusters[0]?.apiKeys;
    expect(first?.apiKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(again).toEqual(first);
    expect(openDatabaseApiKeys(state([]), generateSealingKeyPair().privateKeyPem).state.clusters[0]?.apiKeys).not.toEqual(first);
    expect(openDatabaseApiKeys(state(undefined), pair.privateKeyPem).state.clusters[0]).not.toHaveProperty('apiKeys');
  });
});

const text = (data: Record<string, string>) => Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));

describe('the key pair and the api-key Secret in a region', () => {
  beforeAll(async () => {
    client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-agent' });
    for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
    await waitFor('CRDs served', () =>
      client.list({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' }, { namespace: sandbox.namespace }).then(() => true),
    );
  });

  it('keeps the key pair in a Secret: a restarted agent (a second load) has the same one', async () => {
    const first = await loadSealingKey(client, sandbox.namespace);
    const secret = await client.get<KubeObject & { data?: Record<string, string> }>({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: sandbox.namespace,
      name: SEALING_KEY_SECRET,
    });
    expect(Buffer.from(secret!.data!['private-key']!, 'base64').toString()).toBe(first.privateKeyPem);
    expect(await loadSealingKey(client, sandbox.namespace)).toEqual(first);
  });

  it('writes opened keys to the Secret, and rewrites it without a deleted one', async () => {
    const pair = await loadSealingKey(client, sandbox.namespace);
    const logger = createLogger({ level: 'error' });
    const apply = (keys: Keys) =>
      applyDesiredState(client, sandbox.namespace, openDatabaseApiKeys(state(keys, sandbox.namespace), pair.privateKeyPem).state, logger);
    const secretData = async () =>
      (await client.get<KubeObject & { data?: Record<string, string> }>({
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: sandbox.namespace,
        name: 'qdrant-c1-api-keys',
      }))!.data!;
    await apply([sealed(pair.publicKey, 'k1', 'readWrite', 'write-key'), sealed(pair.publicKey, 'k2', 'readOnly', 'read-key')]);
    expect(text(await secretData())).toEqual({ 'api-key': 'write-key', 'read-only-api-key': 'read-key' });
    await apply([sealed(pair.publicKey, 'k1', 'readWrite', 'write-key')]);
    expect(text(await secretData())).toEqual({ 'api-key': 'write-key' });
    await apply([]);
    const locked = text(await secretData());
    expect(Object.keys(locked)).toEqual(['api-key']);
    expect(locked['api-key']).not.toBe('write-key');
  });
});
