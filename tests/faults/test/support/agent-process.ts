// The agent as its own process from its built dist/main.js, so a SIGKILL is a real one.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@qhc/kube-sandbox';

const MAIN = fileURLToPath(new URL('../../../../apps/agent/dist/main.js', import.meta.url));

export interface AgentProcess {
  child: ChildProcess;
  lines: string[];
  count(pattern: RegExp): number;
  waitForLog(what: string, pattern: RegExp, options?: { timeoutMs?: number; after?: number }): Promise<string>;
  /** SIGKILL; resolves when the process is gone. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export function startAgentProcess(args: string[]): AgentProcess {
  // No proxy settings of the machine running the tests: the agent dials the control plane directly.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(https?|no|all)_proxy$/i.test(k)));
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
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
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const signal = async (name: NodeJS.Signals) => {
    if (gone()) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(name);
    await exited;
  };
  return {
    child,
    lines,
    count: (pattern) => lines.filter((l) => pattern.test(l)).length,
    waitForLog: (what, pattern, options = {}) =>
      waitFor(what, async () => lines.slice(options.after ?? 0).find((l) => pattern.test(l)), {
        timeoutMs: options.timeoutMs ?? 30_000,
        intervalMs: 50,
        onTimeout: () => `agent log:\n${lines.slice(-20).join('\n')}`,
      }),
    kill: () => signal('SIGKILL'),
    async stop() {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await signal('SIGTERM');
      clearTimeout(timer);
    },
  };
}
