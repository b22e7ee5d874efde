import { describe, expect, it } from 'vitest';
import { IndexedStore, LineSplitter, RequestRateLimiter } from '../src/index.ts';
import { FakeClock, flush } from './fake-clock.ts';

type Obj = { ns: string; team?: string; v: number };

const store = () => new IndexedStore<Obj>({ ns: (o) => [o.ns], team: (o) => (o.team ? [`${o.ns}/${o.team}`] : []) });

describe('IndexedStore', () => {
  it('files objects under every index and moves them when they change', () => {
    const s = store();
    s.set('a/1', { ns: 'a', team: 'x', v: 1 });
    s.set('a/2', { ns: 'a', v: 1 });
    s.set('b/1', { ns: 'b', team: 'x', v: 1 });
    expect(s.byIndex('ns', 'a').map((o) => o.v)).toHaveLength(2);
    expect(s.byIndex('team', 'a/x')).toEqual([{ ns: 'a', team: 'x', v: 1 }]);
    // An update that changes the indexed value leaves its old bucket.
    s.set('a/1', { ns: 'a', team: 'y', v: 2 });
    expect(s.byIndex('team', 'a/x')).toEqual([]);
    expect(s.byIndex('team', 'a/y')).toEqual([{ ns: 'a', team: 'y', v: 2 }]);
    s.delete('a/1');
    expect(s.byIndex('team', 'a/y')).toEqual([]);
    expect(s.byIndex('ns', 'a')).toEqual([{ ns: 'a', v: 1 }]);
    expect(s.size).toBe(2);
  });

  it('counts what an index files under a key as it changes', () => {
    const s = store();
    s.set('a/1', { ns: 'a', team: 'x', v: 1 });
    s.set('a/2', { ns: 'a', team: 'x', v: 1 });
    expect([s.countByIndex('team', 'a/x'), s.countByIndex('team', 'a/y')]).toEqual([2, 0]);
    s.set('a/1', { ns: 'a', v: 2 });
    s.delete('a/2');
    expect([s.countByIndex('team', 'a/x'), s.countByIndex('ns', 'a')]).toEqual([0, 1]);
    expect(() => s.countByIndex('nope', 'a')).toThrow('no index nope');
  });

  it('leaves the store as it was when an indexer throws', () => {
    const team = (o: Obj) => {
      if (o.v < 0) throw new Error('no team');
      return [];
    };
    const s = new IndexedStore<Obj>({ ns: (o) => [o.ns], team });
    s.set('a/1', { ns: 'a', v: 1 });
    expect(() => s.set('a/1', { ns: 'b', v: -1 })).toThrow('no team');
    expect(s.get('a/1')).toEqual({ ns: 'a', v: 1 });
    expect([s.countByIndex('ns', 'a'), s.countByIndex('ns', 'b')]).toEqual([1, 0]);
  });

  it('unfiles what it filed, even when the stored object was changed in place since', () => {
    const s = store();
    const object: Obj = { ns: 'a', team: 'x', v: 1 };
    s.set('a/1', object);
    object.team = 'y';
    s.set('a/1', { ns: 'a', team: 'z', v: 2 });
    expect(s.byIndex('team', 'a/x')).toEqual([]);
    expect(s.byIndex('team', 'a/z')).toEqual([{ ns: 'a', team: 'z', v: 2 }]);
    object.ns = 'b';
    s.delete('a/1');
    expect(s.byIndex('ns', 'a')).toEqual([]);
    expect(s.byIndex('team', 'a/z')).toEqual([]);
  });

  it('refuses an index that was never declared', () => {
    expect(() => store().byIndex('nope', 'a')).toThrow(/no index nope/);
  });
});

describe('LineSplitter', () => {
  it('gives whole lines whatever the chunking, without empty ones', () => {
    const text = '{"a":1}\n\n{"b":2}\n{"c":3}\n';
    for (let size = 1; size <= text.length; size++) {
      const splitter = new LineSplitter();
      const lines: string[] = [];
      for (let i = 0; i < text.length; i += size) lines.push(...splitter.push(text.slice(i, i + size)));
      expect(lines, `chunks of ${size}`).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    }
  });

  it('keeps a line without its newline until the newline comes', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('{"a"')).toEqual([]);
    expect(splitter.push(':1}')).toEqual([]);
    expect(splitter.push('\n')).toEqual(['{"a":1}']);
  });
});

describe('RequestRateLimiter', () => {
  it('lets a burst through, then one request per 1/qps, in arrival order, failing none', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter({ qps: 10, burst: 2, clock });
    const passed: number[] = [];
    const requests = Array.from({ length: 5 }, (_, i) => limiter.wait().then(() => passed.push(i)));
    await flush();
    expect(passed).toEqual([0, 1]);
    expect(limiter.waiting).toBe(3);
    await clock.advance(100);
    expect(passed).toEqual([0, 1, 2]);
    await clock.advance(200);
    await Promise.all(requests);
    expect(passed).toEqual([0, 1, 2, 3, 4]);
    expect(limiter.waiting).toBe(0);
  });

  it('a request whose signal aborts leaves the line without taking a token; the others go as before', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter({ qps: 10, burst: 1, clock });
    expect(await limiter.wait()).toBe(0);
    const abort = new AbortController();
    const passed: string[] = [];
    const waited: number[] = [];
    const given = limiter.wait(abort.signal).then(
      () => passed.push('aborted one'),
      (error: unknown) => passed.push(`rejected: ${(error as Error).name}`),
    );
    const next = limiter.wait().then((ms) => (passed.push('next'), waited.push(ms)));
    await flush();
    abort.abort();
    await given;
    expect(passed).toEqual(['rejected: AbortError']);
    expect(limiter.waiting).toBe(1);
    await clock.advance(100);
    await next;
    // The next one had the token the aborted one would have taken, and says how long it waited.
    expect(passed).toEqual(['rejected: AbortError', 'next']);
    expect(waited).toEqual([100]);
    await expect(limiter.wait(AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  });
});
