import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../node_modules/.bin/', import.meta.url));

/** What `pnpm release` publishes: every workspace package that is not private, in dependency order. */
export const PUBLISHED = [
  'packages/schemas',
  'packages/console',
  'packages/kube',
  'packages/manifests',
  'packages/qdrant',
  'apps/cluster-manager',
  'apps/operator',
  'apps/control-plane',
  'apps/agent',
  'apps/cli',
];

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A command, asynchronously (servers in this process keep answering), with its output. */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
