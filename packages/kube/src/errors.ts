/** Which object a request was about, for error messages and logs. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
}

export function describeRef(ref: ObjectRef): string {
  const name = ref.name ? `${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}` : ref.namespace ? `(namespace ${ref.namespace})` : '(all)';
  return `${ref.kind} ${name}`;
}

/**
 * A request the apiserver refused or could not answer: the HTTP status, the Status
 * object's reason and message, and the object it was about.
 */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  readonly status: number;
  readonly reason: string | undefined;
  readonly details: unknown;
  readonly ref: ObjectRef | undefined;
  readonly method: string;

  constructor(options: { method: string; path: string; status: number; body: unknown; ref?: ObjectRef; cause?: unknown }) {
    const body = options.body as { message?: string; reason?: string; details?: unknown } | undefined;
    const what = options.ref ? describeRef(options.ref) : options.path;
    const message = body?.message ?? (typeof options.body === 'string' && options.body ? options.body : `HTTP ${options.status}`);
    super(`${options.method} ${what}: ${message}`, { cause: options.cause });
    this.status = options.status;
    this.reason = body?.reason;
    this.details = body?.details;
    this.ref = options.ref;
    this.method = options.method;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
  get isConflict(): boolean {
    return this.status === 409;
  }
  get isGone(): boolean {
    return this.status === 410;
  }
}

/** The apiserver could not be reached, or did not answer in time. */
export class KubeConnectionError extends Error {
  override readonly name = 'KubeConnectionError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
  }
}
