import { Code } from '@connectrpc/connect';
import { BusyError, LimitError, type ApiError } from '../errors.ts';

/** The HTTP status of a gRPC code, as google.rpc.Code documents it and grpc-gateway answers. */
export const HTTP_STATUS: Record<Code, number> = {
  [Code.Canceled]: 499,
  [Code.Unknown]: 500,
  [Code.InvalidArgument]: 400,
  [Code.DeadlineExceeded]: 504,
  [Code.NotFound]: 404,
  [Code.AlreadyExists]: 409,
  [Code.PermissionDenied]: 403,
  [Code.ResourceExhausted]: 429,
  [Code.FailedPrecondition]: 400,
  [Code.Aborted]: 409,
  [Code.OutOfRange]: 400,
  [Code.Unimplemented]: 501,
  [Code.Internal]: 500,
  [Code.Unavailable]: 503,
  [Code.DataLoss]: 500,
  [Code.Unauthenticated]: 401,
};

/** The gRPC code of the control plane's own errors (ApiError's HTTP status), for errors the repositories throw. */
export function codeOfApiError(error: ApiError): Code {
  if (error instanceof LimitError || error instanceof BusyError) return Code.ResourceExhausted;
  const byStatus: Record<number, Code> = {
    400: Code.InvalidArgument,
    401: Code.Unauthenticated,
    403: Code.PermissionDenied,
    404: Code.NotFound,
    409: Code.AlreadyExists,
    413: Code.ResourceExhausted,
    429: Code.ResourceExhausted,
    503: Code.Unavailable,
  };
  // Another 4xx is a refusal of the request as sent (a 422 from the store's checks); another 5xx, the server's.
  return byStatus[error.status] ?? (error.status < 500 ? Code.InvalidArgument : Code.Internal);
}
