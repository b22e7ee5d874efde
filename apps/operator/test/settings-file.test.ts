import { existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QhcSchemaError, type OperatorSettings, type OperatorSettingsStatus } from '@qhc/schemas';
import { createLogger, type Clock } from '@qhc/kube';
import { afterEach, describe, expect, it } from 'vitest';
import { OperatorMetrics, SettingsFile, type SettingsCheck } from '../src/index.ts';
import { clearVolume, kubeletWrite } from '@qhc/kube-sandbox';

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

const KEY = 'operator-settings.yaml';
const logLevel = (level: string) => `settings:\n  qdrant:\n    log_level: ${level}\n`;
const BAD = 'settings:\n  backOff:\n    minDelay: 10\n    maxDelay: 5\n';
const quiet = createLogger({ write: () => undefined });

/** A mounted ConfigMap volume with the settings key (and another), laid out by the kubelet's writer. */
function volume(text: string, other = 'a'): { dir: string; path: string; write(text: string, other?: string): boolean } {
  const dir = mkdtempSync(join(tmpdir(), 'qhc-volume-'));
  const write = (t: string, o = other) => kubeletWrite(dir, { [KEY]: t, 'other.txt': o });
  write(text);
  return { dir, path: join(dir, KEY), write };
}

/** Everything a watched SettingsFile reports, and a way to wait for the next report that matches. */
function observe() {
  const changes: OperatorSettings[] = [];
  const statuses: OperatorSettingsStatus[] = [];
  const checks: SettingsCheck[] = [];
  let waiters: Array<{ test: () => boolean; resolve: () => void }> = [];
  const notify = () => {
    waiters = waiters.filter((w) => (w.test() ? (w.resolve(), false) : true));
  };
  return {
    changes,
    statuses,
    checks,
    hooks: {
      onChange: (s: OperatorSettings) => (changes.push(s), notify()),
      onStatus: (s: OperatorSettingsStatus) => (statuses.push(s), notify()),
      onCheck: (c: SettingsCheck) => (checks.push(c), notify()),
    },
    /** Resolves when `test` holds after a report; fails after a deadline. */
    until(what: string, test: () => boolean, timeoutMs = 5_000): Promise<void> {
      if (test()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; checks so far: ${checks.join(', ')}`)), timeoutMs);
        waiters.push({ test, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

/** A clock that moves only when told. */
class ManualClock implements Clock {
  time = Date.parse('2026-12-03T21:00:00Z');
  private timers: Array<{ at: number; fn: () => void }> = [];
  now = () => this.time;
  setTimeout(fn: () => void, ms: number) {
    const timer = { at: this.time + ms, fn };
    this.timers.push(timer);
    return { cancel: () => (this.timers = this.timers.filter((t) => t !== timer)) };
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (let due = this.next(end); due; due = this.next(end)) {
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }
  private next(end: number) {
    return this.timers.filter((t) => t.at <= end).toSorted((a, b) => a.at - b.at)[0];
  }
}

const open: SettingsFile[] = [];
afterEach(() => {
  for (const f of open.splice(0)) f.close();
});
/** A SettingsFile watching `path`, reporting to `o`, closed after the test. */
const watched = (path: string, o: ReturnType<typeof observe>, options: Parameters<SettingsFile['watch']>[0] = {}, clock?: Clock) => {
  const settingsFile = new SettingsFile(path, quiet, clock);
  open.push(settingsFile);
  settingsFile.watch({ debounceMs: 20, pollMs: 60_000, ...o.hooks, ...options });
  return settingsFile;
};

describe('SettingsFile on a ConfigMap volume updated as the kubelet does', () => {
  it('the writer lays out and swaps the volume as AtomicWriter does', () => {
    const v = volume(logLevel('INFO'));
    const first = readlinkSync(join(v.dir, '..data'));
    expect(first).toMatch(/^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\w+$/);
    expect(readlinkSync(v.path)).toBe(join('..data', KEY));
    expect(v.write(logLevel('INFO'))).toBe(false);
    expect(v.write(logLevel('DEBUG'))).toBe(true);
    const second = readlinkSync(join(v.dir, '..data'));
    expect(second).not.toBe(first);
    expect(readdirSync(v.dir).toSorted()).toEqual(['..data', second, KEY, 'other.txt'].toSorted());
  });

  it('reloads once on a ..data swap, and says so to whoever re-queues the clusters', async () => {
    const v = volume(logLevel('INFO'));
    const o = observe();
    const settingsFile = watched(v.path, o);
    expect(v.write(logLevel('DEBUG'))).toBe(true);
    await o.until('the reload', () => o.changes.length === 1);
    expect(settingsFile.settings.settings.qdrant.log_level).toBe('DEBUG');
    expect(o.changes[0]!.settings.qdrant.log_level).toBe('DEBUG');
    expect(settingsFile.status).toMatchObject({ valid: true });
    expect(settingsFile.status.loadedHash).toBe(settingsFile.status.fileHash);
    // The swap is several folder events, debounced into looks that find nothing new after the first.
    expect(o.checks.filter((c) => c === 'reloaded')).toHaveLength(1);
  });

  it('does not reload on a no-op: an unchanged payload writes nothing, another key swaps ..data with the same settings', async () => {
    const v = volume(logLevel('INFO'));
    const o = observe();
    const settingsFile = watched(v.path, o);
    expect(v.write(logLevel('INFO'))).toBe(false);
    expect(settingsFile.check()).toBe('unchanged');
    expect(v.write(logLevel('INFO'), 'b')).toBe(true);
    await o.until('the look after the swap', () => o.checks.includes('same-text'));
    expect(o.changes).toEqual([]);
    expect(o.statuses).toEqual([]);
  });

  it('keeps the old settings on a bad file, reports field and line, and recovers', async () => {
    const v = volume(logLevel('WARN'));
    const o = observe();
    const settingsFile = watched(v.path, o);
    const loaded = settingsFile.status.loadedHash;
    v.write(BAD);
    await o.until('the refusal', () => o.statuses.some((s) => !s.valid));
    expect(settingsFile.settings.settings.qdrant.log_level).toBe('WARN');
    expect(settingsFile.status).toMatchObject({ valid: false, loadedHash: loaded });
    expect(settingsFile.status.fileHash).not.toBe(loaded);
    expect(settingsFile.status.message).toContain('settings.backOff.minDelay (line 3');
    expect(settingsFile.status.message).toContain(v.path);
    expect(o.changes).toEqual([]);

    // The same settings back (a revert): valid again, nothing to re-queue.
    v.write(logLevel('WARN'));
    await o.until('valid again', () => o.statuses.at(-1)?.valid === true);
    expect(o.changes).toEqual([]);
    expect(settingsFile.status).toMatchObject({ valid: true, loadedHash: loaded });
    expect(settingsFile.status.message).toBeUndefined();

    // A bad file, then a good new one: the new settings load and the refusal clears.
    v.write(BAD);
    await o.until('refused again', () => o.statuses.at(-1)?.valid === false);
    v.write(logLevel('ERROR'));
    await o.until('the new settings', () => o.changes.length === 1);
    expect(settingsFile.settings.settings.qdrant.log_level).toBe('ERROR');
    expect(settingsFile.status.valid).toBe(true);
  });
});

describe('SettingsFile on a ConfigMap volume: periodic looks, throwing consumers, replaced folders', () => {
  it('catches a swap the watcher missed with the periodic look (injected clock)', () => {
    const v = volume(logLevel('INFO'));
    const o = observe();
    const clock = new ManualClock();
    const settingsFile = watched(v.path, o, { fsWatch: false, pollMs: 10_000 }, clock);
    v.write(logLevel('DEBUG'));
    clock.advance(9_999);
    expect(o.changes).toEqual([]);
    clock.advance(1);
    expect(o.checks).toEqual(['reloaded']);
    expect(settingsFile.settings.settings.qdrant.log_level).toBe('DEBUG');
    clock.advance(10_000);
    expect(o.checks).toEqual(['reloaded', 'unchanged']);
    v.write(BAD);
    clock.advance(10_000);
    expect(settingsFile.status).toMatchObject({ valid: false, since: '2026-12-03T21:00:30Z' });
  });

  it('keeps polling after onChange and onStatus throw (injected clock)', () => {
    const v = volume(logLevel('INFO'));
    const o = observe();
    const clock = new ManualClock();
    const throwing = {
      onChange: () => {
        throw new Error('consumer broke');
      },
      onStatus: () => {
        throw new Error('consumer broke');
      },
    };
    const settingsFile = watched(v.path, o, { fsWatch: false, pollMs: 10_000, ...throwing }, clock);
    v.write(logLevel('DEBUG'));
    expect(() => clock.advance(10_000)).not.toThrow();
    expect(settingsFile.settings.settings.qdrant.log_level).toBe('DEBUG');
    v.write(logLevel('ERROR'));
    clock.advance(10_000);
    expect(settingsFile.settings.settings.qdrant.log_level).toBe('ERROR');
  });

  it('survives the folder entries being replaced, and the folder itself', async () => {
    const v = volume(logLevel('INFO'));
    const o = observe();
    const settingsFile = watched(v.path, o, { pollMs: 100 });
    // Torn down and mounted again: every entry goes, a fresh layout comes.
    clearVolume(v.dir);
    kubeletWrite(v.dir, { [KEY]: logLevel('DEBUG') });
    await o.until('the reload after the entries were replaced', () => settingsFile.settings.settings.qdrant.log_level === 'DEBUG');
    // The folder itself replaced: the old watch sees nothing more; the periodic look re-arms it.
    renameSync(v.dir, `${v.dir}.old`);
    mkdirSync(v.dir);
    kubeletWrite(v.dir, { [KEY]: logLevel('WARN') });
    await o.until('the reload in the new folder', () => settingsFile.settings.settings.qdrant.log_level === 'WARN');
    kubeletWrite(v.dir, { [KEY]: logLevel('ERROR') });
    await o.until('a later swap', () => settingsFile.settings.settings.qdrant.log_level === 'ERROR');
    expect(existsSync(`${v.dir}.old`)).toBe(true);
  });

  it('reloads a plain file rewritten in place (running from a local file)', async () => {
    const path = file(logLevel('INFO'));
    const o = observe();
    const settings = watched(path, o);
    writeFileSync(path, logLevel('TRACE'));
    await o.until('the reload', () => o.changes.length === 1);
    expect(settings.settings.settings.qdrant.log_level).toBe('TRACE');
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
