import type { PathSegment, SourcePosition } from './source.ts';

/** One thing wrong with a document, located in the source text where possible. */
export interface Problem {
  /** Path to the offending value, e.g. ['settings', 'backOff', 'minDelay']. Empty for the whole document. */
  path: PathSegment[];
  message: string;
  /** A stable, machine-readable classifier (zod's issue code, or 'syntax' / 'immutable' / 'document'). */
  code: string;
  line?: number;
  column?: number;
}

/** `settings.backOff.minDelay`, `spec.tolerations[0].key`, or `(document)` for the root. */
export function formatPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return '(document)';
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function formatProblem(problem: Problem): string {
  const where = problem.line === undefined ? '' : ` (line ${problem.line}, column ${problem.column})`;
  return `${formatPath(problem.path)}${where}: ${problem.message}`;
}

/**
 * The one error type every qhc parser throws: all problems of a document at once,
 * each with its path and line:column, in a message a person can act on.
 */
export class QhcSchemaError extends Error {
  override readonly name = 'QhcSchemaError';
  readonly problems: readonly Problem[];
  /** What was being read, e.g. "operator settings" or "QdrantCluster". */
  readonly documentName: string;
  /** The file or origin the text came from, when the caller said. */
  readonly source: string | undefined;

  constructor(documentName: string, problems: readonly Problem[], source?: string) {
    const subject = source ? `${documentName} (${source})` : documentName;
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`${subject} is invalid: ${count}\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
    this.problems = problems;
    this.documentName = documentName;
    this.source = source;
  }
}

export function withPosition(problem: Omit<Problem, 'line' | 'column'>, position: SourcePosition | undefined): Problem {
  return position ? { ...problem, line: position.line, column: position.column } : problem;
}
