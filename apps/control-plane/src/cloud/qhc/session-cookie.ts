import { readCookie } from '../../sessions.ts';

// The Cloud API's console session cookie. Not /api/v1's `qhc_session`: a console signed in
// there keeps its cookie, and neither API mistakes the other's session for its own.

export const CLOUD_SESSION_COOKIE = 'qhc_cloud_session';

/** HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure over TLS. */
export function cloudSessionCookie(secret: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return [
    `${CLOUD_SESSION_COOKIE}=${secret}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/** The session secret of a request's Cookie header, if it carries one. */
export const sessionSecretOf = (headers: Headers): string | undefined => readCookie(headers.get('cookie') ?? undefined, CLOUD_SESSION_COOKIE);
