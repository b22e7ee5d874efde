// The hybrid cloud end to end on the kube sandbox: a region created in the control plane,
// its installation script run against the sandbox with kubectl, the agent (its own process,
// outgoing HTTPS only, through a private CA) registering and applying, the operator making
// the clusters Healthy, and the status flowing back. Qdrant is not needed: nothing here
// drains or rebalances.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoopbackTls, waitFor, type LoopbackTls } from '@qhc/kube-sandbox';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { startControlPlane, type RunningControlPlane } from '@qhc/control-plane';
import { startOperator, type RunningOperator } from '@qhc/operator';
import { startAgentProcess, type AgentProcess } from './support/agent-process.ts';
import { startConnectProxy } from './support/connect-proxy.ts';
import { qdrantClusterRef } from '@qhc/schemas/test';

const sandbox = useSandboxNamespace('e2e-hybrid');
const ADMIN = 'qhc_u_e2e-admin-token-abcdefghijklmnop';
let tls: LoopbackTls;
let client: KubeClient;
let cp: RunningControlPlane;
let operator: RunningOperator;
let agent: AgentProcess | undefined;
let database = '';
let port = 0;
let trusted: Agent;

// Response bodies, read loosely: the assertions say what they must hold.
// oxlint-disable-next-line typescript/no-explicit-any
type Body = any;
const api = async (method: string, path: string, body?: unknown, token = ADMIN): Promise<{ status: number; json: Body }> => {
  const res = await undiciFetch(`${cp.url}${path}`, {
    method,
    dispatcher: trusted,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as Body };
};
const startCp = async () => {
  cp = await startControlPlane({
    database,
    port,
    tls: { cert: tls.cert, key: tls.key },
    adminToken: ADMIN,
    logger: createLogger({ level: 'warn', component: 'qhc-control-plane' }),
    pollIntervalMs: 100,
  });
  port = Number(new URL(cp.url).port);
};
const agentArgs = (extra: string[] = []) => [
  '--control-plane-url',
  `https://127.0.0.1:${port}`,
  '--region',
  'e2e',
  '--namespace',
  sandbox.namespace,
  '--kubeconfig',
  sandbox.kubeconfigPath,
  '--health-port',
  '0',
  '--status-interval',
  '1',
  '--poll-seconds',
  '5',
  '--max-backoff',
  '2',
  ...extra,
];
/** The environment without any proxy settings of the machine running the tests. */
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(https?|no|all)_proxy$/i.test(k)));
const sandboxCluster = (id: string) =>
  client.get<KubeObject & { spec: { size: number }; status?: { phase?: string; availableNodes?: number } }>(qdrantClusterRef(id, sandbox.namespace));
const apiCluster = async (id: string): Promise<Body> => (await api('GET', `/api/v1/regions/e2e/clusters/${id}`)).json;

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

describe('a Kubernetes cluster attached as a private region', () => {
  it('region → installation script run with kubectl → agent registers over HTTPS with the private CA', async () => {
    const created = await api('POST', '/api/v1/regions', {
      name: 'e2e',
      namespace: sandbox.namespace,
      agentVersion: '0.1.0',
      operatorVersion: '0.1.0',
      advanced: { caCertificate: tls.ca },
    });
    expect(created.status).toBe(201);
    const install = await api('POST', '/api/v1/regions/e2e/installation');
    expect(install.json.command).toBe(`curl -fsSL https://127.0.0.1:${port}/install/${install.json.bootstrapToken} | bash`);
    const script = await (await undiciFetch(install.json.scriptUrl, { dispatcher: trusted })).text();
    const file = join(mkdtempSync(join(tmpdir(), 'qhc-install-')), 'install.sh');
    writeFileSync(file, script, { mode: 0o700 });
    // Asynchronously: the script's preflight calls this process's control plane, which must be free to answer.
    const run = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
      execFile('bash', [file], { env: { ...process.env, KUBECONFIG: sandbox.kubeconfigPath }, timeout: 240_000 }, (error, stdout, stderr) =>
        resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(run.status, run.stderr).toBe(0);
    // The preflight reached the control plane through the region's CA, as the agent will.
    expect(run.stdout).toMatch(/^ok {3}control-plane: https:\/\/127\.0\.0\.1:\d+\/healthz answered from here/m);
    expect(run.stdout).toContain('qhc: region e2e installed');

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

    // No token on the command line: the agent finds the bootstrap token in the installation's Secret.
    agent = startAgentProcess(agentArgs(['--ca-file', tls.caPath]), cleanEnv());
    await agent.waitForLog('registered', /"msg":"registered with the control plane"/);
    await agent.waitForLog('first apply', /"msg":"desired state applied"/);
    const secret = await client.get<KubeObject & { data: Record<string, string> }>({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: sandbox.namespace,
      name: 'qhc-agent-credentials',
    });
    expect(Buffer.from(secret!.data['agent-token']!, 'base64').toString()).toMatch(/^qhc_a_/);
    // The bootstrap token was good for one exchange.
    expect((await api('POST', '/agent/v1/register', undefined, install.json.bootstrapToken)).status).toBe(401);
    const settings = await client.get<KubeObject & { data: Record<string, string> }>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: sandbox.namespace,
      name: 'qhc-operator-settings',
    });
    // The agent applied the installation from the desired state: made from the same inputs as the script's.
    expect(settings?.metadata.annotations?.['qhc.dev/installation-hash']).toMatch(/^[0-9a-f]{64}$/);
    await waitFor('the installation reported current', async () =>
      (await api('GET', '/api/v1/regions/e2e')).json.status?.installation?.upToDate === true ? true : undefined,
    );
  });

  it('the agent accepts no connections: its only listening socket is health on 127.0.0.1', async () => {
    const sockets = agent!.listening();
    expect(sockets).toHaveLength(1);
    expect(sockets[0]).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('a region change in the control plane reaches its objects; components it does not concern are not restarted', async () => {
    type Deployment = KubeObject & {
      metadata: { generation?: number };
      spec: { template: { spec: { containers: Array<{ env?: Array<{ name: string; value?: string }> }> } } };
    };
    const deployment = (name: string) => client.get<Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: sandbox.namespace, name });
    const envOf = async (name: string) =>
      Object.fromEntries(((await deployment(name))?.spec.template.spec.containers[0]!.env ?? []).map((e) => [e.name, e.value]));
    const generations = async () =>
      Object.fromEntries(
        await Promise.all(['qhc-operator', 'qhc-agent', 'qhc-cluster-manager'].map(async (n) => [n, (await deployment(n))?.metadata.generation])),
      ) as Record<string, number>;
    const spec = (await api('GET', '/api/v1/regions/e2e')).json.spec as { advanced: Record<string, unknown> };

    // A log level and registry credentials: the operator alone restarts; the pull Secret is filled.
    const before = await generations();
    expect(
      (
        await api('PUT', '/api/v1/regions/e2e', {
          ...spec,
          advanced: { ...spec.advanced, logLevel: { operator: 'DEBUG', agent: 'INFO' } },
          registryCredentials: { username: 'puller', password: 'e2e-pull-secret' },
        })
      ).status,
    ).toBe(200);
    await waitFor('the operator at DEBUG', async () => ((await envOf('qhc-operator')).QHC_LOG_LEVEL === 'DEBUG' ? true : undefined));
    const secret = await client.get<KubeObject & { data: Record<string, string> }>({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: sandbox.namespace,
      name: 'qhc-registry-creds',
    });
    expect(Buffer.from(secret!.data['.dockerconfigjson']!, 'base64').toString()).toContain(Buffer.from('puller:e2e-pull-secret').toString('base64'));
    const after = await generations();
    expect(after['qhc-operator']).toBeGreaterThan(before['qhc-operator']!);
    expect([after['qhc-agent'], after['qhc-cluster-manager']]).toEqual([before['qhc-agent'], before['qhc-cluster-manager']]);

    // A proxy, added then removed: on every component, then gone from every one.
    const current = (await api('GET', '/api/v1/regions/e2e')).json.spec as { advanced: Record<string, unknown> };
    await api('PUT', '/api/v1/regions/e2e', { ...current, advanced: { ...current.advanced, proxy: { httpsProxy: 'http://proxy.internal:3128' } } });
    await waitFor('the proxy on all three', async () =>
      (await Promise.all(['qhc-operator', 'qhc-agent', 'qhc-cluster-manager'].map(envOf))).every((e) => e.HTTPS_PROXY === 'http://proxy.internal:3128')
        ? true
        : undefined,
    );
    await api('PUT', '/api/v1/regions/e2e', current);
    await waitFor('the proxy gone from all three', async () =>
      (await Promise.all(['qhc-operator', 'qhc-agent', 'qhc-cluster-manager'].map(envOf))).every((e) => !('HTTPS_PROXY' in e) && !('NO_PROXY' in e))
        ? true
        : undefined,
    );
  });

  it('a cluster created through the API becomes Healthy in the sandbox and in the API; scale and delete flow through', async () => {
    expect(
      (
        await api('POST', '/api/v1/regions/e2e/clusters', {
          name: 'hello',
          spec: { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } },
        })
      ).status,
    ).toBe(201);
    await waitFor('qdrant-hello Healthy in the sandbox', async () => ((await sandboxCluster('hello'))?.status?.phase === 'Healthy' ? true : undefined), {
      timeoutMs: 60_000,
    });
    await waitFor('Healthy in the API', async () => ((await apiCluster('hello')).status?.phase === 'Healthy' ? true : undefined), { timeoutMs: 30_000 });
    expect((await api('GET', '/api/v1/regions/e2e')).json).toMatchObject({
      status: { phase: 'Ready', components: expect.any(Array) },
      appliedRevision: expect.any(Number),
    });
    const region = await client.get<KubeObject & { status?: { numberOfNodes?: number } }>({
      apiVersion: 'qdrant.io/v1',
      kind: 'QdrantCloudRegion',
      name: 'e2e',
    });
    expect(region?.status?.numberOfNodes).toBeGreaterThanOrEqual(1);

    await api('POST', '/api/v1/regions/e2e/clusters/hello/scale', { size: 2 });
    await waitFor('2 nodes in the sandbox', async () => ((await sandboxCluster('hello'))?.spec.size === 2 ? true : undefined));
    await waitFor(
      '2 nodes ready in the API',
      async () => {
        const c = await apiCluster('hello');
        return c.status?.phase === 'Healthy' && c.status.nodesReady === 2 ? true : undefined;
      },
      { timeoutMs: 60_000 },
    );
  });

  it('control plane down for 30 s: clusters untouched; the agent reconnects, status catches up, nothing lost', async () => {
    const before = await sandboxCluster('hello');
    const apiBefore = await apiCluster('hello');
    await cp.stop();
    const downAt = Date.now();
    await agent!.waitForLog('the outage noticed', /"msg":"control plane request failed; clusters keep running untouched"/);
    // Meanwhile the cluster changes in the region: the control plane must learn it afterwards.
    await client.patch(qdrantClusterRef('hello', sandbox.namespace), { metadata: { labels: { team: 'search' } } });
    // 30 s down, through which the agent kept trying (a failure logged per attempt, backoff capped at 2 s).
    const failures = () => agent!.lines.filter((l) => l.includes('"msg":"control plane request failed; clusters keep running untouched"')).length;
    const failuresAtStop = failures();
    await waitFor(
      '30 s of outage with the agent retrying',
      async () => (Date.now() - downAt >= 30_000 && failures() - failuresAtStop >= 8 ? true : undefined),
      { timeoutMs: 60_000 },
    );
    const during = await sandboxCluster('hello');
    expect([during?.metadata.uid, during?.spec.size, during?.status?.phase]).toEqual([before?.metadata.uid, 2, 'Healthy']);

    const reconnects = agent!.lines.filter((l) => l.includes('"msg":"connected to the control plane"')).length;
    await startCp();
    await waitFor(
      'the agent reconnected',
      async () => (agent!.lines.filter((l) => l.includes('"msg":"connected to the control plane"')).length > reconnects ? true : undefined),
      { timeoutMs: 20_000 },
    );
    const restartedAt = Date.now();
    await waitFor('a report after the restart', async () => {
      const r = (await api('GET', '/api/v1/regions/e2e')).json as { lastSeenAt?: string };
      return r.lastSeenAt && Date.parse(r.lastSeenAt) >= restartedAt - 1_000 ? true : undefined;
    });
    const after = await apiCluster('hello');
    expect({ ...after, status: undefined, updatedAt: undefined }).toEqual({ ...apiBefore, status: undefined, updatedAt: undefined });
    expect(after.status?.phase).toBe('Healthy');
    expect((await sandboxCluster('hello'))?.metadata.uid).toBe(before?.metadata.uid);
  }, 90_000);

  it('a delete through the API deletes the cluster in the region, then it is gone from the API', async () => {
    expect((await api('DELETE', '/api/v1/regions/e2e/clusters/hello')).status).toBe(202);
    await waitFor('qdrant-hello deleted in the sandbox', async () => ((await sandboxCluster('hello')) ? undefined : true), { timeoutMs: 30_000 });
    await waitFor('gone from the API', async () => ((await api('GET', '/api/v1/regions/e2e/clusters/hello')).status === 404 ? true : undefined), {
      timeoutMs: 20_000,
    });
  });

  it('without the CA the agent fails with a clear TLS error; through an HTTP CONNECT proxy it works', async () => {
    await agent!.stop();
    const untrusting = startAgentProcess(agentArgs(), cleanEnv());
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
      agent = startAgentProcess(agentArgs(['--ca-file', tls.caPath]), { ...cleanEnv(), HTTPS_PROXY: proxy.url, NO_PROXY: '' });
      await agent.waitForLog('connected through the proxy', /"msg":"connected to the control plane"/);
      expect(proxy.tunnels).toContain(`127.0.0.1:${port}`);
      await api('POST', '/api/v1/regions/e2e/clusters', {
        name: 'proxied',
        spec: { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } },
      });
      await waitFor('qdrant-proxied in the sandbox', async () => ((await sandboxCluster('proxied')) ? true : undefined), { timeoutMs: 30_000 });
    } finally {
      await agent?.stop();
      agent = undefined;
      await proxy.close();
    }
  });
});
