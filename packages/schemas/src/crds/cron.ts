// Cron schedules as Qdrant's scheduled snapshots take them (UTC): five fields
// (minute hour day-of-month month day-of-week), an optional leading seconds field,
// the @yearly…@hourly descriptors, and "@every <duration>". The CRD's pattern only
// checks the shape; this checks ranges, so "61 * * * *" fails at apply time, not at 3 a.m.

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const SECOND: Field = { name: 'second', min: 0, max: 59 };
const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: DAYS },
];

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const EVERY = /^@every ((\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$/;

/** Why a schedule is not a valid cron expression, or undefined when it is. */
export function checkCronSchedule(schedule: string): string | undefined {
  const text = schedule.trim();
  if (text.startsWith('@')) {
    if (DESCRIPTORS.has(text)) return undefined;
    if (text === '@reboot') return '"@reboot" has no meaning for a backup schedule';
    const every = EVERY.exec(text);
    if (every) return durationSeconds(every[1]!) >= 60 ? undefined : '"@every" must be at least one minute';
    return `unknown descriptor ${JSON.stringify(text)}: use @yearly, @monthly, @weekly, @daily, @hourly or "@every 6h"`;
  }
  const parts = text.split(/\s+/);
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
    if (range === '*' || range === '?') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `${field.name} "${range}" is not a value or a range`;
    const values: number[] = [];
    for (const bound of bounds) {
      const value = valueOf(bound, field);
      if (value === undefined) return `${field.name} "${bound}" must be ${field.min}-${field.max}${field.names ? ` or a name such as ${field.names[0]}` : ''}`;
      values.push(value);
    }
    if (values.length === 2 && values[0]! > values[1]!) return `${field.name} range "${range}" runs backwards`;
  }
  return undefined;
}

function valueOf(text: string, field: Field): number | undefined {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    return value >= field.min && value <= field.max ? value : undefined;
  }
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index < 0) return undefined;
  return field.names === MONTHS ? index + 1 : index;
}

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

function durationSeconds(text: string): number {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(amount) * UNIT_SECONDS[unit!]!;
  return total;
}
