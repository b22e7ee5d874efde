import { Code, ConnectError, type Interceptor } from '@connectrpc/connect';
import type { Logger } from '@qhc/kube';
import { ApiError, BusyError } from '../errors.ts';
import { codeOfApiError } from './codes.ts';

/** A ConnectError from what a service threw: the control plane's ApiErrors keep their message; anything else is logged and told as "internal error". */
export function toConnectError(error: unknown, method: string, logger: Logger): ConnectError {
  if (error instanceof ConnectError) {
    if (error.code === Code.Internal || error.code === Code.Unknown) logger.error('cloud api call failed', { method, error: error.message });
    // As /api/v1 does: refused credentials are an operator's concern (the messages never hold a key).
    if (error.code === Code.Unauthenticated || error.code === Code.PermissionDenied)
      logger.warn('cloud api call refused', { method, reason: error.rawMessage });
    return error;
  }
  // Counted (db.stats.busy) and told once a while by the pool, not once per refused call of a flood.
  if (error instanceof BusyError) return new ConnectError(error.message, Code.ResourceExhausted, { 'retry-after': String(error.retryAfterSeconds) });
  if (error instanceof ApiError) {
    if (error.status >= 500) logger.error('cloud api call failed', { method, status: error.status, error: error.message });
    return new ConnectError(error.message, codeOfApiError(error));
  }
  logger.error('cloud api call failed', {
    method,
    error: error instanceof Error ? error.message : String(error),
    ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
  });
  // The message may name internals (SQL, hosts): the client gets none of it.
  return new ConnectError('internal error', Code.Internal);
}

/** Outermost: every error leaves as a ConnectError with a code the client can act on. */
export function errorInterceptor(logger: Logger): Interceptor {
  return (next) => async (req) => {
    try {
      return await next(req);
    } catch (error) {
      throw toConnectError(error, `${req.service.typeName}/${req.method.name}`, logger);
    }
  };
}
