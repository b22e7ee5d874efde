// CPU time from /proc: what a read costs the replicas and PostgreSQL, whatever else shares the
// machine (latency under a shared machine's load says little; CPU per request does not move).
import { readdirSync, readFileSync } from 'node:fs';

// Linux's clock tick (CLK_TCK): 100 per second.
const TICK_MS = 10;

/** The fields of /proc/<pid>/stat after the command's name (the state first), or undefined once it exited. */
function statOf(pid: string): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** A process's user and system CPU time (ms). */
export function cpuMs(pid: number): number {
  const f = statOf(String(pid));
  return f ? (Number(f[11]) + Number(f[12])) * TICK_MS : Number.NaN;
}

/** The CPU time (ms) of a process and its descendants (PostgreSQL's backends set up sessions of their own): the live ones', and what their exited children used. */
export function treeCpuMs(root: number): number {
  const stats = new Map<number, string[]>();
  for (const pid of readdirSync('/proc')) {
    const f = /^\d+$/.test(pid) ? statOf(pid) : undefined;
    if (f) stats.set(Number(pid), f);
  }
  const children = new Map<number, number[]>();
  for (const [pid, f] of stats) children.set(Number(f[1]), [...(children.get(Number(f[1])) ?? []), pid]);
  let sum = 0;
  for (const todo = [root]; todo.length > 0;) {
    const pid = todo.pop()!;
    const f = stats.get(pid);
    if (f) sum += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_MS;
    todo.push(...(children.get(pid) ?? []));
  }
  return sum;
}
