import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ManagedProcess } from './process.ts';

/**
 * The sandbox's processes in start order, mirrored to a pid file the reaper reads: stopping
 * goes in reverse, because an apiserver whose etcd is gone hangs on shutdown.
 */
export class ProcessGroup {
  readonly processes: ManagedProcess[] = [];
  readonly pidFile: string;
  private readonly workDir: string;
  private readonly logsDir: string;

  constructor(workDir: string, logsDir: string) {
    this.workDir = workDir;
    this.logsDir = logsDir;
    this.pidFile = join(workDir, 'pids');
  }

  async add(name: string, command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<ManagedProcess> {
    const proc = new ManagedProcess({ name, command, args, env, logFile: join(this.logsDir, `${name}.log`), cwd: this.workDir });
    proc.start();
    this.processes.push(proc);
    await this.writePids();
    return proc;
  }

  /** Stops `proc` and starts the same command again at `position` in the start order. */
  async restart(proc: ManagedProcess, position: number): Promise<ManagedProcess> {
    await proc.stop();
    this.processes.splice(this.processes.indexOf(proc), 1);
    const fresh = new ManagedProcess(proc.spec);
    fresh.start();
    this.processes.splice(position, 0, fresh);
    await this.writePids();
    return fresh;
  }

  named(name: string): ManagedProcess {
    const proc = this.processes.find((p) => p.spec.name === name);
    if (!proc) throw new Error(`no sandbox process named ${name}`);
    return proc;
  }

  pids(): Record<string, number | undefined> {
    return Object.fromEntries(this.processes.filter((p) => !p.hasExited).map((p) => [p.spec.name, p.pid]));
  }

  async stopAll(): Promise<void> {
    for (const proc of this.processes.toReversed()) await proc.stop();
    await rm(this.pidFile, { force: true });
  }

  private writePids(): Promise<void> {
    return writeFile(this.pidFile, this.processes.map((p) => p.pid).join('\n'));
  }
}
