import { describe, expect, it } from 'vitest';
import { PRIORITY, WorkQueue } from '../src/index.ts';
import { PriorityFifo } from '../src/priority-fifo.ts';
import { controllable } from './controllable.ts';
import { FakeClock, flush } from './fake-clock.ts';

const backoff = { minDelay: 5, maxDelay: 300, increment: 5 };

const drain = (fifo: PriorityFifo) => {
  const out: string[] = [];
  for (let next = fifo.shift(); next; next = fifo.shift()) out.push(`${next.key}@${next.priority}`);
  return out;
};

describe('PriorityFifo', () => {
  it('takes the highest priority first, first in first out within one', () => {
    const fifo = new PriorityFifo();
    for (const [key, p] of [
      ['a', -100],
      ['b', 0],
      ['c', -100],
      ['d', 0],
      ['e', 5],
    ] as const)
      fifo.push(key, p);
    expect(drain(fifo)).toEqual(['e@5', 'b@0', 'd@0', 'a@-100', 'c@-100']);
    expect(fifo.size).toBe(0);
  });

  it('moves a key up when it is added at a higher priority, and never down', () => {
    const fifo = new PriorityFifo();
    fifo.push('a', -100);
    fifo.push('b', -100);
    expect(fifo.push('b', 0)).toBe(true);
    expect(fifo.push('b', -100)).toBe(false);
    expect(fifo.push('a', -100)).toBe(false);
    expect(fifo.size).toBe(2);
    expect(drain(fifo)).toEqual(['b@0', 'a@-100']);
  });

  it('does not run a moved key from its old place when it is queued again there', () => {
    const fifo = new PriorityFifo();
    fifo.push('a', -100);
    fifo.push('b', -100);
    fifo.push('a', 0);
    expect(fifo.shift()).toEqual({ key: 'a', priority: 0 });
    // a again at the low priority: behind b, not at its first place ahead of b.
    fifo.push('a', -100);
    expect(drain(fifo)).toEqual(['b@-100', 'a@-100']);
  });

  it('lets go of a line left with only the entries of keys that moved up', () => {
    const fifo = new PriorityFifo();
    for (let i = 0; i < 100; i++) {
      fifo.push('a', PRIORITY.low);
      fifo.push('a', PRIORITY.normal);
      expect(fifo.shift()).toEqual({ key: 'a', priority: PRIORITY.normal });
    }
    expect(fifo.size).toBe(0);
    expect((fifo as unknown as { lines: Map<number, unknown> }).lines.size).toBe(0);
  });

  it('stays first in first out across many keys taken and added', () => {
    const fifo = new PriorityFifo();
    const taken: string[] = [];
    for (let i = 0; i < 5000; i++) {
      fifo.push(`k${i}`, 0);
      if (i % 2 === 1) taken.push(fifo.shift()!.key);
    }
    taken.push(...drain(fifo).map((e) => e.split('@')[0]!));
    expect(taken).toEqual(Array.from({ length: 5000 }, (_, i) => `k${i}`));
  });
});

describe('WorkQueue priorities', () => {
  it('runs a change ahead of the keys a first list queued at the low priority', async () => {
    const { runs, handler } = controllable();
    const queue = new WorkQueue(handler, { backoff, concurrency: 1, clock: new FakeClock() });
    for (const key of ['a', 'b', 'c']) queue.add(key, PRIORITY.low);
    queue.add('z');
    queue.add('c');
    await flush();
    expect(runs.map((r) => r.key)).toEqual(['a']);
    runs[0]!.resolve();
    await flush();
    runs[1]!.resolve();
    await flush();
    runs[2]!.resolve();
    await flush();
    runs[3]!.resolve();
    await flush();
    expect(runs.map((r) => r.key)).toEqual(['a', 'z', 'c', 'b']);
  });

  it("keeps a run's priority for its requeue and its retry", async () => {
    const clock = new FakeClock();
    const { runs, handler } = controllable();
    const queue = new WorkQueue(handler, { backoff, concurrency: 1, clock });
    queue.add('slow', PRIORITY.low);
    queue.add('failing', PRIORITY.low);
    await flush();
    runs[0]!.resolve({ requeueAfterMs: 1000 });
    await flush();
    runs[1]!.reject(new Error('boom'));
    await flush();
    // Both come due while a change runs; another change queued after them still goes first.
    queue.add('blocker');
    await flush();
    await clock.advance(5_000);
    queue.add('change');
    runs[2]!.resolve();
    await flush();
    runs[3]!.resolve();
    await flush();
    runs[4]!.resolve();
    await flush();
    expect(runs.map((r) => r.key)).toEqual(['slow', 'failing', 'blocker', 'change', 'slow', 'failing']);
  });
});

/** 'first' running, 'low' queued behind it at the low priority. */
async function behindFirst() {
  const clock = new FakeClock();
  const { runs, handler } = controllable();
  const queue = new WorkQueue(handler, { backoff, concurrency: 1, clock });
  queue.add('first', PRIORITY.low);
  await flush();
  queue.add('low', PRIORITY.low);
  return { clock, runs, queue };
}

describe('WorkQueue priorities: keys added again', () => {
  it('runs a key added during its run again at the highest priority it was added at', async () => {
    const { runs, handler } = controllable();
    const queue = new WorkQueue(handler, { backoff, concurrency: 1, clock: new FakeClock() });
    queue.add('a', PRIORITY.low);
    await flush();
    queue.add('b', PRIORITY.low);
    queue.add('a');
    queue.add('a', PRIORITY.low);
    runs[0]!.resolve();
    await flush();
    expect(runs.map((r) => r.key)).toEqual(['a', 'a']);
  });

  it('runs a delayed key added now at the higher of its two priorities', async () => {
    const { clock, runs, queue } = await behindFirst();
    queue.addAfter('d', 500);
    queue.add('d', PRIORITY.low);
    runs[0]!.resolve();
    await flush();
    expect(runs.map((r) => r.key)).toEqual(['first', 'd']);
    expect(clock.pending).toBe(0);
  });

  it('gives a delayed key the higher priority of two schedules', async () => {
    const { clock, runs, queue } = await behindFirst();
    queue.addAfter('d', 100, PRIORITY.low);
    queue.addAfter('d', 500);
    await clock.advance(100);
    runs[0]!.resolve();
    await flush();
    expect(runs.map((r) => r.key)).toEqual(['first', 'd']);
    expect(clock.pending).toBe(0);
  });
});
