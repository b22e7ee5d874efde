// Cron schedules as Qdrant's scheduled snapshots take them (UTC): five fields
// (minute hour day-of-month month day-of-week), an optional leading seconds field,
// the @yearly…@hourly descriptors, and "@every <duration>". Upstream's CRD pattern only
// checks the shape (numbers, "*", ",", "-" and "/"; no names such as MON); this checks
// the values too, so "61 * * * *" fails at apply time, not at 3 a.m.

interface Field {
  name: string;
  min: number;
  max: number;
}

const SECOND: Field = { name: 'second', min: 0, max: 59 };
const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
];

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly']);
const EVERY = /^@every ((\d+(ns|us|µs|ms|s|m|h))+)$/;

/** Why a schedule is not a valid cron expression, or undefined when it is. */
export function checkCronSchedule(schedule: string): string | undefined {
  if (schedule !== schedule.trim()) return 'must not start or end with spaces';
  if (schedule.startsWith('@')) {
    if (DESCRIPTORS.has(schedule)) return undefined;
    if (schedule === '@reboot') return '"@reboot" has no meaning for a backup schedule';
    const every = EVERY.exec(schedule);
    if (every) return durationSeconds(every[1]!) >= 60 ? undefined : '"@every" must be at least one minute';
    return `unknown descriptor ${JSON.stringify(schedule)}: use @yearly, @monthly, @weekly, @daily, @hourly or "@every 6h"`;
  }
  const parts = schedule.split(' ');
  if (parts.includes('')) return 'must separate fields with single spaces';
  if (parts.length !== 5 && parts.length !== 6) {
    return `must have 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`;
  }
  const fields = parts.length === 6 ? [SECOND, ...FIELDS] : FIELDS;
  for (const [index, part] of parts.entries()) {
    const problem = checkField(part, fields[index]!);
    if (problem) return problem;
  }
  return undefined;
}

function checkField(part: string, field: Field): string | undefined {
  for (const item of part.split(',')) {
    const [range = '', step, ...extra] = item.split('/');
    if (extra.length > 0) return `${field.name} "${item}" has more than one "/"`;
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `${field.name} step "${step}" must be a positive number`;
    if (range === '*') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `${field.name} "${range}" is not a value or a range`;
    const values: number[] = [];
    for (const bound of bounds) {
      const value = /^\d+$/.test(bound) ? Number(bound) : Number.NaN;
      if (!(value >= field.min && value <= field.max)) {
        return `${field.name} "${bound}" must be ${field.min}-${field.max}`;
      }
      values.push(value);
    }
    if (values.length === 2 && values[0]! > values[1]!) return `${field.name} range "${range}" runs backwards`;
  }
  return undefined;
}

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

function durationSeconds(text: string): number {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(amount) * UNIT_SECONDS[unit!]!;
  return total;
}

const DESCRIPTOR_FIELDS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface Matcher {
  seconds: Set<number>;
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Both day fields restricted: either may match (cron's rule); otherwise both must. */
  eitherDay: boolean;
}

function expand(part: string, field: Field): Set<number> {
  const values = new Set<number>();
  for (const item of part.split(',')) {
    const [range = '*', stepText] = item.split('/');
    const step = stepText ? Number(stepText) : 1;
    const [from, to] =
      range === '*' ? [field.min, field.max] : range.includes('-') ? range.split('-').map(Number) : [Number(range), stepText ? field.max : Number(range)];
    for (let v = from!; v <= to!; v += step) values.add(v);
  }
  return values;
}

function matcher(schedule: string): Matcher {
  const text = DESCRIPTOR_FIELDS[schedule] ?? schedule;
  const parts = text.split(' ');
  const [second, rest] = parts.length === 6 ? [parts[0]!, parts.slice(1)] : ['0', parts];
  const [minute, hour, day, month, weekday] = rest as [string, string, string, string, string];
  const weekdays = expand(weekday, FIELDS[4]!);
  if (weekdays.has(7)) weekdays.add(0);
  return {
    seconds: expand(second, SECOND),
    minutes: expand(minute, FIELDS[0]!),
    hours: expand(hour, FIELDS[1]!),
    days: expand(day, FIELDS[2]!),
    months: expand(month, FIELDS[3]!),
    weekdays,
    eitherDay: !day.startsWith('*') && !weekday.startsWith('*'),
  };
}

/**
 * The first time (epoch ms, UTC) strictly after `afterMs` at which a valid schedule fires.
 * `@every <d>` fires at anchor + k·d. Undefined when it never fires within five years
 * (e.g. "0 0 31 2 *").
 */
export function nextCronTime(schedule: string, afterMs: number, anchorMs = 0): number | undefined {
  const every = EVERY.exec(schedule);
  if (every) {
    const period = durationSeconds(every[1]!) * 1000;
    return anchorMs + (Math.floor((afterMs - anchorMs) / period) + 1) * period;
  }
  const m = matcher(schedule);
  const t = new Date(Math.floor(afterMs / 1000) * 1000 + 1000);
  const limit = afterMs + 5 * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!m.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    const dayOk = m.days.has(t.getUTCDate());
    const weekdayOk = m.weekdays.has(t.getUTCDay());
    if (!(m.eitherDay ? dayOk || weekdayOk : dayOk && weekdayOk)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!m.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!m.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    if (!m.seconds.has(t.getUTCSeconds())) {
      t.setUTCSeconds(t.getUTCSeconds() + 1, 0);
      continue;
    }
    return t.getTime();
  }
  return undefined;
}

/**
 * What a schedule owes at `nowMs` since its last run: the latest fire time in
 * (lastRunMs, nowMs] (the one catch-up) and how many earlier ones it stands for.
 */
export function dueCronTime(schedule: string, lastRunMs: number, nowMs: number, anchorMs = 0): { at: number; missed: number } | undefined {
  let at = nextCronTime(schedule, lastRunMs, anchorMs);
  if (at === undefined || at > nowMs) return undefined;
  let missed = 0;
  // Bounded: a schedule down for long enough is fast-forwarded to the last week.
  for (let i = 0; ; i++) {
    const next: number | undefined =
      i === 10_000 ? nextCronTime(schedule, Math.max(at, nowMs - 7 * 86_400_000), anchorMs) : nextCronTime(schedule, at, anchorMs);
    if (next === undefined || next > nowMs) return { at, missed };
    at = next;
    missed++;
  }
}
