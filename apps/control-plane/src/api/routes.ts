import { ssoRoutes, type SsoRouteOptions } from '../cloud/sso/routes.ts';
import type { Store } from '../store.ts';
import { agentRoutes } from './agent-routes.ts';
import { Router, type RouterLog } from './http.ts';
import { installationRoutes } from './installation-routes.ts';
import type { LongPolls } from './long-polls.ts';

export interface RouteOptions {
  store: Store;
  /** The URL agents and installation commands use (https). */
  publicUrl: string;
  /** The longest an agent's long-poll waits for a change. */
  maxWaitSeconds?: number;
  /** How often a long-poll looks for a new revision while the database's notices do not arrive. */
  pollIntervalMs?: number;
  /** How often a long-poll looks again though no notice came (a safety net). */
  recheckMs?: number;
  /** The agents' parked long-polls, woken by the database's notices. */
  longPolls: LongPolls;
  /** Refused (401/403) and failed (5xx) requests, and what is dropped from agents' reports. */
  logger?: RouterLog;
  /** Signing in through an account's OIDC providers (/auth/oidc/...); absent: not served. */
  sso?: Omit<SsoRouteOptions, 'publicUrl'>;
}

/** The long-poll's settings among a control plane's options (see AgentRouteOptions). */
export const longPollSettings = ({ maxWaitSeconds, pollIntervalMs, recheckMs }: Pick<RouteOptions, 'maxWaitSeconds' | 'pollIntervalMs' | 'recheckMs'>) => ({
  maxWaitSeconds,
  pollIntervalMs,
  recheckMs,
});

/**
 * What is not the Cloud API: the health check, the scripts installation commands fetch, sign-in
 * through OIDC providers, and the
 * agents' protocol. Any other path (the old /api/v1 among them) is a 404.
 */
export function routes(options: RouteOptions): Router {
  const router = new Router(options.logger);
  router.on('GET', '/healthz', async () => ({ status: 200, text: 'ok' }));
  installationRoutes(router, { store: options.store, publicUrl: options.publicUrl });
  if (options.sso) ssoRoutes(router, { ...options.sso, publicUrl: options.publicUrl });
  agentRoutes(router, options);
  return router;
}
