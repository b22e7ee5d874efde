import { createHash, timingSafeEqual } from 'node:crypto';

// Console sessions (qhc.v1 SessionService, stored by repositories/cloud-sessions.ts): a
// management key pasted once in the browser becomes an HttpOnly cookie, so the key never sits
// in the page's storage where a script could read it. The cookie alone must not be enough to
// change anything (a cross-site form post would carry it), hence the CSRF token, which only a
// page that read the session can know.

export const CSRF_HEADER = 'x-csrf-token';
export const DEFAULT_SESSION_TTL_SECONDS = 12 * 3600;

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

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
