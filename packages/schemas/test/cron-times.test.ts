import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dueCronTime, nextCronTime } from '../src/index.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('nextCronTime', () => {
  it('finds the next fire time, strictly after the given one, in UTC', () => {
    expect(iso(nextCronTime('* * * * *', at('2026-12-01T10:00:00Z')))).toBe('2026-12-01T10:01:00.000Z');
    expect(iso(nextCronTime('* * * * *', at('2026-12-01T10:00:30Z')))).toBe('2026-12-01T10:01:00.000Z');
    expect(iso(nextCronTime('0 2 * * *', at('2026-12-01T10:00:00Z')))).toBe('2026-12-02T02:00:00.000Z');
    expect(iso(nextCronTime('*/15 * * * *', at('2026-12-01T10:16:00Z')))).toBe('2026-12-01T10:30:00.000Z');
    expect(iso(nextCronTime('30 4 1,15 * *', at('2026-12-01T05:00:00Z')))).toBe('2026-12-15T04:30:00.000Z');
    expect(iso(nextCronTime('0 0 * * 7', at('2026-12-01T00:00:00Z')))).toBe('2026-12-06T00:00:00.000Z');
    expect(iso(nextCronTime('0 0 1 1 *', at('2026-12-01T00:00:00Z')))).toBe('2027-01-01T00:00:00.000Z');
    expect(iso(nextCronTime('@daily', at('2026-12-31T23:59:59Z')))).toBe('2027-01-01T00:00:00.000Z');
    expect(iso(nextCronTime('0 0 29 2 *', at('2026-03-01T00:00:00Z')))).toBe('2028-02-29T00:00:00.000Z');
    expect(iso(nextCronTime('30 * * * * *', at('2026-12-01T10:00:30Z')))).toBe('2026-12-01T10:01:30.000Z');
    expect(nextCronTime('0 0 31 2 *', at('2026-01-01T00:00:00Z'))).toBeUndefined();
  });

  it("with both day fields restricted, fires when either matches (cron's rule)", () => {
    // The 13th, or any Friday: 2026-12-04 is a Friday.
    expect(iso(nextCronTime('0 0 13 * 5', at('2026-12-01T00:00:00Z')))).toBe('2026-12-04T00:00:00.000Z');
    expect(iso(nextCronTime('0 0 13 * *', at('2026-12-01T00:00:00Z')))).toBe('2026-12-13T00:00:00.000Z');
  });

  it('@every counts from its anchor', () => {
    const anchor = at('2026-12-01T10:00:07Z');
    expect(iso(nextCronTime('@every 2m', at('2026-12-01T10:03:00Z'), anchor))).toBe('2026-12-01T10:04:07.000Z');
    expect(iso(nextCronTime('@every 1h30m', anchor, anchor))).toBe('2026-12-01T11:30:07.000Z');
  });

  it('always moves forward, to a time the schedule matches, with no match skipped in between', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: at('2020-01-01T00:00:00Z'), max: at('2030-01-01T00:00:00Z') }),
        fc.constantFrom('*/7 * * * *', '0 */5 * * *', '15 3 * * 1-5', '0 0 1 * *'),
        (after, schedule) => {
          const next = nextCronTime(schedule, after)!;
          expect(next).toBeGreaterThan(after);
          // Minute steps between: none of them fires (checked against the next call).
          const minuteAfter = Math.floor(after / 60_000) * 60_000 + 60_000;
          if (next - minuteAfter <= 60 * 60_000)
            for (let t = minuteAfter; t < next; t += 60_000) expect(nextCronTime(schedule, t - 1)).toBeGreaterThanOrEqual(next);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('dueCronTime', () => {
  it('owes nothing before the next fire time', () => {
    expect(dueCronTime('* * * * *', at('2026-12-01T10:00:00Z'), at('2026-12-01T10:00:59Z'))).toBeUndefined();
  });

  it('owes the latest missed time once, however many were missed', () => {
    expect(dueCronTime('* * * * *', at('2026-12-01T10:00:00Z'), at('2026-12-01T10:01:00Z'))).toEqual({ at: at('2026-12-01T10:01:00Z'), missed: 0 });
    expect(dueCronTime('* * * * *', at('2026-12-01T10:00:00Z'), at('2026-12-01T10:03:30Z'))).toEqual({ at: at('2026-12-01T10:03:00Z'), missed: 2 });
    // Down for a month with a per-minute schedule: still one, the latest.
    expect(dueCronTime('* * * * *', at('2026-11-01T00:00:00Z'), at('2026-12-01T10:03:30Z'))?.at).toBe(at('2026-12-01T10:03:00Z'));
  });
});
