import { createContextKey, createContextValues, type ContextValues, type HandlerContext } from '@connectrpc/connect';
import type { AnyRequest } from './transport.ts';

// Where a call came from (sign-in rate limits, the audit log), as the socket the request came on
// knows it. The control plane has no --trusted-proxies flag, so a client's X-Forwarded-For is
// never believed: what a client writes in a header is not where it is. gRPC/Connect calls and
// the REST gateway's in-process calls both carry it as a context value.

export const REMOTE_ADDRESS = createContextKey<string | undefined>(undefined, { description: "the caller's network address" });

/** The socket's peer address (an IPv4 peer of a dual-stack socket without its `::ffff:`). */
export function socketAddressOf(req: AnyRequest): string | undefined {
  const address = req.socket?.remoteAddress;
  return address?.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}

/** The context values a call of `req` starts with. */
export function requestContext(req: AnyRequest): ContextValues {
  const values = createContextValues();
  values.set(REMOTE_ADDRESS, socketAddressOf(req));
  return values;
}

/** The caller's address in a handler; 'unknown' for a call that came on no socket. */
export const remoteAddressOf = (ctx: Pick<HandlerContext, 'values'>): string => ctx.values.get(REMOTE_ADDRESS) ?? 'unknown';
