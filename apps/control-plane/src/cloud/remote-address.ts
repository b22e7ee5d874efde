import { createContextKey, type HandlerContext } from '@connectrpc/connect';

// Where a call came from (sign-in rate limits). gRPC/Connect calls carry their socket's address
// as a context value; the REST gateway's in-process calls cannot (context values do not cross a
// transport), so the gateway names it in a header it sets itself: a client's own header of that
// name is dropped by the gateway and ignored on direct calls, which have the context value.

export const REMOTE_ADDRESS = createContextKey<string | undefined>(undefined, { description: "the call's source address" });
export const REMOTE_ADDRESS_HEADER = 'x-qhc-remote-address';

export const remoteAddressOf = (ctx: Pick<HandlerContext, 'values' | 'requestHeader'>): string =>
  ctx.values.get(REMOTE_ADDRESS) ?? ctx.requestHeader.get(REMOTE_ADDRESS_HEADER) ?? 'unknown';
