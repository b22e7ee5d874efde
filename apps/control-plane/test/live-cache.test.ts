// What a replica answers from memory: only while the revision feed is live and has been since the
// entry was stored, never a read that a notice overtook, and no more entries than its bound.
import { expect, it } from 'vitest';
import { LiveCache } from '../src/db/live-cache.ts';

const feed = () => ({ live: true, epoch: 1 });

/** A read the test finishes when it likes: what the database answered before or after a notice. */
function pendingRead<V>(): { read: () => Promise<V>; answer: (value: V) => void } {
  let answer!: (value: V) => void;
  const promise = new Promise<V>((resolve) => (answer = resolve));
  return { read: () => promise, answer };
}

it('an entry is used only while the feed is live, and not after a break (a new epoch) even once live again', async () => {
  const f = feed();
  const cache = new LiveCache<number>(f, 10);
  await cache.load('r', async () => 7);
  expect(cache.get('r')).toBe(7);
  f.live = false;
  expect(cache.get('r')).toBeUndefined();
  // Not kept while not live: a notice may be missed meanwhile.
  await cache.load('r', async () => 8);
  f.live = true;
  f.epoch++;
  expect(cache.get('r')).toBeUndefined();
  await cache.load('r', async () => 9);
  expect(cache.get('r')).toBe(9);
  f.epoch++;
  expect(cache.get('r')).toBeUndefined();
});

it("a read under way when the key is dropped (a notice came) is answered but not kept, unless it passes the notice's test", async () => {
  const cache = new LiveCache<number>(feed(), 10);
  const before = pendingRead<number>();
  const reading = cache.load('r', before.read);
  cache.drop('r');
  before.answer(1);
  expect(await reading).toBe(1);
  expect(cache.get('r')).toBeUndefined();
  // Unless its answer passes the notice's test (it read the change the notice tells).
  const after = pendingRead<number>();
  const afterReading = cache.load('r', after.read);
  cache.drop('r', (v) => v >= 3);
  after.answer(3);
  await afterReading;
  expect(cache.get('r')).toBe(3);
  const other = pendingRead<number>();
  const otherReading = cache.load('s', other.read);
  cache.dropWhere(() => false);
  other.answer(2);
  await otherReading;
  expect(cache.get('s')).toBeUndefined();
});

it('a read that began before the feed went live, or across a new epoch, is not kept', async () => {
  const f = { live: false, epoch: 1 };
  const cache = new LiveCache<number>(f, 10);
  const early = pendingRead<number>();
  const reading = cache.load('r', early.read);
  f.live = true;
  early.answer(1);
  await reading;
  expect(cache.get('r')).toBeUndefined();
  const across = pendingRead<number>();
  const acrossReading = cache.load('r', across.read);
  f.epoch++;
  across.answer(2);
  await acrossReading;
  expect(cache.get('r')).toBeUndefined();
});

it('drop keeps an entry its test allows, `keep` refuses values, and the least recently used entries go past the bound', async () => {
  const cache = new LiveCache<number>(feed(), 2);
  await cache.load('a', async () => 5);
  cache.drop('a', (v) => v >= 5);
  expect(cache.get('a')).toBe(5);
  cache.drop('a', (v) => v >= 6);
  expect(cache.get('a')).toBeUndefined();
  await cache.load(
    'x',
    async () => 1,
    () => false,
  );
  expect(cache.get('x')).toBeUndefined();
  await cache.load('a', async () => 1);
  await cache.load('b', async () => 2);
  expect(cache.get('a')).toBe(1);
  await cache.load('c', async () => 3);
  expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([1, undefined, 3, 2]);
});
