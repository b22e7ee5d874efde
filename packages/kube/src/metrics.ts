// A small Prometheus registry: counters, gauges and histograms with labels, rendered in the
// text exposition format, plus the process's memory. Enough for qhc's components without a
// dependency.

export type Labels = Record<string, string>;

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
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} counter`,
      ...[...this.values.values()].map((e) => `${this.name}${render(e.labels)} ${e.value}`),
    ];
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
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} gauge`,
      ...[...this.values.values()].map((e) => `${this.name}${render(e.labels)} ${e.value}`),
    ];
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

/** The process's memory, in the names Prometheus' Node.js clients use. */
export function processMetricLines(): string[] {
  const memory = process.memoryUsage();
  return [
    '# HELP process_resident_memory_bytes Resident memory size in bytes.',
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${memory.rss}`,
    '# HELP nodejs_heap_size_used_bytes V8 heap in use, in bytes.',
    '# TYPE nodejs_heap_size_used_bytes gauge',
    `nodejs_heap_size_used_bytes ${memory.heapUsed}`,
    '# HELP nodejs_heap_size_total_bytes V8 heap reserved, in bytes.',
    '# TYPE nodejs_heap_size_total_bytes gauge',
    `nodejs_heap_size_total_bytes ${memory.heapTotal}`,
  ];
}

/** Metrics in the text exposition format, one after the other. */
export function renderMetrics(metrics: Array<{ lines(): string[] }>): string {
  return metrics
    .flatMap((m) => m.lines())
    .concat(processMetricLines())
    .join('\n')
    .concat('\n');
}
