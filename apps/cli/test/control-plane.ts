// The real control plane (apps/control-plane's build, as a child process: apps never import each
// other) on 127.0.0.1 with a fresh SQLite file, for the account and people verbs. The CLI talks to
// it over the Connect protocol (plain http://), as it does to any http:// control plane.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { qhc, type Run } from './support.ts';

const MAIN = fileURLToPath(new URL('../../control-plane/dist/main.js', import.meta.url));
export const OWNER_KEY = 'qhc_m_cli-people-owner-key-0123456789';

export interface ControlPlane {
  url: string;
  accountId: string;
  /** qhc against it with this key (default: the first start's key, which is the account's Owner). */
  run(args: string[], options?: { key?: string; env?: Record<string, string | undefined> }): Promise<Run>;
  /** `qhc-control-plane verify-email`: an instance administrator vouches for a user's email (invites need it). */
  verifyEmail(email: string): void;
  /** The control plane's own log, for a failing test's message. */
  log(): string;
  stop(): Promise<void>;
}

/** Starts `node apps/control-plane/dist/main.js` and waits for its "control plane started" line and its account id. */
export async function startRealControlPlane(): Promise<ControlPlane> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run pnpm --filter @qhc/control-plane build`);
  const database = join(mkdtempSync(join(tmpdir(), 'qhc-cli-cp-')), 'cp.db');
  const args = ['--database', database, '--port', '0', '--management-key', OWNER_KEY, '--public-url', 'https://cp.example.test', '--no-console'];
  const child = spawn(process.execPath, [MAIN, ...args, '--log-level', 'info'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = await new Promise<{ url: string; accountId: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the control plane did not start within 30 s:\n${log}`)), 30_000);
    const check = () => {
      const url = /"msg":"control plane started".*?"url":"([^"]+)"/.exec(log)?.[1];
      const accountId = /account id: ([0-9a-f-]{36})/.exec(out)?.[1];
      if (!url || !accountId) return;
      clearTimeout(timer);
      resolve({ url, accountId });
    };
    child.stderr.on('data', (chunk: Buffer) => ((log += chunk.toString()), check()));
    child.stdout.on('data', (chunk: Buffer) => ((out += chunk.toString()), check()));
    void exited.then(() => (clearTimeout(timer), reject(new Error(`the control plane exited before it started:\n${log}`))));
  });
  const xdg = mkdtempSync(join(tmpdir(), 'qhc-xdg-'));
  return {
    ...started,
    run: (cli, options = {}) =>
      qhc(cli, {
        QHC_URL: started.url,
        QHC_ACCOUNT_ID: started.accountId,
        QHC_MANAGEMENT_KEY: options.key ?? OWNER_KEY,
        QHC_CONTEXT: undefined,
        XDG_CONFIG_HOME: xdg,
        ...options.env,
      }),
    verifyEmail(email) {
      const run = spawnSync(process.execPath, [MAIN, 'verify-email', email, '--database', database], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`verify-email ${email}: ${run.stderr}`);
    },
    log: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
      await exited;
    },
  };
}
