// The hybrid cloud end to end on the kube sandbox, through the Cloud API (gRPC over TLS): an
// environment created in the control plane, the commands GenerateBootstrapCommands answers run
// against the sandbox with bash and kubectl, the agent (its own process, outgoing HTTPS only,
// through a private CA) registering and applying, the operator making the clusters Healthy, and
// the status flowing back. Qdrant is not needed: nothing here drains or rebalances.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clone } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError } from '@connectrpc/connect';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterV1, hybridV1 } from '@qhc/cloud-api';
import { createLoopbackTls, waitFor, type LoopbackTls } from '@qhc/kube-sandbox';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import type { RunningControlPlane } from '@qhc/control-plane';
import type { RunningOperator } from '@qhc/operator';
import { DEFAULT_PACKAGES, QDRANT_API_VERSION } from '@qhc/schemas';
import { qdrantClusterRef } from '@qhc/schemas/test';
import { startAgentProcess, type AgentProcess } from './support/agent-process.ts';
import { agentArgs, cleanEnv, cloudClients, runCommands, startCloudControlPlane, startSandboxOperator, type CloudClients } from './support/cloud-region.ts';
import { startConnectProxy } from './support/connect-proxy.ts';

const sandbox = useSandboxNamespace('e2e-hybrid');
const MANAGEMENT_KEY = 'qhc_m_e2e-management-key-hybrid-0123456789';
const headers = { authorization: `apikey ${MANAGEMENT_KEY}` };
const COMPONENTS = ['qhc-operator', 'qhc-agent', 'qhc-cluster-manager'];
let tls: LoopbackTls;
let client: KubeClient;
let cp: RunningControlPlane;
let api: CloudClients;
let operator: RunningOperator;
let agent: AgentProcess | undefined;
let database = '';
let port = 0;
let trusted: Agent;
let environmentId = '';
const clusterIds: Record<string, string> = {};

const startCp = async () => {
  cp = await startCloudControlPlane({ database, port, tls, managementKey: MANAGEMENT_KEY });
  port = Number(new URL(cp.url).port);
  api = cloudClients(cp.url, tls.ca);
};
const args = (extra: string[] = []) => agentArgs({ port, region: environmentId, namespace: sandbox.namespace, kubeconfigPath: sandbox.kubeconfigPath }, extra);
const sandboxCluster = (name: string) =>
  client.get<KubeObject & { spec: { size: number }; status?: { phase?: string } }>(qdrantClusterRef(clusterIds[name]!, sandbox.namespace));
const ids = () => ({ accountId: cp.accountId, hybridCloudEnvironmentId: environmentId });
const environment = async () => (await api.hybrid.getHybridCloudEnvironment(ids(), { headers })).hybridCloudEnvironment!;
const health = async () => (await api.environmentAgent.getEnvironmentHealth(ids(), { headers })).health!;
const apiCluster = async (name: string) => (await api.clusters.getCluster({ accountId: cp.accountId, clusterId: clusterIds[name]! }, { headers })).cluster!;
const updateEnvironment = (change: (c: hybridV1.HybridCloudEnvironmentConfiguration) => void) =>
  environment().then((env) => {
    const next = clone(hybridV1.HybridCloudEnvironmentSchema, env);
    change(next.configuration!);
    return api.hybrid.updateHybridCloudEnvironment({ hybridCloudEnvironment: next }, { headers });
  });
async function createCluster(name: string, numberOfNodes: number): Promise<void> {
  const configuration = { numberOfNodes, version: 'v1.16.2', packageId: DEFAULT_PACKAGES[0]!.id };
  const cluster = { accountId: cp.accountId, name, cloudProviderId: 'hybrid', cloudProviderRegionId: environmentId, configuration };
  clusterIds[name] = (await api.clusters.createCluster({ cluster }, { headers })).cluster!.id;
}

type Deployment = KubeObject & {
  metadata: { generation?: number };
  spec: { template: { spec: { containers: Array<{ env?: Array<{ name: string; value?: string }> }> } } };
};
const deployment = (name: string) => client.get<Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: sandbox.namespace, name });
const envOf = async (name: string) => Object.fromEntries(((await deployment(name))?.spec.template.spec.containers[0]!.env ?? []).map((e) => [e.name, e.value]));
const generations = async () =>
  Object.fromEntries(await Promise.all(COMPONENTS.map(async (n) => [n, (await deployment(n))?.metadata.generation]))) as Record<string, number>;
const dataOf = async (kind: 'Secret' | 'ConfigMap', name: string) =>
  client.get<KubeObject & { data: Record<string, string> }>({ apiVersion: 'v1', kind, namespace: sandbox.namespace, name });

beforeAll(async () => {
  tls = await createLoopbackTls(mkdtempSync(join(tmpdir(), 'qhc-tls-')), 'qhc-control-plane');
  trusted = new Agent({ connect: { ca: tls.ca } });
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-e2e' });
  database = join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'control-plane.db');
  await startCp();
});
afterAll(async () => {
  await agent?.stop();
  await operator?.stop();
  await cp?.stop();
  await trusted?.close();
});

/** The environment through the Cloud API and its bootstrap commands run with bash and kubectl; their access key. */
async function installEnvironment(): Promise<string> {
  const configuration = { namespace: sandbox.namespace, caCertificates: tls.ca };
  const created = await api.hybrid.createHybridCloudEnvironment(
    { hybridCloudEnvironment: { accountId: cp.accountId, name: 'e2e', configuration } },
    { headers },
  );
  environmentId = created.hybridCloudEnvironment!.id;
  const bootstrap = await api.hybrid.generateBootstrapCommands(ids(), { headers });
  expect(bootstrap.commands).toEqual([`curl -fsSL https://127.0.0.1:${port}/install/${bootstrap.accessKey} | bash`]);
  const run = await runCommands(bootstrap.commands, { kubeconfigPath: sandbox.kubeconfigPath, caPath: tls.caPath });
  expect(run.status, run.stderr).toBe(0);
  // The preflight reached the control plane through the environment's CA, as the agent will.
  expect(run.stdout).toMatch(/^ok {3}control-plane: https:\/\/127\.0\.0\.1:\d+\/healthz answered from here/m);
  expect(run.stdout).toContain(`qhc: region ${environmentId} installed`);
  return bootstrap.accessKey;
}

describe('a Kubernetes cluster attached as a hybrid cloud environment', () => {
  it('environment → bootstrap commands run with kubectl → agent registers over HTTPS with the private CA', async () => {
    const accessKey = await installEnvironment();
    operator = await startSandboxOperator(sandbox);
    // No token on the command line: the agent finds the bootstrap token in the installation's Secret.
    agent = startAgentProcess(args(['--ca-file', tls.caPath]), cleanEnv());
    await agent.waitForLog('registered', /"msg":"registered with the control plane"/);
    await agent.waitForLog('first apply', /"msg":"desired state applied"/);
    const secret = await dataOf('Secret', 'qhc-agent-credentials');
    expect(Buffer.from(secret!.data['agent-token']!, 'base64').toString()).toMatch(/^qhc_a_/);
    // The bootstrap token was good for one exchange.
    const again = await undiciFetch(`${cp.url}/agent/v1/register`, { method: 'POST', dispatcher: trusted, headers: { authorization: `Bearer ${accessKey}` } });
    expect(again.status).toBe(401);
    // The agent applied the installation from the desired state: made from the same inputs as the script's.
    const settings = await dataOf('ConfigMap', 'qhc-operator-settings');
    expect(settings?.metadata.annotations?.['qhc.dev/installation-hash']).toMatch(/^[0-9a-f]{64}$/);
    await waitFor('the installation reported current', async () => ((await health()).installation?.upToDate === true ? true : undefined));
  });

  it('the agent accepts no connections: its only listening socket is health on 127.0.0.1', async () => {
    const sockets = agent!.listening();
    expect(sockets).toHaveLength(1);
    expect(sockets[0]).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});

describe('an environment change in the control plane', () => {
  it('reaches its objects; components it does not concern are not restarted', async () => {
    // A log level (the operator's and the agent's) and registry credentials: the cluster manager is not restarted; the pull Secret is filled.
    const before = await generations();
    await updateEnvironment((c) => {
      c.logLevel = hybridV1.HybridCloudEnvironmentConfigurationLogLevel.DEBUG;
    });
    await api.environmentAgent.setRegistryCredentials({ ...ids(), username: 'puller', password: 'e2e-pull-secret' }, { headers });
    await waitFor('the operator at DEBUG', async () => ((await envOf('qhc-operator')).QHC_LOG_LEVEL === 'DEBUG' ? true : undefined));
    await waitFor('the agent at DEBUG', async () => ((await envOf('qhc-agent')).QHC_LOG_LEVEL === 'DEBUG' ? true : undefined));
    await waitFor('the pull Secret filled', async () => {
      const pull = await dataOf('Secret', 'qhc-registry-creds');
      const json = Buffer.from(pull?.data['.dockerconfigjson'] ?? '', 'base64').toString();
      return json.includes(Buffer.from('puller:e2e-pull-secret').toString('base64')) ? true : undefined;
    });
    const after = await generations();
    expect(after['qhc-operator']).toBeGreaterThan(before['qhc-operator']!);
    expect(after['qhc-agent']).toBeGreaterThan(before['qhc-agent']!);
    expect(after['qhc-cluster-manager']).toBe(before['qhc-cluster-manager']);
  });

  it('a proxy, added then removed: on every component, then gone from every one', async () => {
    const added = await updateEnvironment((c) => {
      c.httpsProxyUrl = 'http://proxy.internal:3128';
    });
    expect(added.hybridCloudEnvironment?.configuration?.httpsProxyUrl).toBe('http://proxy.internal:3128');
    await waitFor('the proxy on all three', async () =>
      (await Promise.all(COMPONENTS.map(envOf))).every((e) => e.HTTPS_PROXY === 'http://proxy.internal:3128') ? true : undefined,
    );
    const removed = await updateEnvironment((c) => {
      c.httpsProxyUrl = undefined;
    });
    expect(removed.hybridCloudEnvironment?.configuration?.httpsProxyUrl).toBeUndefined();
    await waitFor('the proxy gone from all three', async () =>
      (await Promise.all(COMPONENTS.map(envOf))).every((e) => !('HTTPS_PROXY' in e) && !('NO_PROXY' in e)) ? true : undefined,
    );
  });
});

describe('a cluster through the Cloud API', () => {
  it('becomes Healthy in the sandbox and in the API; scale flows through', async () => {
    await createCluster('hello', 1);
    await waitFor('hello Healthy in the sandbox', async () => ((await sandboxCluster('hello'))?.status?.phase === 'Healthy' ? true : undefined), {
      timeoutMs: 60_000,
    });
    const HEALTHY = clusterV1.ClusterPhase.HEALTHY;
    await waitFor('Healthy in the API', async () => ((await apiCluster('hello')).state?.phase === HEALTHY ? true : undefined), { timeoutMs: 30_000 });
    // The environment's status is the agent's last report: after the proxy test rolled the
    // components it turns READY again once the agent reported them ready.
    const READY = hybridV1.HybridCloudEnvironmentStatusPhase.READY;
    const env = await waitFor('the environment READY', async () => {
      const current = await environment();
      return current.status?.phase === READY ? current : undefined;
    });
    expect(env.status?.componentStatuses.length).toBeGreaterThan(0);
    expect((await health()).appliedRevision).toBeGreaterThan(0n);
    const region = await client.get<KubeObject & { status?: { numberOfNodes?: number } }>({
      apiVersion: QDRANT_API_VERSION,
      kind: 'QdrantCloudRegion',
      name: environmentId,
    });
    expect(region?.status?.numberOfNodes).toBeGreaterThanOrEqual(1);

    const current = clone(clusterV1.ClusterSchema, await apiCluster('hello'));
    current.configuration!.numberOfNodes = 2;
    await api.clusters.updateCluster({ cluster: current }, { headers });
    await waitFor('2 nodes in the sandbox', async () => ((await sandboxCluster('hello'))?.spec.size === 2 ? true : undefined));
    await waitFor(
      '2 nodes up in the API',
      async () => {
        const c = await apiCluster('hello');
        return c.state?.phase === HEALTHY && c.state.nodesUp === 2 ? true : undefined;
      },
      { timeoutMs: 60_000 },
    );
  });
});

/** The cluster as its client sent it and the server keeps it: without the state the agent reports. */
const kept = (c: clusterV1.Cluster) => ({ ...clone(clusterV1.ClusterSchema, c), state: undefined });
const failed = '"msg":"control plane request failed; clusters keep running untouched"';
const count = (text: string) => agent!.lines.filter((l) => l.includes(text)).length;

describe('the control plane down for 30 s', () => {
  it('clusters untouched; the agent reconnects, status catches up, nothing lost', async () => {
    const before = await sandboxCluster('hello');
    const apiBefore = await apiCluster('hello');
    await cp.stop();
    const downAt = Date.now();
    await agent!.waitForLog('the outage noticed', new RegExp(failed));
    // Meanwhile the cluster changes in the region: the control plane must learn it afterwards.
    await client.patch(qdrantClusterRef(clusterIds['hello']!, sandbox.namespace), { metadata: { labels: { team: 'search' } } });
    // 30 s down, through which the agent kept trying (a failure logged per attempt, backoff capped at 2 s).
    const failuresAtStop = count(failed);
    await waitFor(
      '30 s of outage with the agent retrying',
      async () => (Date.now() - downAt >= 30_000 && count(failed) - failuresAtStop >= 8 ? true : undefined),
      { timeoutMs: 60_000 },
    );
    const during = await sandboxCluster('hello');
    expect([during?.metadata.uid, during?.spec.size, during?.status?.phase]).toEqual([before?.metadata.uid, 2, 'Healthy']);

    const reconnects = count('"msg":"connected to the control plane"');
    await startCp();
    await waitFor('the agent reconnected', async () => (count('"msg":"connected to the control plane"') > reconnects ? true : undefined), {
      timeoutMs: 20_000,
    });
    const restartedAt = Date.now();
    await waitFor('a report after the restart', async () => {
      const seen = (await health()).lastSeenAt;
      return seen && timestampDate(seen).getTime() >= restartedAt - 1_000 ? true : undefined;
    });
    const after = await apiCluster('hello');
    expect(kept(after)).toEqual(kept(apiBefore));
    expect(after.state?.phase).toBe(clusterV1.ClusterPhase.HEALTHY);
    expect((await sandboxCluster('hello'))?.metadata.uid).toBe(before?.metadata.uid);
  }, 90_000);
});

describe('a cluster deleted and the agent reaching the control plane', () => {
  it('a delete through the API deletes the cluster in the region, then it is gone from the API', async () => {
    await api.clusters.deleteCluster({ accountId: cp.accountId, clusterId: clusterIds['hello']! }, { headers });
    await waitFor('hello deleted in the sandbox', async () => ((await sandboxCluster('hello')) ? undefined : true), { timeoutMs: 30_000 });
    const gone = await waitFor(
      'gone from the API',
      () =>
        apiCluster('hello').then(
          () => undefined,
          (e: unknown) => ConnectError.from(e),
        ),
      { timeoutMs: 20_000 },
    );
    expect(gone.code).toBe(Code.NotFound);
  });

  it('without the CA the agent fails with a clear TLS error; through an HTTP CONNECT proxy it works', async () => {
    await agent!.stop();
    const untrusting = startAgentProcess(args(), cleanEnv());
    try {
      const line = await untrusting.waitForLog('a TLS error', /control plane request failed/);
      expect(line).toMatch(
        /TLS: the certificate (chain ends in a CA|was issued by a CA) the agent does not trust \([A-Z_]+\); give the agent the control plane's CA certificate/,
      );
    } finally {
      await untrusting.stop();
    }

    const proxy = await startConnectProxy();
    try {
      agent = startAgentProcess(args(['--ca-file', tls.caPath]), { ...cleanEnv(), HTTPS_PROXY: proxy.url, NO_PROXY: '' });
      await agent.waitForLog('connected through the proxy', /"msg":"connected to the control plane"/);
      expect(proxy.tunnels).toContain(`127.0.0.1:${port}`);
      await createCluster('proxied', 1);
      await waitFor('proxied in the sandbox', async () => ((await sandboxCluster('proxied')) ? true : undefined), { timeoutMs: 30_000 });
    } finally {
      await agent?.stop();
      agent = undefined;
      await proxy.close();
    }
  });
});
