import { Code, ConnectError } from '@connectrpc/connect';

/** A refused field: its proto path in snake_case (`hybrid_cloud_environment.configuration.namespace`) and why. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** Either the typed value or every field problem found. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

/** At most this many problems are told, each at most MAX_PROBLEM_CHARS: a gRPC status message travels in a header. */
export const MAX_PROBLEMS = 20;
export const MAX_PROBLEM_CHARS = 300;

/** `path: message` lines joined, the first MAX_PROBLEMS of them, each cut to MAX_PROBLEM_CHARS, and how many more there were. */
export function problemsText(lines: readonly string[]): string {
  const told = lines.slice(0, MAX_PROBLEMS).map((line) => (line.length > MAX_PROBLEM_CHARS ? `${line.slice(0, MAX_PROBLEM_CHARS - 1)}…` : line));
  return told.join('; ') + (lines.length > MAX_PROBLEMS ? `; …and ${lines.length - MAX_PROBLEMS} more` : '');
}

/** The refusal of a request as sent: its problems, each naming its field. */
export function invalidArgument(problems: readonly FieldProblem[], code: Code = Code.InvalidArgument): ConnectError {
  return new ConnectError(problemsText(problems.map((p) => `${p.path}: ${p.message}`)), code);
}

/** The value, or the InvalidArgument refusal of its problems. */
export function valueOf<T>(checked: Checked<T>): T {
  if (!checked.ok) throw invalidArgument(checked.problems);
  return checked.value;
}

/** `base` and an index or key joined as proto paths are written: `tolerations[0].key`, `node_selector.zone`. */
export const at = (base: string, ...parts: ReadonlyArray<string | number>): string =>
  parts.reduce<string>((path, part) => (typeof part === 'number' ? `${path}[${part}]` : `${path}.${part}`), base);
