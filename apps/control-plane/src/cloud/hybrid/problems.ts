import { Code, ConnectError } from '@connectrpc/connect';

/** A refused field: its proto path in snake_case (`hybrid_cloud_environment.configuration.namespace`) and why. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** Either the typed value or every field problem found. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

/** The refusal of a request as sent: every problem, each naming its field. */
export function invalidArgument(problems: readonly FieldProblem[], code: Code = Code.InvalidArgument): ConnectError {
  return new ConnectError(problems.map((p) => `${p.path}: ${p.message}`).join('; '), code);
}

/** The value, or the InvalidArgument refusal of its problems. */
export function valueOf<T>(checked: Checked<T>): T {
  if (!checked.ok) throw invalidArgument(checked.problems);
  return checked.value;
}

/** `base` and an index or key joined as proto paths are written: `tolerations[0].key`, `node_selector.zone`. */
export const at = (base: string, ...parts: ReadonlyArray<string | number>): string =>
  parts.reduce<string>((path, part) => (typeof part === 'number' ? `${path}[${part}]` : `${path}.${part}`), base);
