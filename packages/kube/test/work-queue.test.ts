import { describe, expect, it } from 'vitest';
import { TokenBucket, WorkQueue, exponentialBackoffMs, incrementalBackoffMs } from '../src/index.ts';
import { controllable } from './controllable.ts';
import { FakeClock, flush } from './fake-clock.ts';

const backoff = { minDelay: 5, maxDelay: 300, increment: 5 };

describe('incrementalBackoffMs', () => {
  it('waits minDelay, then increment more each attempt, capped at maxDelay', () => {
    expect([1, 2, 3, 10].map((a) => incrementalBackoffMs(backoff, a))).toEqual([5_000, 10_000, 15_000, 50_000]);
    expect(incrementalBackoffMs(backoff, 1000)).toBe(300_000);
    expect(incrementalBackoffMs({ minDelay: 0, maxDelay: 10, increment: 0 }, 5)).toBe(0);
  });
});

const mid = () => 0.5;

describe('exponentialBackoffMs', () => {
  it('doubles up to the cap, with jitter inside ±20%', () => {
    expect([1, 2, 3, 4].map((a) => exponentialBackoffMs(a, { baseMs: 100, maxMs: 1000, random: mid }))).toEqual([100, 200, 400, 800]);
    expect(exponentialBackoffMs(10, { baseMs: 100, maxMs: 1000, random: mid })).toBe(1000);
    expect(exponentialBackoffMs(2, { baseMs: 100, maxMs: 1000, random: () => 0 })).toBe(160);
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then refills at the rate', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 2, burst: 3, clock });
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, true, false]);
    expect(bucket.waitMs()).toBe(500);
    await clock.advance(500);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
  });
});

describe('WorkQueue', () => {
  it('queues a key once however often it is added', async () => {
    const clock = new FakeClock();
    const { runs, handler } = controllable();
    const queue = new WorkQueue(handler, { backoff, concurrency: 1, clock });
    queue.add('a');
    queue.add('b');
    queue.add('b');
    await flush();
    expect(runs.map((r) => r.key)).toEqual(['a']);
    expect(queue.depth).toBe(1);
    runs[0]!.resolve();
    await flush();
    expect(runs.map((r) => r.key)).toEqual(['a', 'b']);
  });

  it('never runs a key twice at once, and runs it again when it was added during its run', async () => {
    const clock = new FakeClock();
    const { runs, handler } = controllable();
    const queue = new WorkQueue(handler, { backoff, concurrency: 4, clock });
    queue.add('a');
    await flush();
    queue.add('a');
    queue.add('a');
    await flush();
    expect(runs).toHaveLength(1);
    expect(queue.inFlight).toBe(1);
    runs[0]!.resolve();
    await flush();
    expect(runs).toHaveLength(2);
    runs[1]!.resolve();
    await flush();
    expect(runs).toHaveLength(2);
  });
});

describe('WorkQueue: failures and backoff', () => {
  it('reads a backoff given as a function at each failure, so reloaded settings apply', async () => {
    const clock = new FakeClock();
    const { runs, handler } = controllable();
    let current = backoff;
    const errors: number[] = [];
    const queue = new WorkQueue(handler, { backoff: () => current, clock, onError: (_k, _e, _attempt, delay) => errors.push(delay) });
    queue.add('a');
    await flush();
    runs[0]!.reject(new Error('boom'));
    await clock.advance(5_000);
    current = { minDelay: 1, maxDelay: 3, increment: 1 };
    runs[1]!.reject(new Error('boom'));
    await flush();
    expect(errors).toEqual([5_000, 2_000]);
  });

  it('retries a failure after minDelay, then minDelay + increment, and resets on success', async () => {
    const clock = new FakeClock();
    const { runs, handler } = controllable();
    const errors: Array<[number, number]> = [];
    const queue = new WorkQueue(handler, { backoff, clock, onError: (_k, _e, attempt, delay) => errors.push([attempt, delay]) });
    queue.add('a');
    await flush();
    runs[0]!.reject(new Error('boom'));
    await flush();
    await clock.advance(4_999);
    expect(runs).toHaveLength(1);
    await clock.advance(1);
    expect(runs).toHaveLength(2);
    runs[1]!.reject(new Error('boom'));
    await clock.advance(9_999);
    expect(runs).toHaveLength(2);
    await clock.advance(1);
    expect(runs).toHaveLength(3);
    expect(errors).toEqual([
      [1, 5_000],
      [2, 10_000],
    ]);
    runs[2]!.resolve();
    await flush();
    expect(queue.attempts('a')).toBe(0);
  });

  it('honours requeueAfterMs, and an earlier add wins over a later schedule', async () => {
    const clock = new FakeClock();
    const { runs, handler } = controllable();
    const queue = new WorkQueue(handler, { backoff, clock });
    queue.add('a');
    await flush();
    runs[0]!.resolve({ requeueAfterMs: 60_000 });
    await clock.advance(30_000);
    expect(runs).toHaveLength(1);
    expect(queue.pendingDelayed).toBe(1);
    queue.add('a');
    await flush();
    expect(runs).toHaveLength(2);
    expect(queue.pendingDelayed).toBe(0);
    runs[1]!.resolve();
    await clock.advance(60_000);
    expect(runs).toHaveLength(2);
  });
});

describe('WorkQueue: schedules, limits and shutdown', () => {
  it('keeps the earlier of two delayed schedules', async () => {
    const clock = new FakeClock();
    const { runs, handler } = controllable();
    const queue = new WorkQueue(handler, { backoff, clock });
    queue.addAfter('a', 10_000);
    queue.addAfter('a', 50_000);
    queue.addAfter('a', 5_000);
    await clock.advance(5_000);
    expect(runs).toHaveLength(1);
    runs[0]!.resolve();
    await clock.advance(60_000);
    expect(runs).toHaveLength(1);
  });

  it('limits concurrency', async () => {
    const clock = new FakeClock();
    const { runs, handler } = controllable();
    const queue = new WorkQueue(handler, { backoff, concurrency: 2, clock });
    for (const key of ['a', 'b', 'c', 'd']) queue.add(key);
    await flush();
    expect(runs.map((r) => r.key)).toEqual(['a', 'b']);
    runs[1]!.resolve();
    await flush();
    expect(runs.map((r) => r.key)).toEqual(['a', 'b', 'c']);
  });

  it('rate-limits starts across keys', async () => {
    const clock = new FakeClock();
    const started: string[] = [];
    const queue = new WorkQueue(async (key) => void started.push(key), { backoff, concurrency: 10, ratePerSecond: 2, burst: 2, clock });
    for (const key of ['a', 'b', 'c', 'd', 'e']) queue.add(key);
    await flush();
    expect(started).toEqual(['a', 'b']);
    await clock.advance(500);
    expect(started).toEqual(['a', 'b', 'c']);
    await clock.advance(1000);
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('drains in-flight runs on shutdown and takes no more keys', async () => {
    const clock = new FakeClock();
    const { runs, handler } = controllable();
    const queue = new WorkQueue(handler, { backoff, concurrency: 1, clock });
    queue.add('a');
    queue.add('b');
    queue.addAfter('c', 1000);
    await flush();
    let done = false;
    const shutdown = queue.shutdown().then(() => (done = true));
    await flush();
    expect(done).toBe(false);
    runs[0]!.resolve();
    await shutdown;
    queue.add('d');
    await clock.advance(5000);
    expect(runs.map((r) => r.key)).toEqual(['a']);
  });
});
