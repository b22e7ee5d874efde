import { LOGIN_FIELDS } from './login-app.ts';
import type { Credentials } from './types.ts';

/** The login app answered the credentials with its form again (401). */
export class OidcLoginRefusedError extends Error {
  readonly status: number;

  constructor(status: number) {
    super(`the OIDC provider's login app refused the sign-in (${status})`);
    this.name = 'OidcLoginRefusedError';
    this.status = status;
  }
}

const MAX_HOPS = 20;

/**
 * A browser without a screen: follows redirects through Hydra and the login app with a cookie jar
 * (Hydra's CSRF cookies), submits the login form, and stops at the first URL that is neither
 * Hydra's nor the login app's — the relying party's redirect URI.
 */
export async function walkLogin(authorizeUrl: string, credentials: Credentials, own: { issuer: string; loginAppUrl: string }): Promise<string> {
  const origins = new Set([new URL(own.issuer).origin, new URL(own.loginAppUrl).origin]);
  const jar = new Map<string, string>();
  let url = authorizeUrl;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const current = new URL(url);
    if (!origins.has(current.origin)) return url;
    let response = await request(url, jar);
    if (response.status === 200 && current.origin === new URL(own.loginAppUrl).origin && current.pathname === '/login') {
      await response.body?.cancel();
      response = await submitLogin(current, credentials, jar);
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) {
      throw new Error(`OIDC login stopped at ${current.origin}${current.pathname}: ${response.status} ${(await response.text()).slice(0, 500)}`);
    }
    await response.body?.cancel();
    url = new URL(location, url).href;
  }
  throw new Error(`OIDC login did not reach the relying party within ${MAX_HOPS} redirects`);
}

async function submitLogin(page: URL, credentials: Credentials, jar: Map<string, string>): Promise<Response> {
  const form = new URLSearchParams({
    [LOGIN_FIELDS.challenge]: page.searchParams.get(LOGIN_FIELDS.challenge) ?? '',
    [LOGIN_FIELDS.email]: credentials.email,
    [LOGIN_FIELDS.password]: credentials.password,
  });
  const response = await request(new URL('/login', page).href, jar, form);
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    throw new OidcLoginRefusedError(response.status);
  }
  return response;
}

async function request(url: string, jar: Map<string, string>, form?: URLSearchParams): Promise<Response> {
  const headers: Record<string, string> = {};
  // Every cookie goes everywhere: Hydra and the login app are one host, 127.0.0.1, as a browser sees it.
  if (jar.size > 0) headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(url, { method: form ? 'POST' : 'GET', headers, body: form?.toString(), redirect: 'manual' });
  for (const cookie of response.headers.getSetCookie()) {
    const pair = cookie.split(';', 1)[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return response;
}
