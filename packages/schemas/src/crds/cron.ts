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
