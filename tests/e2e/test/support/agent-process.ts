// The agent as its own process, as in its pod: its log lines, its listening sockets, its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@qhc/kube-sandbox';

const MAIN = fileURLToPath(new URL('../../../../apps/agent/src/main.ts', import.meta.url));

export interface AgentProcess {
  child: ChildProcess;
  lines: string[];
  waitForLog(what: string, pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** host:port of every TCP socket the process listens on. */
  listening(): string[];
  stop(): Promise<void>;
}

export function startAgentProcess(args: string[], env: Record<string, string | undefined> = {}): AgentProcess {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const lines: string[] = [];
  let buffer = '';
  const collect = (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  return {
    child,
    lines,
    waitForLog: (what, pattern, timeoutMs = 30_000) =>
      waitFor(what, async () => lines.find((l) => pattern.test(l)), {
        timeoutMs,
        intervalMs: 100,
        onTimeout: () => `agent log:\n${lines.slice(-20).join('\n')}`,
      }),
    listening: () => listeningSockets(child.pid!),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** From /proc: the process's socket inodes, matched with the kernel's table of listening TCP sockets. */
function listeningSockets(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const found: string[] = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A' || !inodes.has(cols[9]!)) continue;
      found.push(decodeAddress(cols[1]!));
    }
  }
  return found;
}

function decodeAddress(hex: string): string {
  const [addr, port] = hex.split(':') as [string, string];
  const host = addr.length === 8 ? [3, 2, 1, 0].map((i) => Number.parseInt(addr.slice(i * 2, i * 2 + 2), 16)).join('.') : `[${addr}]`;
  return `${host}:${Number.parseInt(port, 16)}`;
}
