// One real kubelet node beside kwok's: Debian's containerd and the kubelet built with the
// sandbox, as child processes in their own process groups, with private folders under the
// sandbox's work folder. Opt-in: it costs start-up time and memory (see `figures`).
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { locateBinaries, REAL_NODE_FILES } from './binaries.ts';
import type { SandboxClient } from './http.ts';
import { freePorts } from './ports.ts';
import { ProcessGroup } from './process-group.ts';
import type { ManagedProcess } from './process.ts';
import { allowPlainHttpRegistry, realNodeLayout, REAL_NODE_TAINT, writeRealNodeFiles, type RealNodeLayout } from './real-node-config.ts';
import { removeRuntimeLeftovers, shimPids } from './real-node-cleanup.ts';
import { startReaper } from './reaper-start.ts';
import { waitFor } from './wait.ts';

const exec = promisify(execFile);

export interface RealNodeFigures {
  /** From starting containerd to the Node object Ready. */
  startupMs: number;
  /** Resident memory of the node's processes when it became Ready, in MiB. */
  kubeletRssMiB: number;
  containerdRssMiB: number;
}

export interface RealNode {
  name: string;
  /** The taint on the node; the test-only policy adds the matching toleration. */
  taint: string;
  /** containerd's per-registry host files (read at every pull). */
  registryHostsDir: string;
  /** The containers' logs, as the kubelet writes them. */
  podLogsDir: string;
  figures: RealNodeFigures;
  /** Resident memory now (MiB) of the kubelet, containerd and the pods' shims and processes. */
  memory(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** What of a running sandbox the node needs. */
export interface RealNodeSandbox {
  workDir: string;
  kubeconfigPath: string;
  client: SandboxClient;
}

export interface RealNodeOptions {
  name?: string;
  /** Progress lines (JSON). */
  log?: (line: string) => void;
}

/** Starts containerd, imports the pause image, starts the kubelet and waits for the Node to be Ready. */
export async function startRealNode(sandbox: RealNodeSandbox, options: RealNodeOptions = {}): Promise<RealNode> {
  const name = options.name ?? 'real-node-0';
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const binaries = locateBinaries(REAL_NODE_FILES);
  const layout = realNodeLayout(join(sandbox.workDir, name));
  const [port, healthz] = (await freePorts(2)) as [number, number];
  writeRealNodeFiles(layout, { port, healthz });
  const logsDir = join(layout.dir, 'logs');
  mkdirSync(logsDir, { recursive: true });
  const group = new ProcessGroup(layout.dir, logsDir);
  startReaper(layout.dir, group.pidFile, layout.dir);
  const stop = async () => {
    await stopNode(group, layout, sandbox.client, name);
  };
  try {
    const containerd = await group.add('containerd', 'containerd', ['--config', layout.containerdConfig]);
    await waitFor('containerd to answer', async () => (await ctr(layout, ['version']), true), { timeoutMs: 30_000, onTimeout: tailOf(containerd) });
    await ctr(layout, ['-n', 'k8s.io', 'images', 'import', '--all-platforms', binaries.path('pause.tar')]);
    const kubelet = await group.add('kubelet', binaries.path('kubelet'), [
      `--config=${layout.kubeletConfig}`,
      `--kubeconfig=${sandbox.kubeconfigPath}`,
      `--root-dir=${layout.kubeletRoot}`,
      `--cert-dir=${layout.certsDir}`,
      `--hostname-override=${name}`,
      '--node-ip=127.0.0.1',
    ]);
    await waitForReady(sandbox.client, name, kubelet);
    const ready = Date.now() - started;
    const figures = { startupMs: ready, kubeletRssMiB: rssMiB(kubelet.pid), containerdRssMiB: rssMiB(containerd.pid) };
    log(JSON.stringify({ msg: 'real node ready', node: name, ...figures }));
    return {
      name,
      taint: REAL_NODE_TAINT,
      registryHostsDir: layout.registryHostsDir,
      podLogsDir: layout.podLogsDir,
      figures,
      memory: async () => ({ kubelet: rssMiB(kubelet.pid), containerd: rssMiB(containerd.pid), ...podMemory(layout) }),
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`the real node did not start: ${message}\n(logs in ${logsDir})`, { cause: error });
  }
}

export { allowPlainHttpRegistry };

function ctr(layout: RealNodeLayout, args: string[]) {
  return exec('ctr', ['--address', layout.socket, ...args], { maxBuffer: 16 * 1024 * 1024 });
}

function tailOf(proc: ManagedProcess): () => string {
  return () => `${proc.spec.name} log (${proc.spec.logFile}):\n${proc.tail()}`;
}

async function waitForReady(client: SandboxClient, name: string, kubelet: ManagedProcess): Promise<void> {
  await waitFor(
    `node ${name} to be Ready`,
    async () => {
      if (kubelet.hasExited) throw new Error('the kubelet exited');
      const node = await client.call<{ status?: { conditions?: Array<{ type: string; status: string }> } }>('GET', `/api/v1/nodes/${name}`, {
        allowNotFound: true,
      });
      return node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? true : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 250, onTimeout: tailOf(kubelet) },
  );
}

/** VmRSS of a process, in MiB (0 when it is gone). */
export function rssMiB(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const kib = Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return Math.round((kib / 1024) * 10) / 10;
  } catch {
    return 0;
  }
}

/** The shims of this node's containerd (found by its socket in their command line), summed. */
function podMemory(layout: RealNodeLayout): Record<string, number> {
  const pids = shimPids(layout.socket);
  return { shims: Math.round(pids.reduce((sum, pid) => sum + rssMiB(pid), 0) * 10) / 10, shimCount: pids.length };
}

/**
 * Deletes the Node, stops the kubelet, removes the pods' containers through containerd (their
 * shims are not in containerd's process group), stops containerd, then unmounts what the
 * kubelet and containerd mounted under the node's folder.
 */
async function stopNode(group: ProcessGroup, layout: RealNodeLayout, client: SandboxClient, name: string): Promise<void> {
  const [containerd, kubelet] = [group.processes.find((p) => p.spec.name === 'containerd'), group.processes.find((p) => p.spec.name === 'kubelet')];
  await kubelet?.stop();
  if (containerd && !containerd.hasExited) await removeRuntimeLeftovers(layout, (args) => ctr(layout, args));
  await group.stopAll();
  await removeRuntimeLeftovers(layout, undefined);
  await client.call('DELETE', `/api/v1/nodes/${name}`, { allowNotFound: true }).catch(() => undefined);
}
