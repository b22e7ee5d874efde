import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { createRouterTransport, type Interceptor } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { authInterceptor, checkAccountFields } from './auth.ts';
import type { CloudDeps } from './context.ts';
import { errorInterceptor } from './errors.ts';
import { restGateway } from './rest/index.ts';
import { CLOUD_SERVICES, registerCloudServices, type CloudService } from './services.ts';

/** Over TLS the server speaks HTTP/2 and HTTP/1.1 (ALPN); the compat API gives either kind of request. */
export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;
export type Handle = (req: AnyRequest, res: AnyResponse, requestId: string) => Promise<void>;

/** The largest request message read (gRPC, Connect, REST body), before it is parsed. */
export const READ_MAX_BYTES = 4 * 1024 * 1024;

/** The one chain every call passes, whichever protocol brought it: errors outermost, then auth. */
export const cloudInterceptors = (deps: CloudDeps): Interceptor[] => [errorInterceptor(deps.logger), authInterceptor(deps)];

export interface CloudApi {
  /** Whether the Cloud API answers this request (before the console, which answers any other path). */
  matches(req: AnyRequest): boolean;
  handle: Handle;
}

const QDRANT_CLOUD = '/qdrant.cloud.';
const pathOf = (req: AnyRequest) => (req.url ?? '/').split('?')[0]!;

/**
 * gRPC, gRPC-Web and Connect for the registered services, on the port of /api/v1, the console
 * and the agents. Plain HTTP serves Connect and gRPC-Web (HTTP/1.1); gRPC needs HTTP/2, which
 * the server offers only with TLS, as the official clients (Terraform, qcloud) always use.
 */
export function cloudApi(deps: CloudDeps, fallback: Handle, services: readonly CloudService[] = CLOUD_SERVICES): CloudApi {
  checkAccountFields(services.map((s) => s.service));
  const prefixes = services.map((s) => `/${s.service.typeName}/`);
  const routes = registerCloudServices(deps, services);
  // The REST gateway calls the same router in process, so its calls pass the same interceptors.
  const inProcess = createRouterTransport(routes, { router: { interceptors: cloudInterceptors(deps), readMaxBytes: READ_MAX_BYTES } });
  const rest = restGateway(
    deps,
    services.map((s) => s.service),
    inProcess,
    READ_MAX_BYTES,
  );
  // The request whose path the adapter does not serve (an unknown method) goes to the other API, with its id.
  const fallbacks = new WeakMap<AnyRequest, () => void>();
  const adapter = connectNodeAdapter({
    routes,
    interceptors: cloudInterceptors(deps),
    readMaxBytes: READ_MAX_BYTES,
    fallback: (req) => fallbacks.get(req)?.(),
  });
  return {
    // Every Qdrant Cloud service path, served or not: one not served yet answers as gRPC expects
    // (HTTP 404, read as Unimplemented), not with the console's page.
    matches: (req) => [...prefixes, QDRANT_CLOUD].some((p) => pathOf(req).startsWith(p)) || rest.matches(req),
    handle: (req, res, requestId) =>
      rest.matches(req)
        ? rest.handle(req, res, requestId)
        : new Promise<void>((resolve, reject) => {
            let fellBack = false;
            fallbacks.set(req, () => {
              fellBack = true;
              fallback(req, res, requestId).then(resolve, reject);
            });
            // A call is done when its response is: the adapter tells no more.
            res.once('close', () => fellBack || resolve());
            adapter(req, res);
          }),
  };
}
