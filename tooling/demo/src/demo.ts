// The whole hybrid cloud on one machine, the way a user meets it: a control plane (SQLite,
// HTTPS under a private CA), a Kubernetes cluster (the kube sandbox) attached as a region by
// running the generated installation script with kubectl, the operator and the agent for that
// region, and an example Qdrant cluster created through the API.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { startAgent, type RunningAgent } from '@qhc/agent';
import { startControlPlane, type RunningControlPlane } from '@qhc/control-plane';
import { createKubeClient, createLogger, loadKubeConfig, type Logger } from '@qhc/kube';
import { createLoopbackTls, startSandbox, waitFor, type Sandbox } from '@qhc/kube-sandbox';
import { startOperator, type RunningOperator } from '@qhc/operator';

export interface DemoOptions {
  /** Where the database, certificates and settings go. */
  workDir: string;
  region?: string;
  namespace?: string;
  clusterSize?: number;
  logger?: Logger;
  say?: (line: string) => void;
}

export interface RunningDemo {
  controlPlaneUrl: string;
  adminToken: string;
  caPath: string;
  kubeconfigPath: string;
  namespace: string;
  stop(): Promise<void>;
}

type Api = (method: string, path: string, body?: unknown, options?: { allowNotFound?: boolean }) => Promise<Record<string, unknown> | undefined>;
type Stops = Array<() => Promise<unknown>>;

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const say = options.say ?? ((line: string) => console.log(line));
  const logger = options.logger ?? createLogger({ level: 'warn', component: 'qhc-demo' });
  const region = options.region ?? 'demo';
  const namespace = options.namespace ?? 'qdrant-demo';
  mkdirSync(options.workDir, { recursive: true });
  const stops: Stops = [];
  const stop = async () => {
    for (const s of stops.toReversed()) await s().catch(() => undefined);
  };
  try {
    say('starting the Kubernetes sandbox (kube-apiserver, controller-manager, scheduler, etcd, kwok) ...');
    const sandbox: Sandbox = await startSandbox();
    stops.push(() => sandbox.stop());
    const { cp, tls, adminToken, api, trusted } = await startDemoControlPlane(options.workDir, logger, stops);
    say(`control plane: ${cp.url}`);
    await installRegion({ api, trusted, workDir: options.workDir, region, namespace, ca: tls.ca, kubeconfigPath: sandbox.kubeconfigPath, say });
    await startRegionComponents({ cp, ca: tls.ca, kubeconfigPath: sandbox.kubeconfigPath, workDir: options.workDir, region, namespace, logger }, stops);
    say('agent connected (outgoing HTTPS only)');
    await createExampleCluster(api, region, options.clusterSize ?? 3, say);
    return { controlPlaneUrl: cp.url, adminToken, caPath: tls.caPath, kubeconfigPath: sandbox.kubeconfigPath, namespace, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The control plane under a private CA, and the one client the demo calls it with. */
async function startDemoControlPlane(workDir: string, logger: Logger, stops: Stops) {
  const tls = await createLoopbackTls(join(workDir, 'tls'), 'qhc-control-plane');
  const adminToken = `qhc_u_${randomBytes(24).toString('base64url')}`;
  const cp: RunningControlPlane = await startControlPlane({
    database: join(workDir, 'control-plane.db'),
    port: 0,
    tls: { cert: tls.cert, key: tls.key },
    adminToken,
    logger: logger.with({ component: 'qhc-control-plane' }),
  });
  stops.push(() => cp.stop());
  const trusted = new Agent({ connect: { ca: tls.ca } });
  stops.push(() => trusted.close());
  const api: Api = async (method, path, body, options = {}) => {
    const res = await fetch(`${cp.url}${path}`, {
      method,
      dispatcher: trusted,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status === 404 && options.allowNotFound) return undefined;
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  return { cp, tls, adminToken, api, trusted };
}

interface RegionInstall {
  api: Api;
  trusted: Agent;
  workDir: string;
  region: string;
  namespace: string;
  ca: string;
  kubeconfigPath: string;
  say: (line: string) => void;
}

/** The region registered once, then its generated installation script run with kubectl. */
async function installRegion({ api, trusted, workDir, region, namespace, ca, kubeconfigPath, say }: RegionInstall): Promise<void> {
  if (!(await api('GET', `/api/v1/regions/${region}`, undefined, { allowNotFound: true })))
    await api('POST', '/api/v1/regions', { name: region, namespace, agentVersion: '0.1.0', operatorVersion: '0.1.0', advanced: { caCertificate: ca } });
  const install = (await api('POST', `/api/v1/regions/${region}/installation`)) as { command: string; scriptUrl: string };
  say(`installing the region with: ${install.command}`);
  const script = join(workDir, 'install.sh');
  writeFileSync(script, await (await fetch(install.scriptUrl, { dispatcher: trusted })).text(), { mode: 0o700 });
  // Asynchronously: the script's preflight calls this process's control plane, which must be free to answer.
  const run = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
    execFile('bash', [script], { env: { ...process.env, KUBECONFIG: kubeconfigPath } }, (error, stdout, stderr) =>
      resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
  if (run.status !== 0) throw new Error(`the installation script failed (is kubectl installed?):\n${run.stdout}${run.stderr}`);
}

interface RegionComponents {
  cp: RunningControlPlane;
  ca: string;
  kubeconfigPath: string;
  workDir: string;
  region: string;
  namespace: string;
  logger: Logger;
}

/** The operator and the agent of the region, in this process; resolves once the agent is connected. */
async function startRegionComponents({ cp, ca, kubeconfigPath, workDir, region, namespace, logger }: RegionComponents, stops: Stops): Promise<void> {
  const settingsPath = join(workDir, 'operator-settings.yaml');
  writeFileSync(settingsPath, 'settings:\n  app_environment: local\n');
  const operator: RunningOperator = await startOperator({
    settingsPath,
    kubeconfigPath,
    namespace,
    leaseNamespace: namespace,
    leaderElection: false,
    port: 0,
    logger: logger.with({ component: 'qhc-operator' }),
  });
  stops.push(() => operator.stop());
  const kube = createKubeClient(loadKubeConfig({ kubeconfigPath }), { fieldManager: 'qhc-agent' });
  const agent: RunningAgent = await startAgent({
    client: kube,
    namespace,
    region,
    controlPlane: { url: cp.url, ca },
    logger: logger.with({ component: 'qhc-agent' }),
    statusIntervalMs: 1_000,
  });
  stops.push(() => agent.stop());
  await waitFor('the agent to connect', async () => (agent.connected() ? true : undefined), { timeoutMs: 30_000 });
}

async function createExampleCluster(api: Api, region: string, size: number, say: (line: string) => void): Promise<void> {
  const clusters = (await api('GET', `/api/v1/regions/${region}/clusters`)) as { items: Array<{ name: string }> };
  if (!clusters.items.some((c) => c.name === 'example')) {
    await api('POST', `/api/v1/regions/${region}/clusters`, {
      name: 'example',
      spec: { version: 'v1.16.2', size, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } },
    });
  }
  say('creating the example cluster ...');
  await waitFor(
    'the example cluster to be Healthy in the control plane',
    async () => {
      const c = (await api('GET', `/api/v1/regions/${region}/clusters/example`)) as { status?: { phase?: string } };
      return c.status?.phase === 'Healthy' ? true : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  );
  say('the example cluster is Healthy');
}
