import { expect } from 'vitest';
import type * as z from 'zod';

export interface FoundIssue {
  path: string;
  message: string;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : `${i === 0 ? '' : '.'}${String(segment)}`)).join('');
}

/** The problems safeParse reports, with dotted paths ("spec.tolerations[0].value"). */
export function issuesOf(schema: z.ZodType, value: unknown): FoundIssue[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/** Asserts that `value` fails with exactly one problem, at `path`, whose message matches. */
export function expectOnlyIssue(schema: z.ZodType, value: unknown, path: string, message: RegExp): void {
  const issues = issuesOf(schema, value);
  expect(issues, `issues of ${JSON.stringify(value)}`).toHaveLength(1);
  expect(issues[0]!.path).toBe(path);
  expect(issues[0]!.message).toMatch(message);
}

/** Asserts that `value` parses. */
export function expectValid(schema: z.ZodType, value: unknown): void {
  expect(issuesOf(schema, value)).toEqual([]);
}
