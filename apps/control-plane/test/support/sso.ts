import { generateKeyPairSync, sign } from 'node:crypto';
import { connectOidcProvider, type Credentials, type OidcProviderHandle } from '@qhc/oidc-provider';
import type { CustomFetch } from 'openid-client';
import { expect, inject } from 'vitest';
import { csrfTokenOf } from '../../src/sessions.ts';
import type { CloudPlane } from './cloud.ts';
import { sqlOn } from './sql.ts';

// Signing in through the package run's identity provider (Ory Hydra, test/support/oidc-setup.ts)
// as a browser would: /start, the provider's login, the callback with the state cookie.

export const identityProvider = (): OidcProviderHandle => connectOidcProvider(inject('qhcOidc'));

/** A Connect JSON call, as the console makes it. */
export const rpc = (plane: CloudPlane, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${plane.cp.url}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

export const SSO = 'qhc.v1.SsoService';

/** The account's roles, id by name. */
export async function roleIdsByName(plane: CloudPlane, accountId = plane.cp.accountId): Promise<Record<string, string>> {
  const rows = await sqlOn(plane.cp.store.db).all<{ id: string; name: string }>('SELECT id, name FROM roles WHERE account_id = $1', [accountId]);
  return Object.fromEntries(rows.map((r) => [r.name, r.id]));
}

/** The names of a user's roles in the account, sorted. */
export async function roleNamesOf(plane: CloudPlane, email: string, accountId = plane.cp.accountId): Promise<string[]> {
  const rows = await sqlOn(plane.cp.store.db).all<{ name: string }>(
    'SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id JOIN users u ON u.id = ur.user_id WHERE u.email = $1 AND ur.account_id = $2 ORDER BY r.name',
    [email, accountId],
  );
  return rows.map((r) => r.name);
}

/** The default mappings of the tests: qdrant-admins → Admin, qdrant-viewers → Viewer. */
export async function defaultMappings(plane: CloudPlane) {
  const roles = await roleIdsByName(plane);
  return [
    { group: 'qdrant-admins', roleId: roles.Admin! },
    { group: 'qdrant-viewers', roleId: roles.Viewer! },
  ];
}

/**
 * A provider of the plane's account with a client of its own at Hydra. The redirect URI names
 * the provider's id, so the provider is made first and given the client's credentials after,
 * as an administrator would.
 */
export async function configureProvider(
  plane: CloudPlane,
  name: string,
  mappings?: unknown[],
  publicUrl = plane.cp.url,
): Promise<{ id: string; provider: Record<string, unknown> }> {
  const idp = identityProvider();
  const draft = {
    accountId: plane.cp.accountId,
    name,
    issuerUrl: idp.issuer,
    clientId: 'to-be-registered',
    clientSecret: 'to-be-registered',
    groupRoleMappings: mappings ?? (await defaultMappings(plane)),
  };
  const created = await rpc(plane, `${SSO}/CreateOidcProvider`, { oidcProvider: draft }, plane.auth());
  expect(created.status).toBe(200);
  const { id } = ((await created.json()) as { oidcProvider: { id: string } }).oidcProvider;
  const client = await idp.createClient({ redirectUris: [`${publicUrl}/auth/oidc/${id}/callback`] });
  const provider = { ...draft, id, clientId: client.clientId, clientSecret: client.clientSecret };
  const updated = await rpc(plane, `${SSO}/UpdateOidcProvider`, { oidcProvider: provider }, plane.auth());
  expect(updated.status).toBe(200);
  return { id, provider };
}

const firstPart = (cookie: string) => cookie.split(';')[0]!;

/** /start: the provider's authorization URL and the state cookie. */
export async function startSignIn(plane: CloudPlane, providerId: string): Promise<{ location: URL; stateCookie: string }> {
  const started = await fetch(`${plane.cp.url}/auth/oidc/${providerId}/start`, { redirect: 'manual' });
  expect(started.status).toBe(303);
  const [cookie] = started.headers.getSetCookie();
  expect(cookie).toMatch(/^qhc_oidc_state=[A-Za-z0-9_-]{43}; Path=\/auth\/oidc\/; HttpOnly; SameSite=Lax; Max-Age=600$/);
  return { location: new URL(started.headers.get('location')!), stateCookie: firstPart(cookie!) };
}

/** The whole sign-in; the callback's answer (a 303 to the console with the session cookie, or a page). */
export async function signInThroughProvider(plane: CloudPlane, providerId: string, user: Credentials) {
  const { location, stateCookie } = await startSignIn(plane, providerId);
  const callback = await identityProvider().login(location.href, user);
  const answer = await fetch(callback, { redirect: 'manual', headers: { cookie: stateCookie } });
  const session = answer.headers.getSetCookie().find((c) => c.startsWith('qhc_cloud_session='));
  const secret = session ? firstPart(session).slice('qhc_cloud_session='.length) : undefined;
  return {
    answer,
    callback,
    stateCookie,
    secret,
    headers: secret ? { cookie: `qhc_cloud_session=${secret}`, 'x-csrf-token': csrfTokenOf(secret) } : undefined,
  };
}

/** What the proxy does to the token endpoint's ID token: nothing, one flipped bit of its signature, or a signature by another key. */
export type Tamper = 'none' | 'flip' | 'resign';

function tampered(idToken: string, how: Tamper): string {
  const [header, payload, signature] = idToken.split('.') as [string, string, string];
  if (how === 'flip') {
    const bytes = Buffer.from(signature, 'base64url');
    bytes[bytes.length >> 1]! ^= 0x01;
    return `${header}.${payload}.${bytes.toString('base64url')}`;
  }
  // The same header (Hydra's kid, RS256) and claims, signed by a key the provider never published.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return `${header}.${payload}.${sign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
}

/**
 * The relying party's HTTP client with a proxy in front of the provider's token endpoint: every
 * request goes to Hydra unchanged (its path noted in `mode.paths`); the token response's id_token
 * is altered as `mode.tamper` says.
 */
export function tamperingFetch(mode: { tamper: Tamper; tampered: number; paths?: string[] }): CustomFetch {
  return async (url, options) => {
    mode.paths?.push(new URL(url).pathname);
    const response = await fetch(url, options as RequestInit);
    if (mode.tamper === 'none' || !new URL(url).pathname.endsWith('/oauth2/token') || !response.ok) return response;
    const body = (await response.json()) as { id_token?: string };
    if (body.id_token) {
      body.id_token = tampered(body.id_token, mode.tamper);
      mode.tampered++;
    }
    return new Response(JSON.stringify(body), { status: response.status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
  };
}
