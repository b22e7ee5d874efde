// What a real node leaves behind when its processes stop: containers and their shims (the
// shims run outside containerd's process group), and the mounts the kubelet and containerd
// made under the node's folder (volumes, the pods' /dev/shm, snapshots).
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
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

/** runc's state folder of containerd's CRI namespace (the shim's default, shared by every containerd on the machine). */
const RUNC_ROOT = '/run/containerd/runc/k8s.io';

/**
 * Kills the containers whose bundle is under `dir` (this node's containerd state), by their
 * init PID, and drops their runc state. Killing a shim leaves its container running (the
 * container's init is reparented), so without containerd this is the only way to stop them.
 */
async function killContainersUnder(dir: string): Promise<void> {
  const listed = await exec('runc', ['--root', RUNC_ROOT, 'list', '--format', 'json']).catch(() => ({ stdout: '' }));
  const containers = (JSON.parse(listed.stdout.trim() || 'null') ?? []) as Array<{ id: string; pid: number; bundle: string }>;
  for (const c of containers.filter((entry) => entry.bundle.startsWith(`${dir}/`))) {
    try {
      if (c.pid > 0) process.kill(c.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    await exec('runc', ['--root', RUNC_ROOT, 'delete', '--force', c.id]).catch(() => undefined);
  }
}

/** The kubelet's fixed folder of links to the containers' logs (not moved by --root-dir). */
const CONTAINER_LOG_LINKS = '/var/log/containers';

/** The links the kubelet made into `dir` (it removes them only with containers it removes itself). */
function removeLogLinksInto(dir: string): void {
  let names: string[] = [];
  try {
    names = readdirSync(CONTAINER_LOG_LINKS);
  } catch {
    return;
  }
  for (const name of names) {
    const link = `${CONTAINER_LOG_LINKS}/${name}`;
    try {
      if (readlinkSync(link).startsWith(`${dir}/`)) rmSync(link, { force: true });
    } catch {
      // Not a link, or gone meanwhile.
    }
  }
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
 * deleted, then its containers. Always: this node's leftover containers (runc's state) and shims
 * killed by PID, the kubelet's log links into the node's folder removed, and every mount under
 * that folder unmounted.
 */
export async function removeRuntimeLeftovers(layout: RealNodeLayout, ctr: Ctr | undefined): Promise<void> {
  if (ctr) {
    const tasks = (await ctr(['-n', 'k8s.io', 'tasks', 'ls', '-q']).catch(() => ({ stdout: '' }))).stdout.split('\n').filter(Boolean);
    for (const id of tasks) await ctr(['-n', 'k8s.io', 'tasks', 'kill', '-s', 'SIGKILL', id]).catch(() => undefined);
    for (const id of tasks) await ctr(['-n', 'k8s.io', 'tasks', 'delete', '-f', id]).catch(() => undefined);
    const containers = (await ctr(['-n', 'k8s.io', 'containers', 'ls', '-q']).catch(() => ({ stdout: '' }))).stdout.split('\n').filter(Boolean);
    if (containers.length > 0) await ctr(['-n', 'k8s.io', 'containers', 'delete', ...containers]).catch(() => undefined);
  }
  await killContainersUnder(layout.dir);
  for (const pid of shimPids(layout.socket)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  removeLogLinksInto(layout.dir);
  for (const point of mountsUnder(layout.dir)) {
    await exec('umount', [point]).catch(() => exec('umount', ['-l', point]).catch(() => undefined));
  }
}
