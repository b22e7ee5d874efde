import type { DescService } from '@bufbuild/protobuf';
import { Code } from '@connectrpc/connect';
import type { InProcess } from '../audit/in-process.ts';
import type { BodyLimits } from '../body.ts';
import type { CloudDeps } from '../context.ts';
import type { AnyRequest, Handle } from '../transport.ts';
import { invoke, send, sendError, StatusError } from './gateway.ts';
import { openApiDocument } from './openapi.ts';
import { restRoutes, routeFor } from './routes.ts';

export const OPENAPI_PATH = '/api/openapi.json';

export interface RestGateway {
  /** Whether a route's template (of any verb) or the OpenAPI document is at this path. */
  matches(req: AnyRequest): boolean;
  handle: Handle;
}

const notAllowed = (verb: string, path: string, verbs: string[]) =>
  new StatusError(`${verb} is not allowed on ${path}; use ${[...new Set(verbs)].join(', ')}`, Code.Unimplemented, 405);

const urlOf = (req: AnyRequest) => new URL(req.url ?? '/', 'http://localhost');

/** The REST routes of `services`, answered by calling `transport` (the Cloud API's router, in process). */
export function restGateway(deps: CloudDeps, services: readonly DescService[], transport: InProcess, limits: BodyLimits): RestGateway {
  const routes = restRoutes(services);
  let document: unknown;
  return {
    matches(req) {
      const path = urlOf(req).pathname;
      return path === OPENAPI_PATH || routes.some((r) => r.pattern.test(path));
    },
    async handle(req, res) {
      const url = urlOf(req);
      const verb = (req.method ?? 'GET').toUpperCase();
      if (url.pathname === OPENAPI_PATH) {
        if (verb !== 'GET') return sendError(res, notAllowed(verb, OPENAPI_PATH, ['GET']), OPENAPI_PATH, deps);
        return send(res, 200, (document ??= openApiDocument(routes)));
      }
      const matching = routes.filter((r) => r.pattern.test(url.pathname));
      const route = routeFor(matching, verb);
      const where = route ? `${route.service.typeName}/${route.method.name}` : url.pathname;
      try {
        if (!route)
          throw notAllowed(
            verb,
            url.pathname,
            matching.map((r) => r.verb),
          );
        const answer = await invoke(deps, transport, req, { route, match: route.pattern.exec(url.pathname)!, query: url.searchParams }, limits);
        send(res, 200, answer.json, {
          ...(answer.setCookie ? { 'set-cookie': answer.setCookie } : {}),
          ...(answer.warning ? { warning: answer.warning } : {}),
        });
      } catch (error) {
        sendError(res, error, where, deps);
      }
    },
  };
}
