import { checkSameOrigin } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { createSession, deleteSession, findSession } from '../repositories/sessions.ts';
import { findToken } from '../repositories/tokens.ts';
import { DEFAULT_SESSION_TTL_SECONDS, SESSION_COOKIE, csrfTokenOf, readCookie, sessionCookie } from '../sessions.ts';
import type { Store } from '../store.ts';
import type { Router } from './http.ts';

export interface SessionRouteOptions {
  store: Store;
  /** Served over HTTPS: the session cookie gets `Secure`. */
  secureCookies?: boolean;
  sessionTtlSeconds?: number;
}

const sessionBody = (secret: string, expiresAt: string, tokenName: string) => ({ csrfToken: csrfTokenOf(secret), expiresAt, tokenName });
const signedOut = () => new ApiError(401, 'Unauthenticated', 'not signed in (no session, or it expired)');

/** The console's sign-in: a user token exchanged for an HttpOnly session cookie. */
export function sessionRoutes(router: Router, options: SessionRouteOptions): void {
  const { db, now } = options.store;
  const ttl = options.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS;
  const secure = options.secureCookies ?? false;
  router.on('POST', '/api/v1/session', async (req) => {
    // No session yet, so no CSRF token; but a sign-in from another site (login CSRF) is refused.
    checkSameOrigin(req, undefined);
    const body = (await req.body()) as { token?: unknown };
    if (typeof body.token !== 'string' || !body.token.trim()) throw new ApiError(400, 'Invalid', 'token: paste a user token (qhc_u_…)');
    const row = await findToken(db, body.token.trim());
    if (!row) throw new ApiError(401, 'Unauthenticated', 'token: not valid (unknown or revoked)');
    if (row.kind !== 'user') throw new ApiError(403, 'Forbidden', `token: a ${row.kind} token cannot sign in; use a user token (qhc_u_…)`);
    const { secret, session } = await createSession(db, row, ttl, now);
    return {
      status: 201,
      json: sessionBody(secret, session.expires_at, row.name),
      headers: { 'set-cookie': sessionCookie(secret, { secure, maxAgeSeconds: ttl }) },
    };
  });
  router.on('GET', '/api/v1/session', async (req) => {
    const secret = readCookie(req.headers.cookie, SESSION_COOKIE);
    const found = secret ? await findSession(db, secret, now) : undefined;
    if (!secret || !found) throw signedOut();
    return { status: 200, json: sessionBody(secret, found.session.expires_at, found.token.name) };
  });
  router.on('DELETE', '/api/v1/session', async (req) => {
    const secret = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (!secret || !(await findSession(db, secret, now))) throw signedOut();
    checkSameOrigin(req, secret);
    await deleteSession(db, secret);
    return { status: 204, headers: { 'set-cookie': sessionCookie('', { secure, maxAgeSeconds: 0 }) } };
  });
}
