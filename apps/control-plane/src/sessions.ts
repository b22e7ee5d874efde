import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Db } from './db/db.ts';
import { hashToken, type TokenRow } from './tokens.ts';

// Console sessions: a user token pasted once in the browser becomes an HttpOnly cookie, so
// the token never sits in the page's storage where a script could read it. The cookie alone
// must not be enough to change anything (a cross-site form post would carry it), hence the
// CSRF token, which only a page that read GET /api/v1/session can know.

export const SESSION_COOKIE = 'qhc_session';
export const CSRF_HEADER = 'x-csrf-token';
export const DEFAULT_SESSION_TTL_SECONDS = 12 * 3600;

export interface SessionRow {
  [key: string]: unknown;
  id: string;
  token_id: string;
  created_at: string;
  expires_at: string;
}

/**
 * Derived from the session secret rather than stored: the server recomputes it from the cookie
 * on every request, and a copy of the database (which holds only the secret's hash) gives
 * neither.
 */
export const csrfTokenOf = (secret: string) => createHash('sha256').update(`qhc-csrf:${secret}`).digest('base64url');

export function csrfTokenMatches(secret: string, sent: string | undefined): boolean {
  if (!sent) return false;
  const expected = Buffer.from(csrfTokenOf(secret));
  const given = Buffer.from(sent);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A new session for a live user token; expired sessions are swept on the way. */
export async function createSession(db: Db, token: TokenRow, ttlSeconds: number): Promise<{ secret: string; session: SessionRow }> {
  const secret = randomBytes(32).toString('base64url');
  const now = new Date();
  const session: SessionRow = {
    id: randomUUID(),
    token_id: token.id,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
  };
  await db.run('DELETE FROM sessions WHERE expires_at < $1', [now.toISOString()]);
  await db.run('INSERT INTO sessions (id, hash, token_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
    session.id,
    hashToken(secret),
    session.token_id,
    session.created_at,
    session.expires_at,
  ]);
  return { secret, session };
}

/** The session and its user token, if neither expired nor revoked. */
export async function findSession(db: Db, secret: string): Promise<{ session: SessionRow; token: TokenRow } | undefined> {
  const row = await db.one<
    SessionRow & { kind: TokenRow['kind']; name: string; region_id: string | null; token_created_at: string; used_at: string | null; revoked_at: string | null }
  >(
    'SELECT s.id, s.token_id, s.created_at, s.expires_at, t.kind, t.name, t.region_id, t.created_at AS token_created_at, t.used_at, t.revoked_at FROM sessions s JOIN tokens t ON t.id = s.token_id WHERE s.hash = $1',
    [hashToken(secret)],
  );
  if (!row || row.revoked_at || Date.parse(row.expires_at) <= Date.now()) return undefined;
  return {
    session: { id: row.id, token_id: row.token_id, created_at: row.created_at, expires_at: row.expires_at },
    token: {
      id: row.token_id,
      kind: row.kind,
      name: row.name,
      region_id: row.region_id,
      created_at: row.token_created_at,
      used_at: row.used_at,
      revoked_at: row.revoked_at,
      expires_at: null,
    },
  };
}

export async function deleteSession(db: Db, secret: string): Promise<void> {
  await db.run('DELETE FROM sessions WHERE hash = $1', [hashToken(secret)]);
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

export function sessionCookie(secret: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return [
    `${SESSION_COOKIE}=${secret}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}
