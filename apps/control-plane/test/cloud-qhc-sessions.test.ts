// qhc.v1.SessionService as the console uses it: Connect JSON over HTTP/1.1 with fetch. A management
// key becomes an HttpOnly cookie; a call then needs the cookie AND the session's CSRF token.
import { describe, expect, it } from 'vitest';
import { callApi } from './support/http.ts';
import { cloudPlane, MANAGEMENT_KEY, type CloudPlane, type Dialect } from './support/cloud.ts';
import { qhcDigest } from './support/qhc.ts';

const rpc = (plane: CloudPlane, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${plane.cp.url}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Signs in with `key`: the cookie (name=value) and the answer's session. */
async function signIn(plane: CloudPlane, key = MANAGEMENT_KEY) {
  const res = await rpc(plane, 'qhc.v1.SessionService/CreateSession', { managementKey: key });
  expect(res.status).toBe(200);
  const setCookie = res.headers.get('set-cookie')!;
  const body = (await res.json()) as { session: { accountId: string; csrfToken: string; expiresAt: string; managementKeyId: string } };
  return { setCookie, cookie: setCookie.split(';')[0]!, session: body.session };
}

const listKeys = (plane: CloudPlane, headers: Record<string, string>) =>
  rpc(plane, 'qdrant.cloud.auth.v1.AuthService/ListManagementKeys', { accountId: plane.cp.accountId }, headers);

describe.each(['sqlite', 'postgres'] as const)('a console session over Connect JSON on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, sessionTtlSeconds: 3600 });

  it('signs in to an HttpOnly SameSite=Strict cookie; cookie + CSRF token authenticate, the cookie alone does not', async () => {
    const { setCookie, cookie, session } = await signIn(plane);
    expect(setCookie).toMatch(/^qhc_cloud_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=3600$/);
    expect(session).toMatchObject({ accountId: plane.cp.accountId, csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(Date.parse(session.expiresAt)).toBe(plane.clock.now + 3600_000);

    expect((await listKeys(plane, { cookie, 'x-csrf-token': session.csrfToken })).status).toBe(200);
    for (const headers of [{ cookie }, { cookie, 'x-csrf-token': 'not-the-token' }] as Array<Record<string, string>>) {
      const refused = await listKeys(plane, headers);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toEqual({ code: 'unauthenticated', message: expect.stringContaining('x-csrf-token') });
    }
    // A reloaded page learns the CSRF token again from the cookie.
    const again = await rpc(plane, 'qhc.v1.SessionService/GetSession', {}, { cookie });
    expect(((await again.json()) as { session: unknown }).session).toEqual(session);
  });

  it('signs out: the session is deleted and the cookie cleared; it no longer authenticates', async () => {
    const { cookie, session } = await signIn(plane);
    const headers = { cookie, 'x-csrf-token': session.csrfToken };
    const out = await rpc(plane, 'qhc.v1.SessionService/DeleteSession', {}, headers);
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toBe('qhc_cloud_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
    expect((await listKeys(plane, headers)).status).toBe(401);
    expect((await rpc(plane, 'qhc.v1.SessionService/GetSession', {}, { cookie })).status).toBe(401);
  });

  it('ends a session with its management key, and when it expires', async () => {
    const created = await rpc(
      plane,
      'qdrant.cloud.auth.v1.AuthService/CreateManagementKey',
      { managementKey: { accountId: plane.cp.accountId } },
      plane.auth(),
    );
    const key = ((await created.json()) as { managementKey: { id: string; key: string } }).managementKey;
    const withKey = await signIn(plane, key.key);
    expect(withKey.session.managementKeyId).toBe(key.id);
    const headers = { cookie: withKey.cookie, 'x-csrf-token': withKey.session.csrfToken };
    expect((await listKeys(plane, headers)).status).toBe(200);
    await rpc(plane, 'qdrant.cloud.auth.v1.AuthService/DeleteManagementKey', { accountId: plane.cp.accountId, managementKeyId: key.id }, plane.auth());
    const refused = await listKeys(plane, headers);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { message: string }).message).toMatch(/^the session expired, was signed out, or its management key was deleted/);

    const other = await signIn(plane);
    plane.clock.now += 3600_000;
    try {
      expect((await listKeys(plane, { cookie: other.cookie, 'x-csrf-token': other.session.csrfToken })).status).toBe(401);
    } finally {
      plane.clock.now -= 3600_000;
    }
  });
});

describe.each(['sqlite', 'postgres'] as const)('refused sign-ins on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false });

  it('names the field of a malformed key, refuses an unknown one and a sign-in from another site, and writes nothing', async () => {
    const before = await qhcDigest(plane);
    const cases: Array<[string, number, string, RegExp]> = [
      ['', 400, 'invalid_argument', /^management_key: missing/],
      ['qhc_m_a b', 400, 'invalid_argument', /^management_key: a management key is one word/],
      ['qhc_m_unknown-key-0123456789', 401, 'unauthenticated', /^unknown management key$/],
    ];
    for (const [managementKey, status, code, message] of cases) {
      const res = await rpc(plane, 'qhc.v1.SessionService/CreateSession', { managementKey });
      expect([res.status, res.headers.get('set-cookie')]).toEqual([status, null]);
      expect(await res.json()).toEqual({ code, message: expect.stringMatching(message) });
    }
    const crossSite = await rpc(plane, 'qhc.v1.SessionService/CreateSession', { managementKey: MANAGEMENT_KEY }, { 'sec-fetch-site': 'cross-site' });
    expect([crossSite.status, crossSite.headers.get('set-cookie')]).toEqual([403, null]);
    expect(await crossSite.json()).toEqual({ code: 'permission_denied', message: expect.stringMatching(/another site \(Sec-Fetch-Site: cross-site\)$/) });
    expect(await qhcDigest(plane)).toEqual(before);
  });

  it('without a session, reading or ending one is Unauthenticated', async () => {
    for (const rpcName of ['GetSession', 'DeleteSession']) {
      const res = await rpc(plane, `qhc.v1.SessionService/${rpcName}`, {}, { cookie: 'qhc_cloud_session=forged' });
      expect(res.status).toBe(401);
    }
  });
});

describe('a console session through the REST gateway', () => {
  const plane = cloudPlane('sqlite', { https: false });

  it('POST /api/qhc/v1/session sets the cookie; GET reads it and DELETE (with the CSRF token) clears it', async () => {
    const created = await callApi(plane.cp.url, 'POST', '/api/qhc/v1/session', { body: { management_key: MANAGEMENT_KEY } });
    expect(created.status).toBe(200);
    const cookie = created.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = created.json.session.csrfToken as string;
    const read = await callApi(plane.cp.url, 'GET', '/api/qhc/v1/session', { headers: { cookie } });
    expect([read.status, read.json.session.csrfToken]).toEqual([200, csrf]);
    expect((await callApi(plane.cp.url, 'DELETE', '/api/qhc/v1/session', { headers: { cookie } })).status).toBe(401);
    const out = await callApi(plane.cp.url, 'DELETE', '/api/qhc/v1/session', { headers: { cookie, 'x-csrf-token': csrf } });
    expect([out.status, out.headers.get('set-cookie')]).toEqual([200, expect.stringContaining('Max-Age=0')]);
  });
});
