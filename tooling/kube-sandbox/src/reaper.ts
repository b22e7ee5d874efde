// Runs beside a sandbox, detached from it. When the process that started the sandbox dies
// without stopping it (a crashed or SIGKILLed test run), the reaper kills every process
// group listed in the pid file, so no apiserver outlives its test run. It exits on its
// own once the pid file is gone (a clean stop). Given a real node's folder, it then removes
// what that node's containerd leaves running outside its group: containers, shims, mounts.
import { existsSync, readFileSync } from 'node:fs';
import { removeRuntimeLeftovers } from './real-node-cleanup.ts';
import { realNodeLayout } from './real-node-config.ts';

const [parentArg, pidFile, realNodeDir] = process.argv.slice(2);
const parent = Number(parentArg);
if (!Number.isInteger(parent) || !pidFile) {
  console.error('usage: reaper.ts <parent-pid> <pid-file> [real-node-dir]');
  process.exit(2);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const timer = setInterval(() => {
  if (!existsSync(pidFile)) {
    clearInterval(timer);
    return;
  }
  if (alive(parent)) return;
  for (const line of readFileSync(pidFile, 'utf8').split('\n')) {
    const pid = Number(line.trim());
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  clearInterval(timer);
  if (realNodeDir) void removeRuntimeLeftovers(realNodeLayout(realNodeDir), undefined);
}, 500);
