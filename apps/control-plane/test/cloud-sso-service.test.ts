// qhc.v1.SsoService over Connect JSON: an account's OIDC providers, their checks, and a client
// secret that goes in, is stored encrypted, and never comes back out.
import { describe, expect, it } from 'vitest';
import { createBuiltInRoles } from '../src/db/built-in-roles.ts';
import { cloudPlane, type CloudPlane, type Dialect } from './support/cloud.ts';
import { otherAccount } from './support/qhc.ts';
import { scanForPlaintext } from './support/secrets.ts';
import { defaultMappings, roleIdsByName, rpc, SSO } from './support/sso.ts';

type Provider = Record<string, unknown> & { id: string; clientSecret?: string };

const SECRET = 'client-secret-3f9a1c7e5b2d4a6f8e0c';

async function call(plane: CloudPlane, method: string, body: unknown, headers: Record<string, string> = plane.auth()) {
  const res = await rpc(plane, `${SSO}/${method}`, body, headers);
  return { status: res.status, text: await res.text() };
}

const draftOf = async (plane: CloudPlane, name: string) => ({
  accountId: plane.cp.accountId,
  name,
  issuerUrl: 'https://login.example.com/',
  clientId: 'qhc-console',
  clientSecret: SECRET,
  scopes: ['email', 'groups'],
  groupsClaim: 'roles',
  groupRoleMappings: await defaultMappings(plane),
});

async function create(plane: CloudPlane, name: string): Promise<Provider> {
  const { status, text } = await call(plane, 'CreateOidcProvider', { oidcProvider: await draftOf(plane, name) });
  expect(status, text).toBe(200);
  return (JSON.parse(text) as { oidcProvider: Provider }).oidcProvider;
}

const storedSecret = async (plane: CloudPlane, id: string) =>
  (await plane.cp.store.db.q.selectFrom('oidc_providers').select('client_secret').where('id', '=', id).executeTakeFirstOrThrow()).client_secret;

describe.each(['sqlite', 'postgres'] as const)('OIDC providers of an account on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false });

  it('creates, reads, lists, updates and deletes a provider; the secret is never answered', async () => {
    const created = await create(plane, 'Okta');
    expect(created).toMatchObject({ accountId: plane.cp.accountId, name: 'Okta', scopes: ['openid', 'email', 'groups'], groupsClaim: 'roles' });
    expect(created.clientSecret).toBeUndefined();
    const get = await call(plane, 'GetOidcProvider', { accountId: plane.cp.accountId, oidcProviderId: created.id });
    expect(JSON.parse(get.text)).toEqual({ oidcProvider: created });
    const list = await call(plane, 'ListOidcProviders', { accountId: plane.cp.accountId });
    expect((JSON.parse(list.text) as { items: Provider[] }).items.map((p) => p.id)).toContain(created.id);
    for (const answer of [get.text, list.text]) expect(answer).not.toContain(SECRET);

    const kept = await storedSecret(plane, created.id);
    const renamed = await call(plane, 'UpdateOidcProvider', { oidcProvider: { ...created, name: 'Okta (staff)', clientSecret: '' } });
    expect(JSON.parse(renamed.text)).toMatchObject({ oidcProvider: { name: 'Okta (staff)' } });
    expect(await storedSecret(plane, created.id)).toBe(kept);
    await call(plane, 'UpdateOidcProvider', { oidcProvider: { ...created, clientSecret: `${SECRET}-2` } });
    expect(await storedSecret(plane, created.id)).not.toBe(kept);

    expect((await call(plane, 'DeleteOidcProvider', { accountId: plane.cp.accountId, oidcProviderId: created.id })).status).toBe(200);
    const gone = await call(plane, 'GetOidcProvider', { accountId: plane.cp.accountId, oidcProviderId: created.id });
    expect(gone.status).toBe(404);
  });

  it('stores the client secret encrypted: no table holds it in a readable form', async () => {
    const created = await create(plane, 'Scanned');
    expect(await storedSecret(plane, created.id)).toMatch(/^enc:v1:t1:/);
    expect(await scanForPlaintext(plane.cp.store.db, [SECRET])).toEqual([]);
    // The audit log has the change, with the secret redacted.
    const events = await plane.cp.store.db.q.selectFrom('audit_events').selectAll().where('object_id', '=', created.id).execute();
    expect(events).toEqual([expect.objectContaining({ method: `${SSO}/CreateOidcProvider`, object_type: 'oidc_provider' })]);
  });

  it('lists every provider as a sign-in option without credentials', async () => {
    const created = await create(plane, 'Listed');
    const { status, text } = await call(plane, 'ListSignInOptions', {}, {});
    expect(status).toBe(200);
    expect((JSON.parse(text) as { items: unknown[] }).items).toContainEqual({
      oidcProviderId: created.id,
      oidcProviderName: 'Listed',
      accountName: expect.any(String),
      startPath: `/auth/oidc/${created.id}/start`,
    });
    expect(text).not.toContain(SECRET);
    // The REST gateway's route, as the sign-in page (no session yet) reads it.
    const rest = await fetch(`${plane.cp.url}/api/qhc/v1/sign-in-options`);
    expect(rest.status).toBe(200);
    expect(((await rest.json()) as { items: Array<{ oidcProviderId: string }> }).items.map((i) => i.oidcProviderId)).toContain(created.id);
  });
});

describe.each(['sqlite', 'postgres'] as const)('refused OIDC provider settings on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false });
  const expectRefused = async (change: Record<string, unknown>, message: string, code = 'invalid_argument') => {
    const { status, text } = await call(plane, 'CreateOidcProvider', { oidcProvider: { ...(await draftOf(plane, 'Refused')), ...change } });
    expect(JSON.parse(text), text).toEqual({ code, message });
    expect(status).toBeGreaterThanOrEqual(400);
  };

  it('takes https issuers, and plain http only on the loopback (the tests run the provider there)', async () => {
    await expectRefused(
      { issuerUrl: 'http://login.example.com/' },
      'oidc_provider.issuer_url: must be an https URL (plain http only for a provider on 127.0.0.1 or localhost), got http://login.example.com',
    );
    await expectRefused({ issuerUrl: 'login.example.com' }, 'oidc_provider.issuer_url: "login.example.com" is not a URL');
    await expectRefused({ issuerUrl: 'https://login.example.com/?tenant=1' }, 'oidc_provider.issuer_url: an issuer has no query, fragment or credentials');
    for (const [name, issuerUrl] of [
      ['Loopback', 'http://127.0.0.1:4444/'],
      ['Localhost', 'http://localhost:4444/'],
    ])
      expect((await call(plane, 'CreateOidcProvider', { oidcProvider: { ...(await draftOf(plane, name!)), issuerUrl } })).status).toBe(200);
  });

  it('names the mapping whose role is not one of the account', async () => {
    const other = await otherAccount(plane);
    const roles = await roleIdsByName(plane);
    // The test's second account is a bare row: it gets the roles every account has.
    if (Object.keys(await roleIdsByName(plane, other.accountId)).length === 0)
      await createBuiltInRoles(plane.cp.store.db, other.accountId, new Date(plane.clock.now).toISOString());
    const theirs = await roleIdsByName(plane, other.accountId);
    expect(theirs.Admin).toBeDefined();
    const mappings = [
      { group: 'qdrant-admins', roleId: roles.Admin },
      { group: 'elsewhere', roleId: theirs.Admin },
    ];
    await expectRefused(
      { groupRoleMappings: mappings },
      `oidc_provider.group_role_mappings[1].role_id: "${theirs.Admin}" is not a role of the account (IAMService.ListRoles)`,
    );
    await expectRefused({ groupRoleMappings: [{ group: '', roleId: roles.Admin }] }, 'oidc_provider.group_role_mappings[0].group: missing');
  });

  it('needs a name, a client and its secret; names are unique in the account', async () => {
    await expectRefused({ name: ' ' }, 'oidc_provider.name: missing');
    await expectRefused({ clientId: '' }, 'oidc_provider.client_id: missing');
    await expectRefused({ clientSecret: '' }, 'oidc_provider.client_secret: missing; the secret the provider gave the client');
    await expectRefused({ scopes: ['email', 'a b'] }, 'oidc_provider.scopes[1]: "a b" is not a scope');
    await expectRefused({ id: '6f9d3c1e-0000-4000-8000-000000000000' }, 'oidc_provider.id: set by the server; leave it empty');
    await create(plane, 'Taken');
    await expectRefused({ name: 'Taken' }, 'oidc_provider.name: the account already has a provider named Taken', 'already_exists');
  });

  it("answers NotFound for another account's provider", async () => {
    const mine = await create(plane, 'Mine');
    const other = await otherAccount(plane);
    const theirs = { authorization: `apikey ${other.key}` };
    const get = await call(plane, 'GetOidcProvider', { accountId: other.accountId, oidcProviderId: mine.id }, theirs);
    expect(get.status).toBe(404);
    const del = await call(plane, 'DeleteOidcProvider', { accountId: other.accountId, oidcProviderId: mine.id }, theirs);
    expect(del.status).toBe(404);
    expect((await call(plane, 'GetOidcProvider', { accountId: plane.cp.accountId, oidcProviderId: mine.id })).status).toBe(200);
  });
});
