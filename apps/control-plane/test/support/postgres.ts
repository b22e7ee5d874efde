// A throwaway PostgreSQL for the test run, from the machine's Debian packages: initdb in a
// temporary directory, the server on 127.0.0.1 and a free port, stopped by its PID. As root
// (the CI machines), it runs as the `postgres` user, since PostgreSQL refuses root.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePorts } from '@qhc/kube-sandbox';
import { killTree } from './proc.ts';

export interface TestPostgres {
  url: string;
  /** The postmaster's process (group) id: what a fault test stops. */
  readonly pid: number;
  /** Fast shutdown (SIGINT: clients are cut off, the data stays) and waits for the exit. */
  shutdown(): Promise<void>;
  /**
   * SIGKILL to the postmaster and every backend at once, as an OOM kill or a lost node does: no
   * query is answered once it resolves (in a fast shutdown a backend may still answer one for a
   * moment). `start` then recovers from the WAL. This server acknowledges commits before their
   * WAL is written (synchronous_commit=off), which a crash would lose where a production server
   * (synchronous_commit=on) keeps them: a CHECKPOINT first keeps every commit made before the
   * call. Crash while nothing writes.
   */
  crash(): Promise<void>;
  /** Starts the server again on the same port and data directory; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
}

function binDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, 'bin', 'postgres')))
        .toSorted((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0)
    throw new Error(
      'PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/postgres); run scripts/setup.sh, which installs the Debian package "postgresql"',
    );
  return join(base, versions[0]!, 'bin');
}

/** The servers started and not yet stopped: killed when this process exits without stopping them. */
const running = new Map<string, () => ChildProcess>();
let exitHookInstalled = false;

function killOnExit(dir: string, current: () => ChildProcess): void {
  running.set(dir, current);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers are synchronous: SIGKILL each group (a throwaway server loses nothing it
  // needs) and remove its data. A bench turns Ctrl-C into an exit so this runs then too.
  process.on('exit', () => {
    for (const [data, child] of running) {
      const pid = child().pid;
      try {
        if (pid) process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone (shut down and not started again)
      }
      try {
        rmSync(data, { recursive: true, force: true });
      } catch {
        // the process is exiting: a leftover temporary directory is all that is lost
      }
    }
  });
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'qhc-pg-'));
  const asRoot = process.getuid?.() === 0;
  const wrap = (command: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]);
  if (asRoot) {
    const { uid, gid } = ids('postgres');
    chownSync(dir, uid, gid);
  }
  const [initCmd, initArgs] = wrap(join(bin, 'initdb'), ['-D', join(dir, 'data'), '-U', 'qhc', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = (await freePorts(1))[0]!;
  const url = `postgres://qhc@127.0.0.1:${port}/postgres`;
  // fsync=off: a throwaway server. Safe for the fault tests too: they kill the control plane,
  // shut PostgreSQL down cleanly, or crash it after a CHECKPOINT, and none loses what the OS holds.
  const [cmd, args] = wrap(join(bin, 'postgres'), [
    '-D',
    join(dir, 'data'),
    '-k',
    dir,
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-c',
    'fsync=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'max_connections=200',
  ]);
  let child: ChildProcess = await launch(cmd, args, url);
  killOnExit(dir, () => child);
  const livePid = () => (child.exitCode === null && child.signalCode === null ? child.pid : undefined);
  const crash = async () => {
    if (livePid() !== undefined) await crashServer(child, join(dir, 'data'), url);
  };
  const shutdown = async () => {
    const pid = livePid();
    if (pid === undefined) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Fast shutdown; the whole group, since runuser sits in between.
    process.kill(-pid, 'SIGINT');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (livePid() !== undefined) {
      process.kill(-pid, 'SIGKILL');
      await exited;
    }
  };
  return {
    url,
    get pid() {
      return child.pid!;
    },
    shutdown,
    crash,
    async start() {
      child = await launch(cmd, args, url);
    },
    async stop() {
      await shutdown();
      running.delete(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** TestPostgres.crash: a CHECKPOINT, then the server's every process killed. */
async function crashServer(child: ChildProcess, dataDir: string, url: string): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const flush = new pg.Client({ connectionString: url });
  await flush.connect();
  try {
    await flush.query('CHECKPOINT');
  } finally {
    await flush.end();
  }
  // The postmaster's pid is the lock file's first line (as root, the child is runuser).
  await killTree(Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]));
  // The postmaster's parent (this process, or runuser as root) reaps it: a zombie would still
  // hold the lock file's pid, and the next start would refuse to run.
  await exited;
}

/** Starts the postmaster in its own process group and waits until it accepts connections. */
async function launch(cmd: string, args: string[], url: string): Promise<ChildProcess> {
  const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return child;
    } catch {
      await client.end().catch(() => undefined);
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`PostgreSQL did not start:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function ids(user: string): { uid: number; gid: number } {
  const out = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`no "${user}" user to run PostgreSQL as (install the postgresql Debian package)`);
  return { uid: Number(out.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** A fresh, empty database on the server, for one test file. */
export async function createTestDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return serverUrl.replace(/\/[^/]*$/, `/${name}`);
}
