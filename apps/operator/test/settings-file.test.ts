import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QhcSchemaError } from '@qhc/schemas';
import { createLogger } from '@qhc/kube';
import { describe, expect, it } from 'vitest';
import { OperatorMetrics, SettingsFile } from '../src/index.ts';

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'qhc-settings-')), 'settings.yaml');
  writeFileSync(path, text);
  return path;
}

describe('SettingsFile', () => {
  it('stops start-up on a bad file with the schema error, naming the file and line', () => {
    const path = file('settings:\n  backOff:\n    minDelay: 10\n    maxDelay: 5\n');
    let error: unknown;
    try {
      expect(new SettingsFile(path, createLogger({ write: () => undefined }))).toBeUndefined();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QhcSchemaError);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain('settings.backOff.minDelay (line 3');
  });

  it('reloads a good change and keeps the old settings on a bad one, saying why', () => {
    const path = file('settings:\n  backupTimeout: 100\n');
    const lines: string[] = [];
    const settings = new SettingsFile(path, createLogger({ write: (l) => lines.push(l) }));
    expect(settings.settings.settings.backupTimeout).toBe(100);
    writeFileSync(path, 'settings:\n  backupTimeout: 200\n');
    expect(settings.reload()).toBe(true);
    expect(settings.settings.settings.backupTimeout).toBe(200);
    writeFileSync(path, 'settings:\n  backupTimeout: -1\n');
    expect(settings.reload()).toBe(false);
    expect(settings.settings.settings.backupTimeout).toBe(200);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ level: 'error', msg: expect.stringContaining('previous ones stay in force') });
  });
});

describe('OperatorMetrics', () => {
  it('renders the Prometheus text format with sorted labels', () => {
    const metrics = new OperatorMetrics();
    metrics.reconciles.inc({ result: 'success', kind: 'QdrantCluster' });
    metrics.reconciles.inc({ kind: 'QdrantCluster', result: 'success' });
    metrics.reconcileSeconds.observe({ kind: 'QdrantCluster' }, 0.2);
    const text = metrics.render();
    expect(text).toContain('# TYPE qhc_operator_reconciles_total counter');
    expect(text).toContain('qhc_operator_reconciles_total{kind="QdrantCluster",result="success"} 2');
    expect(text).toContain('qhc_operator_reconcile_duration_seconds_bucket{kind="QdrantCluster",le="0.25"} 1');
    expect(text).toContain('qhc_operator_reconcile_duration_seconds_bucket{kind="QdrantCluster",le="0.1"} 0');
    expect(text).toContain('qhc_operator_reconcile_duration_seconds_count{kind="QdrantCluster"} 1');
  });
});
