import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { createConnectRouter, type Interceptor } from '@connectrpc/connect';
import { compressionBrotli } from '@connectrpc/connect-node';
import { auditInterceptor } from './audit/interceptor.ts';
import { compressionGzipFast } from './compression.ts';
import { inProcessTransport, type InProcess } from './audit/in-process.ts';
import { authInterceptor, checkAccountFields } from './auth.ts';
import type { CloudDeps } from './context.ts';
import { errorInterceptor, toConnectError } from './errors.ts';
import { kindOf, writeRefusal } from './protocol.ts';
import { sendError } from './rest/gateway.ts';
import { restGateway } from './rest/index.ts';
import { handlersOf, serveRpc } from './rpc-adapter.ts';
import { CLOUD_SERVICES, registerCloudServices, type CloudService } from './services.ts';

/** Over TLS the server speaks HTTP/2 and HTTP/1.1 (ALPN); the compat API gives either kind of request. */
export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;
export type Handle = (req: AnyRequest, res: AnyResponse, requestId: string) => Promise<void>;

/** The largest request message read (gRPC, Connect, REST body), before it is parsed. */
export const READ_MAX_BYTES = 4 * 1024 * 1024;

/** How long a request body may take to arrive once its headers did (a slow body holds what it sent). */
export const BODY_TIMEOUT_MS = 30_000;

/** Connect's JSON as REST's: a field or enum name the message lacks is refused, not dropped (the echo would lose it). */
export const JSON_OPTIONS = { ignoreUnknownFields: false } as const;

/**
 * The one chain every call passes, whichever protocol brought it: errors outermost, then auth,
 * then the audit trail (which needs the caller; `inProcess` reaches the router for its Get calls).
 */
export const cloudInterceptors = (deps: CloudDeps, inProcess: () => InProcess): Interceptor[] => [
  errorInterceptor(deps.logger),
  authInterceptor(deps),
  auditInterceptor(deps, inProcess),
];

export interface CloudApi {
  /** Whether the Cloud API answers this request (before the console, which answers any other path). */
  matches(req: AnyRequest): boolean;
  handle: Handle;
  /** Answers `req` with `error` in its protocol's form, the request unread (a refusal at the entry). */
  refuse(req: AnyRequest, res: AnyResponse, error: unknown): void;
}

const QDRANT_CLOUD = '/qdrant.cloud.';
const pathOf = (req: AnyRequest) => (req.url ?? '/').split('?')[0]!;

/**
 * gRPC, gRPC-Web and Connect for the registered services, on the port of the console
 * and the agents. Plain HTTP serves Connect and gRPC-Web (HTTP/1.1); gRPC needs HTTP/2, which
 * the server offers only with TLS, as the official clients (Terraform, qcloud) always use.
 */
export function cloudApi(deps: CloudDeps, fallback: Handle, services: readonly CloudService[] = CLOUD_SERVICES, bodyTimeoutMs = BODY_TIMEOUT_MS): CloudApi {
  checkAccountFields(services.map((s) => s.service));
  const prefixes = services.map((s) => `/${s.service.typeName}/`);
  const routes = registerCloudServices(deps, services);
  let inProcess: InProcess | undefined;
  const interceptors = cloudInterceptors(deps, () => inProcess!);
  const router = createConnectRouter({
    interceptors,
    readMaxBytes: READ_MAX_BYTES,
    jsonOptions: JSON_OPTIONS,
    acceptCompression: [compressionGzipFast, compressionBrotli],
  });
  routes(router);
  const handlers = handlersOf(router);
  // The REST gateway calls the same router in process, so its calls pass the same interceptors.
  inProcess = inProcessTransport(handlers);
  const rest = restGateway(
    deps,
    services.map((s) => s.service),
    inProcess,
    { maxBytes: READ_MAX_BYTES, timeoutMs: bodyTimeoutMs },
  );
  const limits = { maxBytes: READ_MAX_BYTES, bodyTimeoutMs };
  return {
    // Every Qdrant Cloud service path, served or not: one not served yet answers as gRPC expects
    // (HTTP 404, read as Unimplemented), not with the console's page.
    matches: (req) => [...prefixes, QDRANT_CLOUD].some((p) => pathOf(req).startsWith(p)) || rest.matches(req),
    handle: (req, res, requestId) => {
      // An rpc's path first (one lookup): no REST template (`/api/…`) is an rpc's path, and
      // trying each template's pattern on every rpc cost more than the lookup.
      const handler = handlers.get(pathOf(req));
      if (handler) return serveRpc(deps, handler, req, res, limits);
      return rest.matches(req) ? rest.handle(req, res, requestId) : fallback(req, res, requestId);
    },
    refuse: (req, res, error) => {
      const handler = handlers.get(pathOf(req));
      const where = handler ? `${handler.service.typeName}/${handler.method.name}` : pathOf(req);
      if (handler) return writeRefusal(req, res, kindOf(req), toConnectError(error, where, deps.logger), false);
      sendError(res, error, where, deps);
    },
  };
}
