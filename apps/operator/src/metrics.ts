// A small Prometheus registry: counters, gauges and histograms with labels, rendered in
// the text exposition format. Enough for the operator's own metrics without a dependency.

type Labels = Record<string, string>;

const key = (labels: Labels) => JSON.stringify(Object.entries(labels).toSorted(([a], [b]) => (a < b ? -1 : 1)));
const render = (labels: Labels) => {
  const entries = Object.entries(labels).toSorted(([a], [b]) => (a < b ? -1 : 1));
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}="${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
};

abstract class Metric {
  readonly name: string;
  readonly help: string;
  constructor(name: string, help: string) {
    this.name = name;
    this.help = help;
  }
  abstract lines(): string[];
}

export class Counter extends Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    const entry = this.values.get(k) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(k, entry);
  }
  get(labels: Labels = {}): number {
    return this.values.get(key(labels))?.value ?? 0;
  }
  lines(): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`, ...[...this.values.values()].map((e) => `${this.name}${render(e.labels)} ${e.value}`)];
  }
}

export class Gauge extends Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  set(labels: Labels, value: number): void {
    this.values.set(key(labels), { labels, value });
  }
  reset(): void {
    this.values.clear();
  }
  lines(): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, ...[...this.values.values()].map((e) => `${this.name}${render(e.labels)} ${e.value}`)];
  }
}

export class Histogram extends Metric {
  private readonly buckets: number[];
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(name: string, help: string, buckets: number[]) {
    super(name, help);
    this.buckets = buckets;
  }
  observe(labels: Labels, value: number): void {
    const k = key(labels);
    const entry = this.series.get(k) ?? { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    this.buckets.forEach((bound, i) => {
      if (value <= bound) entry.counts[i]!++;
    });
    entry.sum += value;
    entry.count++;
    this.series.set(k, entry);
  }
  lines(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const e of this.series.values()) {
      this.buckets.forEach((bound, i) => out.push(`${this.name}_bucket${render({ ...e.labels, le: String(bound) })} ${e.counts[i]}`));
      out.push(`${this.name}_bucket${render({ ...e.labels, le: '+Inf' })} ${e.count}`);
      out.push(`${this.name}_sum${render(e.labels)} ${e.sum}`, `${this.name}_count${render(e.labels)} ${e.count}`);
    }
    return out;
  }
}

export class OperatorMetrics {
  readonly reconciles = new Counter('qhc_operator_reconciles_total', 'Reconciles run, by kind and result.');
  readonly reconcileErrors = new Counter('qhc_operator_reconcile_errors_total', 'Reconciles that failed, by kind.');
  readonly reconcileSeconds = new Histogram('qhc_operator_reconcile_duration_seconds', 'Time a reconcile took.', [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]);
  readonly queueDepth = new Gauge('qhc_operator_queue_depth', 'Keys waiting in the work queue.');
  readonly clustersByPhase = new Gauge('qhc_operator_clusters', 'QdrantClusters by phase.');
  readonly apiRequests = new Counter('qhc_operator_apiserver_requests_total', 'Requests to the apiserver, by verb, kind and status code.');
  readonly isLeader = new Gauge('qhc_operator_leader', '1 while this replica leads.');
  readonly drainSteps = new Counter('qhc_operator_drain_steps_total', 'Steps of node drains before scale-down, by step (move_shard, drop_replica, remove_peer).');

  render(): string {
    return [this.reconciles, this.reconcileErrors, this.reconcileSeconds, this.queueDepth, this.clustersByPhase, this.apiRequests, this.isLeader, this.drainSteps]
      .flatMap((m) => m.lines())
      .join('\n')
      .concat('\n');
  }
}
