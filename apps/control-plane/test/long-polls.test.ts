import { expect, it } from 'vitest';
import { LongPolls } from '../src/api/long-polls.ts';

it('tells when a long-poll of a region is parked, counts them, and lets an ended request go at once', async () => {
  const polls = new LongPolls();
  const parked = polls.parked('r1');
  const ended = new AbortController();
  const waiting = polls.park('r1', 60_000, ended.signal);
  await parked;
  expect([polls.waiting('r1'), polls.waiting('r2')]).toEqual([1, 0]);
  // Already parked: resolves at once.
  await polls.parked('r1');
  ended.abort();
  await waiting;
  expect(polls.waiting('r1')).toBe(0);
});
