import { expect, it } from 'vitest';
import { RenderedStates, type Rendered } from '../src/repositories/rendered-states.ts';

/** A renderer counting its calls, answering the region's current revision. */
function renderer(current: Map<string, number>) {
  const calls: string[] = [];
  const render = (regionId: string) => async (): Promise<Rendered> => {
    calls.push(regionId);
    const revision = current.get(regionId)!;
    return { revision, own: JSON.stringify({ regionId, revision }) };
  };
  return { calls, render };
}

it('renders a region once per revision, again when the revision moves, and never answers older than the revision asked', async () => {
  const current = new Map([['r1', 1]]);
  const { calls, render } = renderer(current);
  const cache = new RenderedStates(10);
  expect((await cache.get('r1', 1, render('r1'))).revision).toBe(1);
  expect((await cache.get('r1', 1, render('r1'))).revision).toBe(1);
  expect(calls).toEqual(['r1']);
  current.set('r1', 2);
  expect((await cache.get('r1', 2, render('r1'))).revision).toBe(2);
  expect(calls).toEqual(['r1', 'r1']);
  // A caller that read revision 1 before the move may get revision 2: newer, never older.
  expect((await cache.get('r1', 1, render('r1'))).revision).toBe(2);
  expect(calls).toHaveLength(2);
});

it('shares one rendering between concurrent answers of a region, and keeps at most maxRegions regions, least recently answered out first', async () => {
  const current = new Map([
    ['a', 1],
    ['b', 1],
    ['c', 1],
  ]);
  const { calls, render } = renderer(current);
  const cache = new RenderedStates(2);
  await Promise.all([cache.get('a', 1, render('a')), cache.get('a', 1, render('a'))]);
  expect(calls).toEqual(['a']);
  await cache.get('b', 1, render('b'));
  await cache.get('a', 1, render('a'));
  await cache.get('c', 1, render('c'));
  expect(cache.size).toBe(2);
  await cache.get('a', 1, render('a'));
  expect(calls).toEqual(['a', 'b', 'c']);
  await cache.get('b', 1, render('b'));
  expect(calls).toEqual(['a', 'b', 'c', 'b']);
});
