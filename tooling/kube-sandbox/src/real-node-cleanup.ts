// What a real node leaves behind when its processes stop: containers and their shims (the
// shims run outside containerd's process group), and the mounts the kubelet and containerd
// made under the node's folder (volumes, the pods' /dev/shm, snapshots).
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { RealNodeLayout } from './real-node-config.ts';

const exec = promisify(execFile);
type Ctr = (args: string[]) => Promise<{ stdout: string }>;

/** PIDs of the containerd shims serving this node's socket (their command line names it). */
export function shimPids(socket: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv[0]?.endsWith('containerd-shim-runc-v2') && argv.includes(socket)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** Mount points at or under `dir`, deepest first. */
function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4]?.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))))
    .filter((point): point is string => point !== undefined && (point === dir || point.startsWith(`${dir}/`)))
    .toSorted((a, b) => b.length - a.length);
}

/**
 * With containerd still running (`ctr` given): every task of the kubelet's namespace killed and
 * deleted, then its containers. Always: this node's leftover shims killed by PID, and every
 * mount under the node's folder unmounted.
 */
export async function removeRuntimeLeftovers(layout: RealNodeLayout, ctr: Ctr | undefined): Promise<void> {
  if (ctr) {
    const tasks = (await ctr(['-n', 'k8s.io', 'tasks', 'ls', '-q']).catch(() => ({ stdout: '' }))).stdout.split('\n').filter(Boolean);
    for (const id of tasks) await ctr(['-n', 'k8s.io', 'tasks', 'kill', '-s', 'SIGKILL', id]).catch(() => undefined);
    for (const id of tasks) await ctr(['-n', 'k8s.io', 'tasks', 'delete', '-f', id]).catch(() => undefined);
    const containers = (await ctr(['-n', 'k8s.io', 'containers', 'ls', '-q']).catch(() => ({ stdout: '' }))).stdout.split('\n').filter(Boolean);
    if (containers.length > 0) await ctr(['-n', 'k8s.io', 'containers', 'delete', ...containers]).catch(() => undefined);
  }
  for (const pid of shimPids(layout.socket)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  for (const point of mountsUnder(layout.dir)) {
    await exec('umount', [point]).catch(() => exec('umount', ['-l', point]).catch(() => undefined));
  }
}
