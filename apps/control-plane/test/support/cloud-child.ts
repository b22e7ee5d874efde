// The control plane as a child process (dist/main.js) for the fault tests driven through the Cloud
// API: started with a management key, its account id read from what it prints, Connect clients
// (JSON over HTTP/1.1, the child serves plain HTTP) and the agent's calls (its own protocol).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { backupV1, clusterV1, hybridV1, qhcV1 } from '@qhc/cloud-api';
import { DEFAULT_PACKAGES } from '@qhc/schemas';
import { callApi, type ApiAnswer } from './http.ts';
import { TEST_SECRETS_KEY } from './cloud.ts';

export const CHILD_KEY = 'qhc_m_fault-management-key-0123456789';
export const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const CALL_TIMEOUT_MS = 15_000;
/** The package every cluster of the fault tests runs on. */
export const PACKAGE = DEFAULT_PACKAGES[1]!.id;

/** These tests run the build: refuse a missing or stale one rather than test old code. */
export function checkBuild(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run pnpm --filter @qhc/control-plane build`);
  const built = statSync(MAIN).mtimeMs;
  const newer = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && statSync(`${SRC}${f}`).mtimeMs > built);
  if (newer.length > 0) throw new Error(`dist/main.js is older than src/${newer[0]}: run pnpm --filter @qhc/control-plane build`);
}

export interface CloudClients {
  hybrid: Client<typeof hybridV1.HybridCloudService>;
  clusters: Client<typeof clusterV1.ClusterService>;
  backups: Client<typeof backupV1.BackupService>;
  events: Client<typeof qhcV1.ClusterEventService>;
}

export interface CloudChild {
  url: string;
  accountId: string;
  clients: CloudClients;
  /** Call options: the management key and a bound in time. */
  options: { headers: { authorization: string }; timeoutMs: number };
  log(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** Sends `signal` to the process (by PID) and waits for it to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** An agent protocol call with the agent's (or bootstrap) token, bounded in time. */
  agent(method: string, path: string, token: string, body?: unknown): Promise<ApiAnswer>;
}

function clientsOf(url: string): CloudClients {
  const transport = createConnectTransport({ baseUrl: url, httpVersion: '1.1' });
  return {
    hybrid: createClient(hybridV1.HybridCloudService, transport),
    clusters: createClient(clusterV1.ClusterService, transport),
    backups: createClient(backupV1.BackupService, transport),
    events: createClient(qhcV1.ClusterEventService, transport),
  };
}

/** Starts `node dist/main.js` on `database` and waits for its "control plane started" line and its account id. */
export async function spawnCloudControlPlane(database: string): Promise<CloudChild> {
  checkBuild();
  const args = ['--database', database, '--port', '0', '--management-key', CHILD_KEY, '--public-url', 'https://cp.example.test', '--no-console'];
  const child = spawn(process.execPath, [MAIN, ...args, '--log-level', 'info'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, QHC_SECRETS_KEY: TEST_SECRETS_KEY },
  });
  let log = '';
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const started = await new Promise<{ url: string; accountId: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the control plane did not start within 20 s:\n${log}`)), 20_000);
    const check = () => {
      const url = /"msg":"control plane started".*?"url":"([^"]+)"/.exec(log)?.[1];
      const accountId = /account id: ([0-9a-f-]{36})/.exec(out)?.[1];
      if (!url || !accountId) return;
      clearTimeout(timer);
      resolve({ url, accountId });
    };
    child.stderr.on('data', (chunk: Buffer) => ((log += chunk.toString()), check()));
    child.stdout.on('data', (chunk: Buffer) => ((out += chunk.toString()), check()));
    void exited.then(({ code, signal }) => (clearTimeout(timer), reject(new Error(`the control plane exited (${code ?? signal}) before it started:\n${log}`))));
  });
  return {
    ...started,
    clients: clientsOf(started.url),
    options: { headers: { authorization: `apikey ${CHILD_KEY}` }, timeoutMs: CALL_TIMEOUT_MS },
    log: () => log,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, signal);
      await exited;
    },
    agent: (method, path, token, body) =>
      callApi(started.url, method, path, { body, headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) }),
  };
}

export interface CloudFixture {
  environmentId: string;
  /** The cluster no writer touches: backups and status reports name it. */
  fixtureClusterId: string;
  /** The registered agent's credential. */
  agentToken: string;
}

/** Environment `r`, a fixture cluster and a registered agent, through the Cloud API: what every fault test starts from. */
export async function setUpEnvironment(cp: CloudChild): Promise<CloudFixture> {
  const { hybrid, clusters } = cp.clients;
  const accountId = cp.accountId;
  const env = await hybrid.createHybridCloudEnvironment({ hybridCloudEnvironment: { accountId, name: 'r', configuration: { namespace: 'ns-r' } } }, cp.options);
  const environmentId = env.hybridCloudEnvironment!.id;
  const configuration = { numberOfNodes: 1, version: 'v1.16.3', packageId: PACKAGE };
  const fixture = await clusters.createCluster(
    { cluster: { accountId, name: 'fixture', cloudProviderId: 'hybrid', cloudProviderRegionId: environmentId, configuration } },
    cp.options,
  );
  const bootstrap = await hybrid.generateBootstrapCommands({ accountId, hybridCloudEnvironmentId: environmentId }, cp.options);
  const registered = await cp.agent('POST', '/agent/v1/register', bootstrap.accessKey);
  if (registered.status !== 201) throw new Error(`registering the agent: ${registered.status} ${registered.text}`);
  return { environmentId, fixtureClusterId: fixture.cluster!.id, agentToken: registered.json.token as string };
}

/**
 * Repeats `attempt` until it succeeds or `deadlineMs` passes; the pause between attempts is only
 * there to not spin, the loop ends on the event (a successful call).
 */
export async function untilOk<T>(attempt: () => Promise<T>, deadlineMs = 30_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await attempt();
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no successful call within ${deadlineMs} ms; last: ${last instanceof Error ? last.message : String(last)}`);
}

export interface FaultResult {
  fault: string;
  checked: string;
  recoverMs: number;
  dataLost: number;
}

/** The figure of one fault: test/results/faults-<name>.json (gitignored) and a markdown row in the log. */
export function recordResult(name: string, result: FaultResult): void {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}faults-${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`| ${result.fault} | ${result.checked} | ${result.recoverMs} | ${result.dataLost} |`);
}
