import * as z from 'zod';

// Free-form JSON (a Kubernetes object's status, a condition message) taken from a client is
// bounded before zod, JSON.stringify or the database see it: an agent token could otherwise
// store a value nested 4,000 deep that made every later list of regions burn CPU, or blow
// the stack. The walk uses an explicit stack and stops at the first bound crossed, so a
// hostile value costs at most its bounds.

export interface JsonBounds {
  /** Nesting of objects and arrays; the value itself is depth 0. */
  maxDepth: number;
  /** Keys of any one object. */
  maxKeys: number;
  /** Elements of any one array. */
  maxItems: number;
  /** Characters of any one string (keys included). */
  maxStringLength: number;
  /** Characters of the whole value serialised as JSON (an estimate that never under-counts by much). */
  maxSize: number;
}

export interface JsonBoundsProblem {
  path: Array<string | number>;
  message: string;
}

type Frame = { value: unknown; path: Array<string | number> };

function scalarSize(value: unknown): number {
  if (typeof value === 'string') return value.length + 2;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).length;
  return 4; // null
}

/** The first bound `value` crosses, with the path where; undefined when it is within all of them. */
export function checkJsonBounds(value: unknown, bounds: JsonBounds): JsonBoundsProblem | undefined {
  const stack: Frame[] = [{ value, path: [] }];
  let size = 0;
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string' && v.length > bounds.maxStringLength)
      return { path, message: `is ${v.length} characters long, more than the ${bounds.maxStringLength} allowed` };
    if (v === null || typeof v !== 'object') {
      if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) return { path, message: `is not a JSON value (${typeof v})` };
      size += scalarSize(v);
    } else {
      if (path.length >= bounds.maxDepth) return { path, message: `nests objects or arrays more than ${bounds.maxDepth} levels deep` };
      if (Array.isArray(v)) {
        if (v.length > bounds.maxItems) return { path, message: `has ${v.length} items, more than the ${bounds.maxItems} allowed` };
        size += 2 + v.length;
        for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i] });
      } else {
        const keys = Object.keys(v);
        if (keys.length > bounds.maxKeys) return { path, message: `has ${keys.length} keys, more than the ${bounds.maxKeys} allowed` };
        size += 2;
        for (let i = keys.length - 1; i >= 0; i--) {
          const key = keys[i]!;
          if (key.length > bounds.maxStringLength)
            return { path: [...path, key.slice(0, 64)], message: `is a key ${key.length} characters long, more than the ${bounds.maxStringLength} allowed` };
          size += key.length + 4;
          stack.push({ value: (v as Record<string, unknown>)[key], path: [...path, key] });
        }
      }
    }
    if (size > bounds.maxSize) return { path, message: `makes the value larger than the ${bounds.maxSize} characters allowed` };
  }
  return undefined;
}

/** Bounds for one free-form Kubernetes object or status: deep enough for any real one. */
export const KUBERNETES_OBJECT_BOUNDS: JsonBounds = { maxDepth: 24, maxKeys: 256, maxItems: 1024, maxStringLength: 32_768, maxSize: 256 * 1024 };

/** Any JSON value within `bounds`, checked without recursion and before anything else walks it. */
export function boundedJson(bounds: JsonBounds = KUBERNETES_OBJECT_BOUNDS) {
  return z.unknown().superRefine((value, ctx) => {
    const problem = checkJsonBounds(value, bounds);
    if (problem) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
  });
}

/** A JSON object (string keys) within `bounds`. */
export function boundedJsonObject(bounds: JsonBounds = KUBERNETES_OBJECT_BOUNDS) {
  return withJsonBounds(z.record(z.string(), z.unknown()), bounds);
}

/** `schema`, run only on a value within `bounds`: the typed parse never sees a hostile shape. */
export function withJsonBounds<T extends z.ZodType>(schema: T, bounds: JsonBounds) {
  return boundedJson(bounds).pipe(schema);
}
