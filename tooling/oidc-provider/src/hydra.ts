import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HydraOptions {
  binary: string;
  publicPort: number;
  adminPort: number;
  loginAppUrl: string;
  workDir: string;
}

export interface HydraProcess {
  pid: number;
  issuer: string;
  adminUrl: string;
  logFile: string;
  hasExited(): boolean;
  logTail(): string;
  stop(): Promise<void>;
}

/** Every Hydra this process started and has not stopped: SIGKILLed by PID when Node exits. */
const running = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of running) killQuietly(pid, 'SIGKILL');
  });
}

/** Hydra's configuration as environment variables: public and admin API on 127.0.0.1, in-memory SQLite. */
function hydraEnv(options: HydraOptions, issuer: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: options.workDir,
    DSN: 'memory',
    URLS_SELF_ISSUER: issuer,
    URLS_LOGIN: `${options.loginAppUrl}/login`,
    URLS_CONSENT: `${options.loginAppUrl}/consent`,
    SECRETS_SYSTEM: randomBytes(32).toString('hex'),
    SERVE_PUBLIC_HOST: '127.0.0.1',
    SERVE_PUBLIC_PORT: String(options.publicPort),
    SERVE_ADMIN_HOST: '127.0.0.1',
    SERVE_ADMIN_PORT: String(options.adminPort),
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
  };
}

/**
 * Starts `hydra serve all --dev` (--dev: the issuer may be plain http on 127.0.0.1) and resolves
 * once its admin API answers /health/ready; fails early, with Hydra's log, if it exits first.
 */
export async function startHydra(options: HydraOptions): Promise<HydraProcess> {
  const issuer = `http://127.0.0.1:${options.publicPort}/`;
  const adminUrl = `http://127.0.0.1:${options.adminPort}`;
  const logFile = join(options.workDir, 'hydra.log');
  const log = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(options.binary, ['serve', 'all', '--dev', '--sqa-opt-out'], {
      cwd: options.workDir,
      env: hydraEnv(options, issuer),
      stdio: ['ignore', log, log],
    });
  } finally {
    closeSync(log);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${options.binary}`);
  installExitHook();
  running.add(pid);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      running.delete(pid);
      resolve();
    });
  });
  child.unref();
  const logTail = () => readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
  const hydra: HydraProcess = { pid, issuer, adminUrl, logFile, hasExited: () => exited, logTail, stop: () => stopPid(pid, exit) };
  try {
    await waitReady(hydra);
  } catch (error) {
    await hydra.stop();
    throw error;
  }
  return hydra;
}

async function waitReady(hydra: HydraProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!hydra.hasExited()) {
    const ready = await fetch(`${hydra.adminUrl}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`hydra was not ready within ${timeoutMs} ms:\n${hydra.logTail()}`);
    // Polling a readiness endpoint: the next check is the event, the pause only spaces them.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`hydra exited during start-up:\n${hydra.logTail()}`);
}

async function stopPid(pid: number, exit: Promise<void>): Promise<void> {
  if (!running.has(pid)) return;
  killQuietly(pid, 'SIGTERM');
  const timer = setTimeout(() => killQuietly(pid, 'SIGKILL'), 5_000);
  await exit;
  clearTimeout(timer);
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
