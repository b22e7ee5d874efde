// Signing in through an account's OIDC provider (a real one: Ory Hydra, once per package run) as
// a browser does: /auth/oidc/{id}/start, the provider's login, /callback. The groups claim decides
// the roles, on every sign-in; the session then works on the Cloud API with those roles only.
import { beforeAll, describe, expect, it } from 'vitest';
import { cloudPlane, type Dialect } from './support/cloud.ts';
import { ADA, NOR, VIC } from './support/oidc-users.ts';
import { configureProvider, roleIdsByName, roleNamesOf, rpc, signInThroughProvider, SSO } from './support/sso.ts';

const SESSION_COOKIE = /^qhc_cloud_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=3600$/;

const listKeys = (plane: ReturnType<typeof cloudPlane>, headers: Record<string, string>) =>
  rpc(plane, 'qdrant.cloud.auth.v1.AuthService/ListManagementKeys', { accountId: plane.cp.accountId }, headers);

describe.each(['sqlite', 'postgres'] as const)('signing in through an OIDC provider on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, sessionTtlSeconds: 3600 });
  // One provider: a user is one identity of one provider (another provider cannot claim them).
  let id = '';
  let provider: Record<string, unknown> = {};
  beforeAll(async () => {
    ({ id, provider } = await configureProvider(plane, 'Hydra'));
  });

  it('lands a user of qdrant-admins as Admin (and Base), with a console session that works on the Cloud API', async () => {
    const { answer, secret, headers } = await signInThroughProvider(plane, id, ADA);
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/');
    const cookies = answer.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    expect(cookies[0]).toMatch(SESSION_COOKIE);
    expect(cookies[1]).toBe('qhc_oidc_state=; Path=/auth/oidc/; HttpOnly; SameSite=Lax; Max-Age=0');
    expect(secret).toBeDefined();
    expect(await roleNamesOf(plane, ADA.email)).toEqual(['Admin', 'Base']);
    const user = await plane.cp.store.db.q.selectFrom('users').selectAll().where('email', '=', ADA.email).executeTakeFirstOrThrow();
    expect(user.password_hash).toBeNull();
    // Hydra's ID token says email_verified: true, so invites to this email may be claimed.
    expect(user.email_verified_at).toEqual(expect.any(String));
    const identity = await plane.cp.store.db.q.selectFrom('oidc_identities').selectAll().where('user_id', '=', user.id).execute();
    expect(identity).toEqual([expect.objectContaining({ provider_id: id, subject: ADA.subject })]);

    const keys = await listKeys(plane, headers!);
    expect(keys.status).toBe(200);
    // The console, loaded at `/`, learns its session (and CSRF token) from the cookie alone.
    const session = await rpc(plane, 'qhc.v1.SessionService/GetSession', {}, { cookie: headers!.cookie! });
    expect(await session.json()).toMatchObject({
      session: { accountId: plane.cp.accountId, userId: user.id, userEmail: ADA.email, csrfToken: headers!['x-csrf-token'] },
    });
    // A second sign-in finds the same user by (provider, subject).
    await signInThroughProvider(plane, id, ADA);
    expect(await plane.cp.store.db.q.selectFrom('users').select('id').where('email', '=', ADA.email).execute()).toEqual([{ id: user.id }]);
  });

  it('lands a user of qdrant-viewers as Viewer, who may read but not write', async () => {
    const { answer, headers } = await signInThroughProvider(plane, id, VIC);
    expect(answer.status).toBe(303);
    expect(await roleNamesOf(plane, VIC.email)).toEqual(['Base', 'Viewer']);
    expect((await rpc(plane, `${SSO}/ListOidcProviders`, { accountId: plane.cp.accountId }, headers)).status).toBe(200);

    const environment = { hybridCloudEnvironment: { accountId: plane.cp.accountId, name: 'viewer-made', configuration: { namespace: 'qdrant' } } };
    const write = await rpc(plane, 'qdrant.cloud.hybrid.v1.HybridCloudService/CreateHybridCloudEnvironment', environment, headers);
    expect(write.status).toBe(403);
    expect(await write.json()).toEqual({ code: 'permission_denied', message: expect.stringContaining('write:hybrid_cloud_environments') });
    expect((await rpc(plane, `${SSO}/GetOidcProvider`, { accountId: plane.cp.accountId, oidcProviderId: id }, plane.auth())).status).toBe(200);
  });

  it('sets the roles again on every sign-in: a group no longer mapped takes its role away', async () => {
    await signInThroughProvider(plane, id, ADA);
    expect(await roleNamesOf(plane, ADA.email)).toEqual(['Admin', 'Base']);

    const roles = await roleIdsByName(plane);
    const remapped = { ...provider, clientSecret: '', groupRoleMappings: [{ group: 'engineering', roleId: roles.Editor }] };
    expect((await rpc(plane, `${SSO}/UpdateOidcProvider`, { oidcProvider: remapped }, plane.auth())).status).toBe(200);
    const again = await signInThroughProvider(plane, id, ADA);
    expect(again.answer.status).toBe(303);
    expect(await roleNamesOf(plane, ADA.email)).toEqual(['Base', 'Editor']);
    expect((await rpc(plane, `${SSO}/UpdateOidcProvider`, { oidcProvider: { ...provider, clientSecret: '' } }, plane.auth())).status).toBe(200);
    await signInThroughProvider(plane, id, ADA);
    expect(await roleNamesOf(plane, ADA.email)).toEqual(['Admin', 'Base']);
  });

  it('refuses a user in none of the mapped groups (403 page, no user, no session)', async () => {
    const { answer, secret } = await signInThroughProvider(plane, id, NOR);
    expect(answer.status).toBe(403);
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await answer.text()).toContain('nor@example.com is in none of the groups that give a role in the account');
    expect(secret).toBeUndefined();
    expect(await plane.cp.store.db.q.selectFrom('users').select('id').where('email', '=', NOR.email).execute()).toEqual([]);
  });
});
