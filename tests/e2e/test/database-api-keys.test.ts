// Database API keys end to end on the kube sandbox: the environment, its cluster and a key made
// through the Cloud API (gRPC over TLS); the key reaches the region only sealed for its agent, which writes it into the cluster's api-key
// Secret; the operator hashes that Secret onto the pod template, so a deleted key rolls the pods
// and the database stops taking it. Qdrant is played by the double: it is started with the key
// the pod's env resolves to, as Qdrant reads QDRANT__SERVICE__API_KEY when its pod starts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { QdrantClient } from '@qdrant/js-client-rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseApiKeyV2 } from '@qhc/cloud-api';
import { createLoopbackTls, waitFor, type LoopbackTls } from '@qhc/kube-sandbox';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { startControlPlane, type RunningControlPlane } from '@qhc/control-plane';
import { API_KEYS_HASH_ANNOTATION, hashApiKeyValues, startOperator, type RunningOperator } from '@qhc/operator';
import { startQdrantDouble, type QdrantDouble } from '@qhc/qdrant-double';
import { API_KEY_SECRET_KEY, DEFAULT_PACKAGES, QDRANT_API_VERSION, allKinds, apiKeySecretName, buildCrd, podName, statefulSetName } from '@qhc/schemas';
import { startAgentProcess, type AgentProcess } from './support/agent-process.ts';
import { cloudClients, type CloudClients } from './support/cloud-region.ts';

const sandbox = useSandboxNamespace('e2e-db-keys');
const MANAGEMENT_KEY = 'qhc_m_e2e-management-key-dbkeys-0123456789';
let tls: LoopbackTls;
let api: CloudClients;
let client: KubeClient;
let cp: RunningControlPlane;
let operator: RunningOperator | undefined;
let agent: AgentProcess | undefined;
let keys: Client<typeof databaseApiKeyV2.DatabaseApiKeyService>;
const doubles: QdrantDouble[] = [];
const headers = { authorization: `apikey ${MANAGEMENT_KEY}` };
let environmentId = '';
let clusterId = '';

type Secret = KubeObject & { data?: Record<string, string> };
type EnvVar = { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } };
type Sts = KubeObject & { spec: { template: { metadata?: { annotations?: Record<string, string> }; spec: { containers: Array<{ env?: EnvVar[] }> } } } };

const secretData = async (name: string) => (await client.get<Secret>({ apiVersion: 'v1', kind: 'Secret', namespace: sandbox.namespace, name }))?.data ?? {};
const statefulSet = () => client.get<Sts>({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: sandbox.namespace, name: statefulSetName(clusterId) });
const templateHash = async () => (await statefulSet())?.spec.template.metadata?.annotations?.[API_KEYS_HASH_ANNOTATION];
const podHash = async () =>
  (await client.get({ apiVersion: 'v1', kind: 'Pod', namespace: sandbox.namespace, name: podName(clusterId, 0) }))?.metadata.annotations?.[
    API_KEYS_HASH_ANNOTATION
  ];
/** The hash the operator puts on the template for the api-key Secret's current read-write key. */
const hashOfSecret = async () =>
  hashApiKeyValues([
    { name: apiKeySecretName(clusterId), key: API_KEY_SECRET_KEY, value: (await secretData(apiKeySecretName(clusterId)))[API_KEY_SECRET_KEY] ?? null },
  ]);

/** What QDRANT__SERVICE__API_KEY resolves to for a pod started from the StatefulSet's template now. */
async function podApiKey(): Promise<string | undefined> {
  const env = (await statefulSet())?.spec.template.spec.containers[0]?.env ?? [];
  const ref = env.find((e) => e.name === 'QDRANT__SERVICE__API_KEY')?.valueFrom?.secretKeyRef;
  if (!ref) return undefined;
  const value = (await secretData(ref.name))[ref.key];
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
}

/** A Qdrant (the double) started as a pod would be now, and a client of it presenting `key`. */
async function qdrantWith(key: string): Promise<QdrantClient> {
  const double = await startQdrantDouble({ apiKey: await podApiKey() });
  doubles.push(double);
  double.cluster('keys');
  const url = new URL(double.nodeUrl('keys', 0));
  // The client keeps an explicit port and a path prefix apart from the URL.
  return new QdrantClient({ url: url.origin, port: Number(url.port), prefix: url.pathname, apiKey: key, checkCompatibility: false });
}

async function startRegion(): Promise<void> {
  const configuration = { namespace: sandbox.namespace, caCertificates: tls.ca };
  const created = await api.hybrid.createHybridCloudEnvironment(
    { hybridCloudEnvironment: { accountId: cp.accountId, name: 'e2e', configuration } },
    { headers },
  );
  environmentId = created.hybridCloudEnvironment!.id;
  const install = await api.hybrid.generateBootstrapCommands({ accountId: cp.accountId, hybridCloudEnvironmentId: environmentId }, { headers });
  // The CRDs first, as the installation script applies them: the operator's informers need them.
  for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
  await waitFor('CRDs served', () => client.list({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' }, { namespace: sandbox.namespace }).then(() => true));
  const settingsDir = mkdtempSync(join(tmpdir(), 'qhc-op-'));
  writeFileSync(join(settingsDir, 'settings.yaml'), 'settings:\n  app_environment: local\n');
  operator = await startOperator({
    settingsPath: join(settingsDir, 'settings.yaml'),
    kubeconfigPath: sandbox.kubeconfigPath,
    namespace: sandbox.namespace,
    leaseNamespace: sandbox.namespace,
    leaderElection: false,
    port: 0,
    logger: createLogger({ level: 'warn', component: 'qhc-operator' }),
  });
  const args = ['--control-plane-url', cp.url, '--region', environmentId, '--namespace', sandbox.namespace, '--kubeconfig', sandbox.kubeconfigPath];
  const timing = ['--health-port', '0', '--status-interval', '1', '--poll-seconds', '5', '--max-backoff', '2', '--ca-file', tls.caPath];
  // The installation's Secret, as the script leaves it: the agent exchanges the token and keeps its credential there.
  const bootstrap = Buffer.from(install.accessKey).toString('base64');
  const metadata = { name: 'qhc-agent-credentials', namespace: sandbox.namespace };
  await client.create({ apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque', data: { 'bootstrap-token': bootstrap } } as KubeObject);
  agent = startAgentProcess([...args, ...timing]);
  await agent.waitForLog('first apply', /"msg":"desired state applied"/, 120_000);
}

beforeAll(async () => {
  tls = await createLoopbackTls(mkdtempSync(join(tmpdir(), 'qhc-tls-')), 'qhc-control-plane');
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-e2e' });
  cp = await startControlPlane({
    database: join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'control-plane.db'),
    port: 0,
    tls: { cert: tls.cert, key: tls.key },
    managementKey: MANAGEMENT_KEY,
    logger: createLogger({ level: 'warn', component: 'qhc-control-plane' }),
    pollIntervalMs: 100,
  });
  api = cloudClients(cp.url, tls.ca);
  keys = createClient(databaseApiKeyV2.DatabaseApiKeyService, createGrpcTransport({ baseUrl: cp.url, nodeOptions: { ca: tls.ca } }));
  await startRegion();
}, 180_000);
afterAll(async () => {
  for (const double of doubles) await double.close();
  await agent?.stop();
  await operator?.stop();
  await cp?.stop();
});

describe('a database API key through the Cloud API', () => {
  let key = '';
  let keyId = '';
  let hashWithKey = '';

  it('becomes the api-key Secret of the cluster in the region, and Qdrant started from it takes the key', async () => {
    const configuration = { numberOfNodes: 1, version: 'v1.16.2', packageId: DEFAULT_PACKAGES[0]!.id };
    const cluster = { accountId: cp.accountId, name: 'keys', cloudProviderId: 'hybrid', cloudProviderRegionId: environmentId, configuration };
    clusterId = (await api.clusters.createCluster({ cluster }, { headers })).cluster!.id;
    expect(clusterId).toMatch(/^[0-9a-f-]{36}$/);
    const request = { databaseApiKey: { accountId: cp.accountId, clusterId, name: 'e2e writer' } };
    // The agent's first report carries its public key; until then keys cannot be sealed for it.
    const minted = await waitFor('the agent connected (a key minted)', () => keys.createDatabaseApiKey(request, { headers }).catch(() => undefined), {
      timeoutMs: 60_000,
    });
    key = minted.databaseApiKey!.key;
    keyId = minted.databaseApiKey!.id;
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await waitFor('the key in the api-key Secret', async () => ((await podApiKey()) === key ? true : undefined), { timeoutMs: 60_000 });
    hashWithKey = await hashOfSecret();
    await waitFor('the pod template hashed with the key', async () => ((await templateHash()) === hashWithKey ? true : undefined), { timeoutMs: 60_000 });
    const qdrant = await qdrantWith(key);
    expect((await qdrant.getCollections()).collections).toEqual([]);
    const stranger = await qdrantWith('not-the-key');
    await expect(stranger.getCollections()).rejects.toMatchObject({ status: 401 });
  });

  it('once deleted, leaves the Secret, rolls the pod template, and a Qdrant restarted from it refuses the key', async () => {
    await keys.deleteDatabaseApiKey({ accountId: cp.accountId, clusterId, databaseApiKeyId: keyId }, { headers });
    await waitFor('the key gone from the Secret', async () => ((await podApiKey()) !== key ? true : undefined), { timeoutMs: 60_000 });
    // The rollout: the template changes, so the StatefulSet replaces its pods.
    const hashWithout = await hashOfSecret();
    expect(hashWithout).not.toBe(hashWithKey);
    await waitFor('the pod template rolled', async () => ((await templateHash()) === hashWithout ? true : undefined), { timeoutMs: 60_000 });
    await waitFor('the pod replaced from the new template', async () => ((await podHash()) === hashWithout ? true : undefined), { timeoutMs: 90_000 });
    // The cluster stays locked: its pods still require a key, one nobody was given.
    expect(await podApiKey()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const restarted = await qdrantWith(key);
    await expect(restarted.getCollections()).rejects.toMatchObject({ status: 401 });
    expect((await keys.listDatabaseApiKeys({ accountId: cp.accountId, clusterId }, { headers })).items).toEqual([]);
  });
});
