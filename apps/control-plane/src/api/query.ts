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

/** The one value of query parameter `name` (absent: undefined), or a 400 naming it when given twice. */
export function querySingle(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1)
    throw new ApiError(400, 'Invalid', `${name}: give it once (got ${values.length} values)`, [
      { path: [name], code: 'query', message: 'given more than once' },
    ]);
  return values[0];
}

/** The integer query parameter `name`, or a 400 naming it. */
export function queryInt(query: URLSearchParams, name: string, range: IntRange): number {
  const raw = querySingle(query, name);
  if (raw === undefined) return range.fallback;
  const parsed = z.string().regex(DECIMAL).transform(Number).pipe(z.int().min(range.min).max(range.max)).safeParse(raw);
  if (parsed.success) return parsed.data;
  const shown = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
  throw new ApiError(400, 'Invalid', `${name}: must be a whole number from ${range.min} to ${range.max} (got ${JSON.stringify(shown)})`, [
    { path: [name], code: 'query', message: `must be a whole number from ${range.min} to ${range.max}` },
  ]);
}
