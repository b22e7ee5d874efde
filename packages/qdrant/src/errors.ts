// Qdrant's client throws three shapes of error (an HTTP error with Qdrant's body, a timeout,
// a network failure); callers want one sentence that names the cause.

export type DrainFailure = 'Unreachable' | 'Refused' | 'TransferFailed' | 'TransferTimeout' | 'Timeout' | 'NoTarget' | 'PeerUnknown';

export class QdrantOperationError extends Error {
  readonly reason: DrainFailure;
  constructor(reason: DrainFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QdrantOperationError';
    this.reason = reason;
  }
}

/** The HTTP status of a failed client call, when it got that far. */
export function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** "POST /collections/c/cluster: 400 Bad request: …" rather than the client's multi-line dump. */
export function describeQdrantError(what: string, error: unknown): string {
  const status = httpStatusOf(error);
  if (status !== undefined) {
    const body = (error as { data?: { status?: { error?: string } } }).data;
    return `${what}: HTTP ${status}${body?.status?.error ? ` ${body.status.error}` : ''}`;
  }
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'QdrantClientTimeoutError') return `${what}: no answer (request timed out)`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return `${what}: ${e?.message ?? String(error)}${cause ? ` (${cause})` : ''}`;
}

/** Wraps a client call so its failure names the request and the cause. */
export async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const status = httpStatusOf(error);
    throw new QdrantOperationError(status !== undefined && status < 500 ? 'Refused' : 'Unreachable', describeQdrantError(what, error), { cause: error });
  }
}
