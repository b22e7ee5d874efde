import type { Problem } from '@qhc/schemas';

/** An error the API turns into an HTTP status with a JSON body naming the cause. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problems: readonly Problem[] | undefined;
  constructor(status: number, code: string, message: string, problems?: readonly Problem[]) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.problems = problems;
  }
}

export const notFound = (what: string) => new ApiError(404, 'NotFound', `${what} does not exist`);
export const conflict = (message: string) => new ApiError(409, 'Conflict', message);

/**
 * A region holding its most rows of a kind: a 409 on /api/v1 as before, and on the Cloud API
 * ResourceExhausted (a quota reached), not AlreadyExists, which would say the name is taken.
 */
export class LimitError extends ApiError {
  constructor(message: string) {
    super(409, 'Conflict', message);
    this.name = 'LimitError';
  }
}

/**
 * More requests wait for the database's connections than the replica lets wait (a flood): this
 * one is answered at once, 503 with Retry-After (Connect ResourceExhausted), rather than after a
 * long wait that delays the agents behind it. Nothing was read or changed.
 */
export class BusyError extends ApiError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(503, 'Busy', message);
    this.name = 'BusyError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
