import type { Db } from './db/db.ts';
import { ApiError } from './errors.ts';
import { findToken, isExpired, type Clock, type TokenKind, type TokenRow } from './repositories/tokens.ts';
import { findSession } from './repositories/sessions.ts';
import { CSRF_HEADER, SESSION_COOKIE, csrfTokenMatches, readCookie } from './sessions.ts';
import type { Request } from './api/http.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The caller's live token of one of `kinds`: 401 without a valid one, 403 with one of another
 * kind. A Bearer token (CLI, agent) wins; otherwise the console's session cookie stands for
 * its user token, and then every state-changing request must prove it comes from the console.
 */
export async function authenticate(db: Db, req: Request, kinds: TokenKind[], now: Clock = Date.now): Promise<TokenRow> {
  const header = req.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  if (token) return checkKind(await findToken(db, token), kinds, now);
  const secret = readCookie(req.headers.cookie, SESSION_COOKIE);
  if (!secret) throw new ApiError(401, 'Unauthenticated', 'send a token: Authorization: Bearer <token>, or sign in to the console');
  const found = await findSession(db, secret, now);
  if (!found) throw new ApiError(401, 'Unauthenticated', 'the console session has expired or was signed out: sign in again');
  if (!SAFE_METHODS.has(req.method)) checkSameOrigin(req, secret);
  return checkKind(found.token, kinds, now);
}

function checkKind(row: TokenRow | undefined, kinds: TokenKind[], now: Clock): TokenRow {
  if (!row) throw new ApiError(401, 'Unauthenticated', 'the token is not valid (unknown, revoked, or a bootstrap token already used)');
  if (isExpired(row, now))
    throw new ApiError(
      401,
      'Unauthenticated',
      `the ${row.kind} token expired at ${row.expires_at}: make a new installation command (qhc region install-command)`,
    );
  if (!kinds.includes(row.kind)) throw new ApiError(403, 'Forbidden', `a ${row.kind} token cannot do this; it needs a ${kinds.join(' or ')} token`);
  return row;
}

/**
 * CSRF: the browser's own word on where the request comes from (Sec-Fetch-Site, Origin),
 * which a cross-site page cannot forge, and the session's CSRF token, which it cannot read.
 */
export function checkSameOrigin(req: Request, secret: string | undefined): void {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') throw csrf(`the request came from another site (Sec-Fetch-Site: ${site})`);
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      throw csrf(`the Origin header is not a URL (${origin})`);
    }
    if (host !== req.headers.host) throw csrf(`the request came from another origin (${origin})`);
  } else if (origin === 'null') {
    throw csrf('the request came from an opaque origin');
  }
  if (secret === undefined) return;
  const sent = req.headers[CSRF_HEADER];
  if (!csrfTokenMatches(secret, Array.isArray(sent) ? sent[0] : sent))
    throw csrf(`send the session's CSRF token (GET /api/v1/session) in the ${CSRF_HEADER} header`);
}

const csrf = (why: string) => new ApiError(403, 'CsrfRejected', `refused with the session cookie: ${why}`);
