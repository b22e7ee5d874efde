import type { DescMessage, DescMethod } from '@bufbuild/protobuf';
import { Code, ConnectError, type ConnectRouter } from '@connectrpc/connect';
import { universalRequestFromNodeRequest, universalResponseToNodeResponse } from '@connectrpc/connect-node';
import type { UniversalHandler } from '@connectrpc/connect/protocol';
import { authenticateRequest, isPublic } from './auth.ts';
import { readBody } from './body.ts';
import { IDENTITY, type CloudDeps } from './context.ts';
import { toConnectError } from './errors.ts';
import { requestContext } from './remote-address.ts';
import { checkedBody, kindOf, writeRefusal } from './protocol.ts';
import type { AnyRequest, AnyResponse } from './transport.ts';
import { DEFAULT_WIRE_LIMITS, type WireLimits } from './wire-scan.ts';

// connect-node's adapter, with what it lacks for a public server: the credential is checked on
// the headers before any of the body is read, the body is read under a deadline, and the message
// is checked (depth, elements, fields) before it is decoded. The router (and so the protocols,
// interceptors and services) is connect's own.

export interface RpcLimits {
  /** The largest message, before and after decompression. */
  maxBytes: number;
  /** How long a request's body may take to arrive. */
  bodyTimeoutMs: number;
}

/** The request's headers as the interceptors see them (no HTTP/2 pseudo-headers). */
export function headersOf(req: AnyRequest): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

/** Whether a message can hold lists or maps (at any depth): one without them needs few elements. */
function hasLists(message: DescMessage, seen = new Set<string>()): boolean {
  if (seen.has(message.typeName)) return false;
  seen.add(message.typeName);
  return message.fields.some((f) => f.fieldKind === 'list' || f.fieldKind === 'map' || (f.fieldKind === 'message' && hasLists(f.message, seen)));
}

/** A method's bounds: a request without lists (a Get, a Delete) is a few fields, even when a client repeats one. */
export function wireLimitsOf(method: DescMethod): WireLimits {
  return hasLists(method.input) ? DEFAULT_WIRE_LIMITS : { ...DEFAULT_WIRE_LIMITS, maxElements: 1_000 };
}

async function* once(body: Uint8Array): AsyncIterable<Uint8Array> {
  yield body;
}

/** Serves one call of `handler`: headers, body, checks, then connect. */
export async function serveRpc(deps: CloudDeps, handler: UniversalHandler, req: AnyRequest, res: AnyResponse, limits: RpcLimits): Promise<void> {
  const kind = kindOf(req);
  let bodyRead = false;
  try {
    const contextValues = requestContext(req);
    const readRaw = () => readBody(req, { maxBytes: limits.maxBytes, framing: 5, timeoutMs: limits.bodyTimeoutMs });
    // A stranger's call costs one key lookup: nothing of its body is read (the connection closes).
    if (!isPublic(handler.method))
      contextValues.set(
        IDENTITY,
        await authenticateRequest(deps, headersOf(req)).catch(async (error: unknown) => {
          // Our failure (the database unavailable), not a refused credential: the body is read so
          // that the client, maybe still sending it, gets the answer rather than a broken pipe.
          if (!(error instanceof ConnectError && error.code === Code.Unauthenticated))
            bodyRead = await readRaw().then(
              () => true,
              () => false,
            );
          throw error;
        }),
      );
    const raw = await readRaw();
    bodyRead = true;
    const checked = checkedBody(req, kind, handler.method.input, raw, { ...wireLimitsOf(handler.method), maxBytes: limits.maxBytes });
    const uReq = universalRequestFromNodeRequest(req as never, res as never, undefined, contextValues);
    if (checked.decompressed) uReq.header.delete('content-encoding');
    const uRes = await handler({ ...uReq, body: once(checked.body) });
    // Done when the response is (as connect-node's adapter, whose writer may outlive it).
    const closed = new Promise<void>((resolve) => res.once('close', resolve));
    void universalResponseToNodeResponse(uRes, res as never).catch((error: unknown) =>
      deps.logger.debug('cloud api answer not written', { reason: String(error) }),
    );
    await closed;
  } catch (error) {
    writeRefusal(req, res, kind, toConnectError(error, `${handler.service.typeName}/${handler.method.name}`, deps.logger), bodyRead);
  }
}

/** The router's handlers by request path. */
export function handlersOf(router: Pick<ConnectRouter, 'handlers'>): Map<string, UniversalHandler> {
  return new Map(router.handlers.map((h) => [h.requestPath, h]));
}
