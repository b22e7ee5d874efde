import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Starts reaper.ts, detached: it kills the groups listed in `pidFile` if this process dies first,
 * then, given a real node's folder, that node's containers, shims and mounts.
 */
export function startReaper(workDir: string, pidFile: string, realNodeDir?: string): void {
  const args = [join(dirname(fileURLToPath(import.meta.url)), 'reaper.ts'), String(process.pid), pidFile, ...(realNodeDir ? [realNodeDir] : [])];
  const reaper = spawn(process.execPath, args, { cwd: workDir, stdio: 'ignore', detached: true });
  reaper.unref();
}
