import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Every process group the harness started and has not stopped, killed on exit. */
const running = new Set<ManagedProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: SIGKILL the groups, no waiting. A signal or a
  // crash that skips 'exit' is the reaper's job (reaper.ts), so no signal handlers here:
  // they would replace the default exit of whoever embeds the sandbox.
  process.on('exit', () => {
    for (const proc of running) proc.killNow();
  });
}

/**
 * One sandbox component: started in its own process group (so its children die with it),
 * output to a log file, stopped with SIGTERM and then SIGKILL after a grace period.
 */
export class ManagedProcess {
  readonly spec: ProcessSpec;
  private child: ChildProcess | undefined;
  private exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  private exited = false;

  constructor(spec: ProcessSpec) {
    this.spec = spec;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get hasExited(): boolean {
    return this.exited;
  }

  start(): void {
    installExitHook();
    const log = openSync(this.spec.logFile, 'a');
    try {
      this.exited = false;
      const child = spawn(this.spec.command, this.spec.args, {
        cwd: this.spec.cwd,
        env: this.spec.env ?? process.env,
        stdio: ['ignore', log, log],
        detached: true,
      });
      this.child = child;
      this.exit = new Promise((resolve) => {
        child.once('exit', (code, signal) => {
          this.exited = true;
          running.delete(this);
          resolve({ code, signal });
        });
        child.once('error', () => {
          this.exited = true;
          running.delete(this);
          resolve({ code: -1, signal: null });
        });
      });
      // The sandbox must not keep a test run's event loop alive by itself.
      child.unref();
      running.add(this);
    } finally {
      closeSync(log);
    }
  }

  /** Resolves when the process has exited; SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.child || this.exited || !this.exit) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    try {
      await this.exit;
    } finally {
      clearTimeout(timer);
    }
  }

  killNow(): void {
    this.signal('SIGKILL');
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined || this.exited) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  }

  /** The last lines of the log, for error messages. */
  tail(lines = 30): string {
    try {
      return readFileSync(this.spec.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
