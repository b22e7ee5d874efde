import type { ContextValues, Transport } from '@connectrpc/connect';
import { Code, ConnectError } from '@connectrpc/connect';
import type { UniversalClientRequest, UniversalHandler } from '@connectrpc/connect/protocol';
import { createTransport } from '@connectrpc/connect/protocol-connect';

// Calls of the Cloud API's router from inside the control plane (the REST gateway; the audit's
// look at an object before it changes), with context values the handlers see: connect's own
// router transport starts every call with empty ones.

/** A transport whose calls reach `handlers` with `contextValues`. */
export type InProcess = (contextValues?: ContextValues) => Transport;

const UNBOUNDED = Number.MAX_SAFE_INTEGER;

export function inProcessTransport(handlers: ReadonlyMap<string, UniversalHandler>): InProcess {
  return (contextValues) =>
    createTransport({
      httpClient: async (req: UniversalClientRequest) => {
        const handler = handlers.get(new URL(req.url).pathname);
        if (!handler) throw new ConnectError(`no handler for ${new URL(req.url).pathname}`, Code.Unimplemented);
        const res = await handler({
          body: req.body ?? (async function* () {})(),
          httpVersion: '2.0',
          method: req.method,
          url: req.url,
          header: req.header,
          signal: req.signal ?? new AbortController().signal,
          ...(contextValues ? { contextValues } : {}),
        });
        return { status: res.status, header: new Headers(res.header), trailer: new Headers(res.trailer), body: res.body ?? (async function* () {})() };
      },
      baseUrl: 'https://in-process',
      useBinaryFormat: true,
      interceptors: [],
      acceptCompression: [],
      sendCompression: null,
      compressMinBytes: UNBOUNDED,
      readMaxBytes: UNBOUNDED,
      writeMaxBytes: UNBOUNDED,
    });
}
