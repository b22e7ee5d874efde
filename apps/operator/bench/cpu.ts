// Where the machine's CPU went during a window, by process: the apiserver, etcd, the
// controller-manager, the scheduler, kwok, the operator. The bench compares the operator's apply
// window with the raw floor's on a 2-core machine the sandbox itself loads; without this, a
// slower window could not be told from a machine busier with the pods and claims it made.
import { readdirSync, readFileSync } from 'node:fs';

/** Linux's clock ticks per second for /proc's CPU times (USER_HZ: 100 on every architecture Node runs on). */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) each running process has used so far, by pid, with its command. */
function readCpu(): Map<number, { name: string; seconds: number }> {
  const cpu = new Map<number, { name: string; seconds: number }>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone between the listing and the read
    }
    // The command sits in parentheses and may hold spaces; the fields after it are fixed.
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // utime and stime: the 14th and 15th fields of the line, the 12th and 13th after the command.
    cpu.set(pid, { name, seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND });
  }
  return cpu;
}

/**
 * A window's CPU by process name, as a share of a core; `labels` names pids (the operator's
 * node). What it leaves out: a process that exits within the window (its time goes with it) and
 * its children's time; names are the kernel's, cut to 15 characters (kube-controller).
 */
export class CpuWindow {
  private readonly start = readCpu();
  private readonly startedAt = performance.now();
  private readonly labels: Map<number, string>;

  constructor(labels: Map<number, string> = new Map()) {
    this.labels = labels;
  }

  /** "1.98 cores in 61 s: kube-apiserver 0.95, operator 0.42, …": cores used on average since the window opened, busiest first. */
  describe(): string {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const used = new Map<string, number>();
    let total = 0;
    for (const [pid, now] of readCpu()) {
      const delta = now.seconds - (this.start.get(pid)?.seconds ?? 0);
      if (delta <= 0) continue;
      const name = this.labels.get(pid) ?? now.name;
      used.set(name, (used.get(name) ?? 0) + delta);
      total += delta;
    }
    const shares = [...used].toSorted((a, b) => b[1] - a[1]).filter(([, s]) => s / seconds >= 0.01);
    return `${(total / seconds).toFixed(2)} cores in ${seconds.toFixed(0)} s: ${shares.map(([name, s]) => `${name} ${(s / seconds).toFixed(2)}`).join(', ')}`;
  }
}
