import { authenticate } from '../auth.ts';
import { openApiDocument } from '../openapi.ts';
import type { Store } from '../store.ts';
import { agentRoutes } from './agent-routes.ts';
import { clusterRoutes } from './cluster-routes.ts';
import { Router, type Request, type RouterLog } from './http.ts';
import { installationRoutes } from './installation-routes.ts';
import { LongPolls } from './long-polls.ts';
import { regionRoutes, resourceRoutes, tokenRoutes } from './region-routes.ts';
import { sessionRoutes } from './session-routes.ts';

export interface RouteOptions {
  store: Store;
  /** The URL agents and installation commands use (https). */
  publicUrl: string;
  /** The longest an agent's long-poll waits for a change. */
  maxWaitSeconds?: number;
  /** How often a long-poll looks for a new revision (the database is the only channel between replicas). */
  pollIntervalMs?: number;
  /** The agents' parked long-polls; default: the router's own. */
  longPolls?: LongPolls;
  /** Served over HTTPS: the session cookie gets `Secure`. */
  secureCookies?: boolean;
  sessionTtlSeconds?: number;
  /** How long an installation command's bootstrap token works; default 24 hours. */
  bootstrapTokenTtlSeconds?: number;
  /** Refused (401/403) and failed (5xx) requests, and what is dropped from agents' reports. */
  logger?: RouterLog;
}

export function routes(options: RouteOptions): Router {
  const { store } = options;
  const user = (req: Request) => authenticate(store.db, req, ['user'], store.now);
  const router = new Router(options.logger);

  router.on('GET', '/healthz', async () => ({ status: 200, text: 'ok' }));
  router.on('GET', '/openapi.json', async () => ({ status: 200, json: openApiDocument(options.publicUrl) }));
  sessionRoutes(router, options);
  regionRoutes(router, store, user);
  installationRoutes(router, {
    store,
    publicUrl: options.publicUrl,
    ...(options.bootstrapTokenTtlSeconds !== undefined ? { bootstrapTokenTtlSeconds: options.bootstrapTokenTtlSeconds } : {}),
  });
  clusterRoutes(router, store, user);
  resourceRoutes(router, store, user);
  tokenRoutes(router, store, user);
  agentRoutes(router, { ...options, longPolls: options.longPolls ?? new LongPolls() });
  return router;
}
