import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, renderMetrics } from '../src/index.ts';

describe('metrics', () => {
  it('renders counters, gauges and histograms with sorted, escaped labels, and the process memory', () => {
    const counter = new Counter('x_total', 'Things.');
    counter.inc({ b: '2', a: 'say "hi"' });
    counter.inc({ a: 'say "hi"', b: '2' }, 2);
    const gauge = new Gauge('y', 'Level.');
    gauge.set({}, 7);
    const histogram = new Histogram('z_seconds', 'Time.', [0.1, 1]);
    histogram.observe({ k: 'v' }, 0.5);
    const text = renderMetrics([counter, gauge, histogram]);
    expect(text).toContain('# TYPE x_total counter\nx_total{a="say \\"hi\\"",b="2"} 3\n');
    expect(text).toContain('y 7\n');
    expect(text).toContain(
      'z_seconds_bucket{k="v",le="0.1"} 0\nz_seconds_bucket{k="v",le="1"} 1\nz_seconds_bucket{k="v",le="+Inf"} 1\nz_seconds_sum{k="v"} 0.5\nz_seconds_count{k="v"} 1\n',
    );
    expect(text).toMatch(/^process_resident_memory_bytes [1-9]\d*$/m);
    expect(text.endsWith('\n')).toBe(true);
    expect(counter.get({ a: 'say "hi"', b: '2' })).toBe(3);
  });
});
