import { createContextKey, createContextValues, type ContextValues } from '@connectrpc/connect';
import type { AnyRequest } from '../transport.ts';

// The caller's network address, as the socket the request came on knows it. The control plane
// has no --trusted-proxies flag, so a client's X-Forwarded-For is never believed: what a client
// writes in a header is not where it is.

export const REMOTE_ADDRESS = createContextKey<string | undefined>(undefined, { description: "the caller's network address" });

/** The socket's peer address (an IPv4 peer of a dual-stack socket without its `::ffff:`). */
export function remoteAddressOf(req: AnyRequest): string | undefined {
  const address = req.socket?.remoteAddress;
  return address?.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}

/** The context values a call of `req` starts with. */
export function requestContext(req: AnyRequest): ContextValues {
  const values = createContextValues();
  values.set(REMOTE_ADDRESS, remoteAddressOf(req));
  return values;
}
