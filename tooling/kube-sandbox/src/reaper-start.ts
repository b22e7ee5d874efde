import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Starts reaper.ts, detached: it kills the groups listed in `pidFile` if this process dies first. */
export function startReaper(workDir: string, pidFile: string): void {
  const reaper = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'reaper.ts'), String(process.pid), pidFile], {
    cwd: workDir,
    stdio: 'ignore',
    detached: true,
  });
  reaper.unref();
}
