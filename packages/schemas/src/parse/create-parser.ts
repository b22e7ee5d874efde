import type * as z from 'zod';
import { issueMessage } from './messages.ts';
import { QhcSchemaError, withPosition, type Problem } from './problem.ts';
import { readSource } from './source.ts';
import { issuesToProblems, type Locate } from './to-problems.ts';

export interface ParseOptions {
  /** Where the text came from (a file name, "stdin", "region acme"), shown in the error. */
  source?: string;
}

export type SafeParseResult<T> = { success: true; data: T } | { success: false; error: QhcSchemaError };

export interface Parser<T> {
  /** YAML or JSON text in, typed value out; throws only {@link QhcSchemaError}. */
  parse(text: string, options?: ParseOptions): T;
  safeParse(text: string, options?: ParseOptions): SafeParseResult<T>;
  /** For values that are already objects (an API body, an informer event); no line numbers. */
  validate(value: unknown, options?: ParseOptions): T;
  safeValidate(value: unknown, options?: ParseOptions): SafeParseResult<T>;
}

/**
 * Builds the parse/validate quartet for one document type. Every problem is collected
 * (zod does not stop at the first), located in the source text, and thrown together.
 */
export function createParser<S extends z.ZodType>(schema: S, documentName: string): Parser<z.output<S>> {
  const check = (value: unknown, locate: Locate | undefined, options: ParseOptions): SafeParseResult<z.output<S>> => {
    let result: z.ZodSafeParseResult<z.output<S>>;
    try {
      result = schema.safeParse(value, { error: issueMessage, reportInput: false });
    } catch (error) {
      // A refinement that throws is a bug in a schema, but the caller's contract is "only
      // QhcSchemaError": report it as a problem with the document rather than crash.
      const problem: Problem = { path: [], code: 'internal', message: `could not be validated: ${error instanceof Error ? error.message : String(error)}` };
      return { success: false, error: new QhcSchemaError(documentName, [problem], options.source) };
    }
    if (result.success) return { success: true, data: result.data };
    const problems = issuesToProblems(result.error.issues, schema, locate);
    return { success: false, error: new QhcSchemaError(documentName, problems, options.source) };
  };

  const safeParse = (text: string, options: ParseOptions = {}): SafeParseResult<z.output<S>> => {
    if (typeof text !== 'string') {
      const problem: Problem = { path: [], code: 'document', message: `expected text, got ${typeof text}` };
      return { success: false, error: new QhcSchemaError(documentName, [problem], options.source) };
    }
    const read = readSource(text);
    if (!read.ok) {
      const problems = read.problems.map((p) => withPosition({ path: [], code: 'syntax', message: p.message }, p.position));
      return { success: false, error: new QhcSchemaError(documentName, problems, options.source) };
    }
    return check(read.document.value, read.document.locate, options);
  };

  const safeValidate = (value: unknown, options: ParseOptions = {}) => check(value, undefined, options);

  return {
    safeParse,
    safeValidate,
    parse(text, options) {
      const result = safeParse(text, options);
      if (!result.success) throw result.error;
      return result.data;
    },
    validate(value, options) {
      const result = safeValidate(value, options);
      if (!result.success) throw result.error;
      return result.data;
    },
  };
}
