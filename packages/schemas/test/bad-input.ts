export interface BadInput {
  name: string;
  parse: (text: string) => unknown;
  text: string;
  /** formatPath() of the problem that must be reported. */
  path: string;
  /** 1-based line the problem must point at, where the text has one. */
  line?: number;
  message: RegExp;
}
