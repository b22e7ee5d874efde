import * as z from 'zod';
import { ApiError } from '../errors.ts';

// Query parameters are text; `Number('abc')` is NaN, and NaN slips through Math.min/max and
// every comparison (a long-poll with `waitSeconds=abc` never ended: issue 19, finding 2). So a
// number in a query is parsed here, as a plain decimal integer within a range, or refused.

const DECIMAL = /^-?\d{1,16}$/;

export interface IntRange {
  min: number;
  max: number;
  /** When the parameter is absent. */
  fallback: number;
}

/** The integer query parameter `name`, or a 400 naming it. */
export function queryInt(query: URLSearchParams, name: string, range: IntRange): number {
  const raw = query.get(name);
  if (raw === null) return range.fallback;
  const parsed = z
    .string()
    .regex(DECIMAL)
    .transform(Number)
    .pipe(z.int().min(range.min).max(range.max))
    .safeParse(raw);
  if (parsed.success) return parsed.data;
  const shown = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
  throw new ApiError(400, 'Invalid', `${name}: must be a whole number from ${range.min} to ${range.max} (got ${JSON.stringify(shown)})`, [
    { path: [name], code: 'query', message: `must be a whole number from ${range.min} to ${range.max}` },
  ]);
}
