// The control plane as a real child process, from its built dist/main.js: what the fault tests
// kill with SIGKILL (which an in-process server cannot survive to be checked).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { callApi, type ApiAnswer } from './http.ts';
import { FIXTURE_CLUSTER } from './workload.ts';

export const ADMIN = 'qhc_u_fault-admin-token-0123456789';
const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** These tests run the build: refuse a missing or stale one rather than test old code. */
function checkBuild(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run pnpm --filter @qhc/control-plane build`);
  const built = statSync(MAIN).mtimeMs;
  const newer = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && statSync(`${SRC}${f}`).mtimeMs > built);
  if (newer.length > 0) throw new Error(`dist/main.js is older than src/${newer[0]}: run pnpm --filter @qhc/control-plane build`);
}

export interface ChildControlPlane {
  url: string;
  pid: number;
  /** Everything it logged (JSON lines on stderr). */
  log(): string;
  /** Resolves when the process is gone, however it went. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** Sends `signal` to the process (by PID) and waits for it to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** A request as the admin (or with `token`), bounded in time. */
  call(method: string, path: string, body?: unknown, token?: string): Promise<ApiAnswer>;
}

/** Starts `node dist/main.js` on `database` and waits for its "control plane started" line. */
export async function spawnControlPlane(database: string): Promise<ChildControlPlane> {
  checkBuild();
  const child: ChildProcess = spawn(
    process.execPath,
    [MAIN, '--database', database, '--port', '0', '--admin-token', ADMIN, '--public-url', 'https://cp.example.test', '--no-console', '--log-level', 'info'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the control plane did not start within 20 s:\n${log}`)), 20_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const started = /"msg":"control plane started".*?"url":"([^"]+)"/.exec(log);
      if (started) {
        clearTimeout(timer);
        resolve(started[1]!);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the control plane exited (${code ?? signal}) before it started:\n${log}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    log: () => log,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, signal);
      await exited;
    },
    call: (method, path, body, token = ADMIN) =>
      callApi(url, method, path, { body, headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(15_000) }),
  };
}

/** The region `r` and its registered agent's token: what every fault test starts from. */
export async function setUpRegion(cp: ChildControlPlane): Promise<string> {
  const created = await cp.call('POST', '/api/v1/regions', { name: 'r', namespace: 'ns-r', agentVersion: '0.1.0', operatorVersion: '0.1.0' });
  if (created.status !== 201) throw new Error(`creating region r: ${created.status} ${created.text}`);
  const fixture = await cp.call('POST', '/api/v1/regions/r/clusters', {
    name: FIXTURE_CLUSTER,
    spec: { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } },
  });
  if (fixture.status !== 201) throw new Error(`creating cluster ${FIXTURE_CLUSTER}: ${fixture.status} ${fixture.text}`);
  const install = await cp.call('POST', '/api/v1/regions/r/installation');
  const registered = await cp.call('POST', '/agent/v1/register', undefined, install.json.bootstrapToken);
  if (registered.status !== 201) throw new Error(`registering the agent: ${registered.status} ${registered.text}`);
  return registered.json.token as string;
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

/**
 * Repeats `attempt` until it answers 2xx or `deadlineMs` passes; the pause between attempts is
 * only there to not spin, the loop ends on the event (a successful write).
 */
export async function untilSuccess(attempt: () => Promise<ApiAnswer>, deadlineMs = 30_000): Promise<ApiAnswer> {
  const deadline = Date.now() + deadlineMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const answer = await attempt();
      if (answer.status >= 200 && answer.status < 300) return answer;
      last = `${answer.status} ${answer.text}`;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no successful write within ${deadlineMs} ms; last: ${last instanceof Error ? last.message : String(last)}`);
}
