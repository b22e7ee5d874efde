// Counts the bench waits for, kept by watches rather than by listing every object again and
// again: a list of thousands of objects every 250 ms would load the apiserver the operator is
// measured against, and the floors were taken without it.
import { Informer, type KubeClient, type KubeObject } from '@qhc/kube';

type Kind = { apiVersion: string; kind: string };

/** Time (ms since `started`) at which the count first reached each tenth of the target. */
export type Milestones = Array<{ percent: number; seconds: number }>;

/**
 * Watches `kinds` in a namespace and resolves when `count` of the watched objects reaches
 * `target`; records when each tenth of the way was reached, to tell a slow start from a long tail.
 */
export class WatchedCount {
  private readonly informers: Informer[];
  private readonly milestones: Milestones = [];
  private readonly target: number;
  private readonly counts: (object: KubeObject) => boolean;
  private readonly started: number;
  private resolve!: (seconds: number) => void;
  readonly done: Promise<number>;

  constructor(
    client: KubeClient,
    namespace: string,
    kinds: Kind[],
    target: number,
    counts: (object: KubeObject) => boolean,
    started: number,
    labelSelector?: string,
  ) {
    this.target = target;
    this.counts = counts;
    this.started = started;
    this.done = new Promise((resolve) => (this.resolve = resolve));
    // No resync: a re-delivery changes no count.
    this.informers = kinds.map((kind) => new Informer(client, { ...kind, namespace, labelSelector, resyncMs: 0, transform: slim }));
    // Kept per object, not recounted over all of them on each event: the bench shares the CPU.
    const set = (o: KubeObject) => this.check(`${o.kind}/${o.metadata.name}`, this.counts(o));
    const unset = (o: KubeObject) => this.check(`${o.kind}/${o.metadata.name}`, false);
    for (const informer of this.informers) informer.on({ add: set, update: set, delete: unset }).start();
  }

  private readonly counted = new Set<string>();

  private check(key: string, counts: boolean): void {
    if (counts) this.counted.add(key);
    else this.counted.delete(key);
    const reached = this.counted.size;
    const seconds = (performance.now() - this.started) / 1000;
    while (this.milestones.length < 10 && reached >= (this.target * (this.milestones.length + 1)) / 10)
      this.milestones.push({ percent: (this.milestones.length + 1) * 10, seconds });
    if (reached >= this.target) this.resolve(seconds);
  }

  /** "10% 12.3 s, 20% …": when each tenth was reached. */
  describe(): string {
    return this.milestones.map((m) => `${m.percent}% ${m.seconds.toFixed(1)} s`).join(', ');
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.stop()));
  }
}

/** Only what the counts read: the bench holds thousands of these. */
function slim(object: KubeObject): KubeObject {
  const { name, namespace, resourceVersion } = object.metadata;
  const status = (object as { status?: { phase?: string; readyReplicas?: number } }).status;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: { name, namespace, resourceVersion },
    status: { phase: status?.phase, readyReplicas: status?.readyReplicas },
  } as KubeObject;
}

export const exists = () => true;
export const healthy = (o: KubeObject) => (o as { status?: { phase?: string } }).status?.phase === 'Healthy';
export const ready = (o: KubeObject) => (o as { status?: { readyReplicas?: number } }).status?.readyReplicas === 1;

/** The operator's memory as its /metrics reports it, sampled each second: where the peak RSS is. */
export class MemorySampler {
  private peak = { rss: 0, heapUsed: 0, heapTotal: 0, seconds: 0 };
  private readonly timer: NodeJS.Timeout;

  constructor(port: number, started: number) {
    let inFlight = false;
    this.timer = setInterval(() => {
      // One sample at a time, each bounded: a busy operator is not to be sent a queue of them.
      if (inFlight) return;
      inFlight = true;
      fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(900) })
        .then((r) => r.text())
        .then((text) => {
          const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0) / 1048576;
          const rss = value('process_resident_memory_bytes');
          if (rss > this.peak.rss)
            this.peak = {
              rss,
              heapUsed: value('nodejs_heap_size_used_bytes'),
              heapTotal: value('nodejs_heap_size_total_bytes'),
              seconds: (performance.now() - started) / 1000,
            };
        })
        // Not listening yet, or gone: the next sample.
        .catch(() => undefined)
        .finally(() => (inFlight = false));
    }, 1000);
  }

  stop(): string {
    clearInterval(this.timer);
    const { rss, heapUsed, heapTotal, seconds } = this.peak;
    return `highest sampled RSS ${rss.toFixed(1)} MiB at ${seconds.toFixed(0)} s: V8 heap ${heapUsed.toFixed(1)} used of ${heapTotal.toFixed(1)} reserved; RSS minus the reserved heap ${(rss - heapTotal).toFixed(1)}`;
  }
}
