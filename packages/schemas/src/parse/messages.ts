import type * as z from 'zod';
import { closestMatch } from './suggest.ts';

type RawIssue = z.core.$ZodRawIssue;

/** "string \"abc\"", "number 5", "an object": what a person typed, in a few words. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return value instanceof Date ? `date ${value.toISOString()}` : 'a mapping';
    default:
      return typeof value;
  }
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  null: 'null',
};

function quoteAll(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/**
 * zod's per-parse error map. Messages a schema sets itself take precedence over these
 * (zod's rule), so every refinement keeps its own wording; these cover the generic cases.
 */
export function issueMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is required';
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      let message = `expected ${expected}, got ${describeValue(issue.input)}`;
      if (issue.expected === 'string' && typeof issue.input === 'number') {
        message += ' (quote it in YAML to keep it a string)';
      }
      return message;
    }
    case 'invalid_value': {
      const values = issue.values;
      let message = values.length === 1 ? `must be ${JSON.stringify(values[0])}` : `must be one of ${quoteAll(values)}`;
      message += `, got ${describeValue(issue.input)}`;
      if (typeof issue.input === 'string') {
        const suggestion = closestMatch(
          issue.input,
          values.filter((v): v is string => typeof v === 'string'),
        );
        if (suggestion) message += `; did you mean ${JSON.stringify(suggestion)}?`;
      }
      return message;
    }
    case 'too_small': {
      const min = String(issue.minimum);
      const op = issue.inclusive === false ? 'more than' : 'at least';
      switch (issue.origin) {
        case 'string':
          return issue.minimum === 1 ? 'must not be empty' : `must be ${op} ${min} characters long`;
        case 'array':
        case 'set':
          return `must have ${op} ${min} item${min === '1' ? '' : 's'}`;
        default:
          return `must be ${issue.inclusive === false ? 'greater than' : 'at least'} ${min}, got ${describeValue(issue.input)}`;
      }
    }
    case 'too_big': {
      const max = String(issue.maximum);
      switch (issue.origin) {
        case 'string':
          return `must be at most ${max} characters long`;
        case 'array':
        case 'set':
          return `must have at most ${max} items`;
        default:
          return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${max}, got ${describeValue(issue.input)}`;
      }
    }
    case 'invalid_format': {
      const got = describeValue(issue.input);
      if (issue.format === 'regex' && 'pattern' in issue && issue.pattern) {
        return `must match the pattern ${String(issue.pattern)}, got ${got}`;
      }
      return `must be a valid ${issue.format}, got ${got}`;
    }
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_key':
      return `has an invalid key ${describeValue(issue.input)}`;
    default:
      return undefined;
  }
}
