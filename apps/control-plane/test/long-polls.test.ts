import { expect, it, vi } from 'vitest';
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

it("wakes a region's waiting long-polls on its notice, keeps a notice that came before the wait, and wakes all on 'all'", async () => {
  const polls = new LongPolls();
  const open = new AbortController().signal;
  const r1 = polls.watch('r1');
  const r2 = polls.watch('r2');
  const waiting = r1.wait(3_600_000, open);
  await polls.parked('r1');
  polls.notify({ regionId: 'r1', revision: 2 });
  await waiting;
  // Between a look and the wait: kept, so the next wait ends at once.
  polls.notify({ regionId: 'r2', revision: 7 });
  await r2.wait(3_600_000, open);
  const both = [r1.wait(3_600_000, open), r2.wait(3_600_000, open)];
  await vi.waitFor(() => expect([polls.waiting('r1'), polls.waiting('r2')]).toEqual([1, 1]));
  polls.notify('all');
  await Promise.all(both);
  r1.close();
  r2.close();
  // Closed watches hear nothing more; a new one is not woken by notices from before it opened.
  polls.notify({ regionId: 'r1', revision: 3 });
  const late = polls.watch('r1');
  const ended = new AbortController();
  const lateWait = late.wait(3_600_000, ended.signal);
  await polls.parked('r1');
  expect(polls.waiting('r1')).toBe(1);
  ended.abort();
  await lateWait;
  late.close();
});
