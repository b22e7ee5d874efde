import { ApiError } from '../errors.ts';
import { hasControlCharacters } from '../text.ts';
import { authenticate, checkSameOrigin } from '../auth.ts';
import { DEFAULT_SESSION_TTL_SECONDS, SESSION_COOKIE, createSession, csrfTokenOf, deleteSession, findSession, readCookie, sessionCookie } from '../sessions.ts';
import { parseAgentReport, RESOURCE_KINDS, type ResourcePath, type Store } from '../store.ts';
import { exchangeBootstrap, findToken, issueToken, revokeToken, rotateAgentToken, tokenPage } from '../tokens.ts';
import { pageRequest } from '../pages.ts';
import { openApiDocument } from '../openapi.ts';
import { backupWarnings, clusterWarnings, warningHeaders } from '../warnings.ts';
import { Router, type Request, type RouterLog } from './http.ts';
import { installationRoutes } from './installation-routes.ts';
import { queryInt } from './query.ts';

export interface RouteOptions {
  store: Store;
  /** The URL agents and installation commands use (https). */
  publicUrl: string;
  /** The longest an agent's long-poll waits for a change. */
  maxWaitSeconds?: number;
  /** How often a long-poll looks for a new revision (the database is the only channel between replicas). */
  pollIntervalMs?: number;
  /** Served over HTTPS: the session cookie gets `Secure`. */
  secureCookies?: boolean;
  sessionTtlSeconds?: number;
  /** How long an installation command's bootstrap token works; default 24 hours. */
  bootstrapTokenTtlSeconds?: number;
  /** Refused (401/403) and failed (5xx) requests, and what is dropped from agents' reports. */
  logger?: RouterLog;
}

/** The most an agent may ask a long-poll to wait; the server's own limit (maxWaitSeconds) may be lower. */
const MAX_WAIT_SECONDS_ASKED = 3600;

const ok = (json: unknown, status = 200) => ({ status, json });
const sessionBody = (secret: string, expiresAt: string, tokenName: string) => ({ csrfToken: csrfTokenOf(secret), expiresAt, tokenName });

export function routes(options: RouteOptions): Router {
  const { store } = options;
  const db = store.db;
  const user = (req: Request) => authenticate(db, req, ['user']);
  const router = new Router(options.logger);

  router.on('GET', '/healthz', async () => ({ status: 200, text: 'ok' }));
  router.on('GET', '/openapi.json', async () => ok(openApiDocument(options.publicUrl)));

  // The console's sign-in: a user token exchanged for an HttpOnly session cookie.
  const ttl = options.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS;
  router.on('POST', '/api/v1/session', async (req) => {
    // No session yet, so no CSRF token; but a sign-in from another site (login CSRF) is refused.
    checkSameOrigin(req, undefined);
    const body = (await req.body()) as { token?: unknown };
    if (typeof body.token !== 'string' || !body.token.trim()) throw new ApiError(400, 'Invalid', 'token: paste a user token (qhc_u_…)');
    const row = await findToken(db, body.token.trim());
    if (!row) throw new ApiError(401, 'Unauthenticated', 'token: not valid (unknown or revoked)');
    if (row.kind !== 'user') throw new ApiError(403, 'Forbidden', `token: a ${row.kind} token cannot sign in; use a user token (qhc_u_…)`);
    const { secret, session } = await createSession(db, row, ttl);
    return {
      status: 201,
      json: sessionBody(secret, session.expires_at, row.name),
      headers: { 'set-cookie': sessionCookie(secret, { secure: options.secureCookies ?? false, maxAgeSeconds: ttl }) },
    };
  });
  router.on('GET', '/api/v1/session', async (req) => {
    const secret = readCookie(req.headers.cookie, SESSION_COOKIE);
    const found = secret ? await findSession(db, secret) : undefined;
    if (!secret || !found) throw new ApiError(401, 'Unauthenticated', 'not signed in (no session, or it expired)');
    return ok(sessionBody(secret, found.session.expires_at, found.token.name));
  });
  router.on('DELETE', '/api/v1/session', async (req) => {
    const secret = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (!secret || !(await findSession(db, secret))) throw new ApiError(401, 'Unauthenticated', 'not signed in (no session, or it expired)');
    checkSameOrigin(req, secret);
    await deleteSession(db, secret);
    return { status: 204, headers: { 'set-cookie': sessionCookie('', { secure: options.secureCookies ?? false, maxAgeSeconds: 0 }) } };
  });

  // Lists: `?limit=&pageToken=` (pages.ts), answered as { items, nextPageToken? } (@qhc/schemas Page).
  router.on('GET', '/api/v1/regions', async (req) => (await user(req), ok(await store.regions(pageRequest(req.query)))));
  router.on('POST', '/api/v1/regions', async (req) => (await user(req), ok(await store.createRegion(await req.body()), 201)));
  router.on('GET', '/api/v1/regions/:region', async (req) => (await user(req), ok(await store.region(req.params.region!))));
  router.on('PUT', '/api/v1/regions/:region', async (req) => (await user(req), ok(await store.updateRegion(req.params.region!, await req.body()))));
  router.on('DELETE', '/api/v1/regions/:region', async (req) => (await user(req), await store.deleteRegion(req.params.region!), { status: 204 }));

  installationRoutes(router, {
    store,
    publicUrl: options.publicUrl,
    ...(options.bootstrapTokenTtlSeconds !== undefined ? { bootstrapTokenTtlSeconds: options.bootstrapTokenTtlSeconds } : {}),
  });

  router.on('GET', '/api/v1/regions/:region/clusters', async (req) => (await user(req), ok(await store.clusters(req.params.region!, pageRequest(req.query)))));
  router.on('POST', '/api/v1/regions/:region/clusters', async (req) => {
    await user(req);
    const created = await store.createCluster(req.params.region!, await req.body());
    return { ...ok(created, 201), headers: warningHeaders(clusterWarnings(await store.region(req.params.region!), created.spec)) };
  });
  router.on(
    'GET',
    '/api/v1/regions/:region/clusters/:cluster',
    async (req) => (await user(req), ok(await store.cluster(req.params.region!, req.params.cluster!))),
  );
  router.on(
    'PUT',
    '/api/v1/regions/:region/clusters/:cluster',
    async (req) => (await user(req), ok(await store.updateCluster(req.params.region!, req.params.cluster!, await req.body()))),
  );
  router.on('POST', '/api/v1/regions/:region/clusters/:cluster/scale', async (req) => {
    await user(req);
    const body = (await req.body()) as { size?: unknown };
    return ok(await store.scaleCluster(req.params.region!, req.params.cluster!, body.size));
  });
  router.on(
    'GET',
    '/api/v1/regions/:region/clusters/:cluster/events',
    async (req) => (await user(req), ok(await store.clusterEvents(req.params.region!, req.params.cluster!, pageRequest(req.query)))),
  );
  router.on(
    'POST',
    '/api/v1/regions/:region/clusters/:cluster/restart',
    async (req) => (await user(req), ok(await store.restartCluster(req.params.region!, req.params.cluster!))),
  );
  router.on(
    'DELETE',
    '/api/v1/regions/:region/clusters/:cluster',
    async (req) => (
      await user(req),
      await store.deleteCluster(req.params.region!, req.params.cluster!),
      { status: 202, json: { message: 'the agent deletes the cluster and reports it gone' } }
    ),
  );

  for (const path of Object.keys(RESOURCE_KINDS) as ResourcePath[]) {
    router.on(
      'GET',
      `/api/v1/regions/:region/${path}`,
      async (req) => (await user(req), ok(await store.resourcePage(req.params.region!, path, pageRequest(req.query)))),
    );
    router.on('POST', `/api/v1/regions/:region/${path}`, async (req) => {
      await user(req);
      const created = await store.createResource(req.params.region!, path, await req.body());
      const warnings = path === 'restores' ? [] : backupWarnings(await store.region(req.params.region!));
      return { ...ok(created, 201), headers: warningHeaders(warnings) };
    });
    router.on(
      'DELETE',
      `/api/v1/regions/:region/${path}/:name`,
      async (req) => (
        await user(req),
        await store.deleteResource(req.params.region!, path, req.params.name!),
        { status: 202, json: { message: 'the agent deletes it in the region' } }
      ),
    );
  }
  router.on('GET', '/api/v1/tokens', async (req) => (await user(req), ok(await tokenPage(db, undefined, pageRequest(req.query, 2)))));
  router.on('POST', '/api/v1/tokens', async (req) => {
    await user(req);
    const body = (await req.body()) as { name?: unknown };
    if (typeof body.name !== 'string' || !body.name) throw new ApiError(400, 'Invalid', 'name: give the token a name (who or what uses it)');
    if (body.name.length > 128 || hasControlCharacters(body.name))
      throw new ApiError(400, 'Invalid', 'name: at most 128 characters on one line, without control characters');
    return ok(await issueToken(db, 'user', body.name), 201);
  });
  router.on(
    'GET',
    '/api/v1/regions/:region/tokens',
    async (req) => (await user(req), ok(await tokenPage(db, (await store.region(req.params.region!)).id, pageRequest(req.query, 2)))),
  );
  router.on('DELETE', '/api/v1/tokens/:id', async (req) => {
    await user(req);
    if (!(await revokeToken(db, req.params.id!))) throw new ApiError(404, 'NotFound', `token ${req.params.id} does not exist or is already revoked`);
    return { status: 204 };
  });

  // The agent's side: every call is the agent's; the control plane never calls it.
  router.on('POST', '/agent/v1/register', async (req) => {
    const bootstrap = await authenticate(db, req, ['bootstrap']);
    const token = req.headers.authorization!.slice(7).trim();
    const exchanged = await exchangeBootstrap(db, token);
    if (!exchanged) throw new ApiError(401, 'Unauthenticated', 'the bootstrap token was used meanwhile');
    return ok({ token: exchanged.token, region: (await store.regionById(bootstrap.region_id!)).name }, 201);
  });
  router.on('POST', '/agent/v1/rotate', async (req) => {
    const agent = await authenticate(db, req, ['agent']);
    return ok({ token: await rotateAgentToken(db, agent) }, 201);
  });
  router.on('GET', '/agent/v1/desired-state', async (req) => {
    const agent = await authenticate(db, req, ['agent']);
    const after = queryInt(req.query, 'after', { min: -1, max: Number.MAX_SAFE_INTEGER, fallback: -1 });
    const wait = Math.min(queryInt(req.query, 'waitSeconds', { min: 0, max: MAX_WAIT_SECONDS_ASKED, fallback: 0 }), options.maxWaitSeconds ?? 30);
    const until = Date.now() + wait * 1000;
    for (;;) {
      const revision = await store.revision(agent.region_id!);
      if (revision === undefined) throw new ApiError(404, 'NotFound', 'the region was deleted');
      if (revision > after) return ok(await store.desiredState(agent.region_id!));
      if (Date.now() >= until || req.signal.aborted) return { status: 204 };
      await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 500));
    }
  });
  router.on('POST', '/agent/v1/status', async (req) => {
    const agent = await authenticate(db, req, ['agent']);
    const body = await req.body();
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new ApiError(400, 'Invalid', "status report: body: must be a JSON object (the agent's report)");
    const parsed = parseAgentReport(body, (message, fields) => options.logger?.warn(message, { region: agent.region_id, ...fields }));
    if (!parsed.success)
      throw new ApiError(400, 'Invalid', `status report: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
    await store.recordStatus(agent.region_id!, parsed.data);
    return { status: 204 };
  });
  return router;
}
