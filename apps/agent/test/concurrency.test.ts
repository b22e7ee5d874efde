import { describe, expect, it } from 'vitest';
import { forEachBounded } from '../src/concurrency.ts';

/** A promise settled from outside: the test decides when each piece of work ends. */
const deferred = () => {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((ok, fail) => ((resolve = ok), (reject = fail)));
  return { promise, resolve, reject };
};

describe('forEachBounded', () => {
  it('runs at most `limit` at once, starting the next as one ends', async () => {
    const work = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    const done = forEachBounded([0, 1, 2, 3, 4], 2, (i) => (started.push(i), work[i]!.promise));
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    work[1]!.resolve();
    await new Promise(setImmediate);
    expect(started).toEqual([0, 1, 2]);
    for (const w of work) w.resolve();
    await done;
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('tries every item when one fails, then throws the failure', async () => {
    const seen: number[] = [];
    const run = forEachBounded([0, 1, 2, 3], 2, async (i) => {
      seen.push(i);
      if (i === 1) throw new Error('cluster 1 refused');
    });
    await expect(run).rejects.toThrow('cluster 1 refused');
    expect(seen).toEqual([0, 1, 2, 3]);
    await expect(forEachBounded([0, 1], 1, () => Promise.reject(new Error('no')))).rejects.toThrow('2 applies failed: no; no');
  });

  it('names every failure, not only the first (each is another cluster the region did not get)', async () => {
    const run = forEachBounded(['a', 'b', 'c'], 2, async (name) => {
      throw new Error(`QdrantCluster ${name} refused`);
    });
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors).toHaveLength(3);
    for (const name of ['a', 'b', 'c']) expect((error as Error).message).toContain(`QdrantCluster ${name} refused`);
  });

  it('counts a work that throws before returning its promise as that item failing, the others still tried', async () => {
    const seen: number[] = [];
    const run = forEachBounded([0, 1, 2], 1, (i) => {
      seen.push(i);
      if (i === 0) throw new Error('thrown at once');
      return Promise.resolve();
    });
    await expect(run).rejects.toThrow('thrown at once');
    expect(seen).toEqual([0, 1, 2]);
  });
});
