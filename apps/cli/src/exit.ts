/** Exit codes, documented in the README; scripts rely on them. */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  notFound: 3,
  timeout: 4,
  /** `qhc validate`: something is invalid. */
  invalid: 1,
} as const;

/** An error with its exit code and, where there is one, the fix. */
export class CliError extends Error {
  readonly code: number;
  readonly hint: string | undefined;
  constructor(message: string, options: { code?: number; hint?: string } = {}) {
    super(message);
    this.name = 'CliError';
    this.code = options.code ?? EXIT.error;
    this.hint = options.hint;
  }
}
