// bench/agents.ts's moving parts: control-plane replicas in their own processes, and K simulated
// agents in this one, each long-polling its region through the agent protocol (GET
// /agent/v1/desired-state, the answer parsed with the shared contract, @qhc/schemas).
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DesiredState } from '@qhc/schemas';

export interface ReplicaStats {
  queries: number;
  parked: number;
  rendered: number;
  /** Requests refused at once: the pool's line was full (--database-pool-queue). */
  busy: number;
}

export interface Replica {
  url: string;
  accountId: string;
  pid: number;
  stats(): Promise<ReplicaStats>;
  stop(): Promise<void>;
}

export async function startReplica(options: { database: string; managementKey: string; secretsKey?: string }): Promise<Replica> {
  const child = fork(fileURLToPath(new URL('./replica.ts', import.meta.url)), [JSON.stringify(options)], {
    // BENCH_REPLICA_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/x": profile each replica.
    execArgv: [...process.execArgv, ...(process.env.BENCH_REPLICA_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url, accountId } = await new Promise<{ url: string; accountId: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string; accountId: string }));
    child.once('exit', (code) => reject(new Error(`the replica exited (${code}) before it listened`)));
  });
  // One question at a time: answers come back in order.
  let queue = Promise.resolve() as Promise<unknown>;
  const ask = <T>(message: string, answer: boolean) =>
    (queue = queue.then(
      () =>
        new Promise<T>((resolve) => {
          if (answer) child.once('message', (m) => resolve(m as T));
          else child.once('exit', () => resolve(undefined as T));
          child.send(message);
        }),
    )) as Promise<T>;
  return { url, accountId, pid: child.pid!, stats: () => ask<ReplicaStats>('stats', true), stop: () => ask<void>('stop', false) };
}

/** A process's resident memory (MiB) and open file descriptors, from /proc. */
export function processFigures(pid: number): { rssMiB: number; fds: number } {
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return { rssMiB: Math.round(rssKb / 1024), fds: readdirSync(`/proc/${pid}/fd`).length };
}

/** One simulated agent: its region's long-poll, the revision it holds, and a hook for each answer. */
export class SimulatedAgent {
  after = -1;
  answers = 0;
  errors = 0;
  private readonly waiters: Array<{ revision: number; resolve: (at: number) => void }> = [];
  readonly url: string;
  readonly token: string;
  constructor(url: string, token: string) {
    this.url = url;
    this.token = token;
  }

  /** Resolves with the time (performance.now) of the first answer past `revision`. */
  answerAfter(revision: number): Promise<number> {
    return new Promise((resolve) => this.waiters.push({ revision, resolve }));
  }

  async run(signal: AbortSignal, waitSeconds = 25): Promise<void> {
    while (!signal.aborted) {
      try {
        const res = await fetch(`${this.url}/agent/v1/desired-state?after=${this.after}&waitSeconds=${waitSeconds}`, {
          headers: { authorization: `Bearer ${this.token}` },
          signal,
        });
        const body = await res.text();
        const at = performance.now();
        if (res.status === 204) continue;
        if (res.status !== 200) throw new Error(`desired state: ${res.status} ${body.slice(0, 200)}`);
        const state = DesiredState.parse(JSON.parse(body));
        this.after = state.revision;
        this.answers++;
        for (const w of this.waiters.splice(0)) {
          if (state.revision > w.revision) w.resolve(at);
          else this.waiters.push(w);
        }
      } catch (error) {
        if (signal.aborted) return;
        this.errors++;
        // fetch's own message ("fetch failed") hides why: the cause (a reset, a refused connection) says it.
        const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
        const why = error instanceof Error ? `${error.message}${cause ? ` (${cause.code ?? ''} ${cause.message ?? ''})` : ''}` : String(error);
        if (this.errors < 5) console.error(`agent: ${why}`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }
}

export const percentile = (samples: number[], p: number) =>
  samples.length === 0 ? undefined : samples.toSorted((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(samples.length * p))]!;

/** Runs `fn` over `items` with at most `limit` at once. */
export async function inParallel<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = Array.from({ length: items.length });
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
