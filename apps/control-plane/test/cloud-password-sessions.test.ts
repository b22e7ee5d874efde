// qhc.v1.SessionService for people: email + password to an HttpOnly cookie and its CSRF token,
// acting in one of the user's accounts (chosen at sign-in, switched later); the session ends
// when its user leaves the account. Connect JSON over HTTP/1.1 with fetch, as the console calls.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cloudPlane, type CloudPlane, type Dialect } from './support/cloud.ts';
import { PASSWORD, policy, seedAccount, seedUser } from './support/people.ts';
import { sqlOn } from './support/sql.ts';

const rpc = (plane: CloudPlane, method: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${plane.cp.url}/qhc.v1.SessionService/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

interface Session {
  accountId: string;
  accountName?: string;
  csrfToken: string;
  expiresAt: string;
  userId?: string;
  userEmail?: string;
  instanceAdmin?: boolean;
}

/** Signs in: the cookie (name=value), the headers a call sends with it, and the session. */
async function signIn(plane: CloudPlane, email: string, extra: Record<string, unknown> = {}) {
  const res = await rpc(plane, 'SignInWithPassword', { email, password: PASSWORD, ...extra });
  expect(res.status).toBe(200);
  const setCookie = res.headers.get('set-cookie')!;
  const { session } = (await res.json()) as { session: Session };
  const cookie = setCookie.split(';')[0]!;
  return { setCookie, cookie, headers: { cookie, 'x-csrf-token': session.csrfToken }, session };
}

const ownerRole = async (plane: CloudPlane, accountId: string) =>
  (await sqlOn(plane.cp.store.db).one<{ id: string }>("SELECT id FROM roles WHERE account_id = $1 AND name = 'Owner'", [accountId]))!.id;

const myAccounts = async (plane: CloudPlane, headers: Record<string, string>) => {
  const res = await rpc(plane, 'ListMyAccounts', {}, headers);
  return { status: res.status, json: (await res.json()) as { items?: Array<Record<string, unknown>>; message?: string } };
};

describe.each(['sqlite', 'postgres'] as const)('password sign-in to a console session on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, sessionTtlSeconds: 3600, signIn: policy() });

  it('signs in to an HttpOnly cookie + CSRF token that authenticate calls; GetSession names the user and account', async () => {
    const userId = await seedUser(plane.cp.store.db, 'owner@example.com', [
      { accountId: plane.cp.accountId, roleIds: [await ownerRole(plane, plane.cp.accountId)] },
    ]);
    await sqlOn(plane.cp.store.db).run('UPDATE users SET instance_admin = 1 WHERE id = $1', [userId]);
    const { setCookie, cookie, headers, session } = await signIn(plane, 'Owner@Example.com');
    expect(setCookie).toMatch(/^qhc_cloud_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=3600$/);
    expect(session).toMatchObject({
      accountId: plane.cp.accountId,
      userId,
      userEmail: 'owner@example.com',
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect([session.accountName, session.instanceAdmin]).toEqual([expect.any(String), true]);
    expect(Date.parse(session.expiresAt)).toBe(plane.clock.now + 3600_000);
    const keys = await fetch(`${plane.cp.url}/qdrant.cloud.auth.v1.AuthService/ListManagementKeys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ accountId: plane.cp.accountId }),
    });
    expect(keys.status).toBe(200);
    expect((await myAccounts(plane, { cookie })).status).toBe(401);
    const again = await rpc(plane, 'GetSession', {}, { cookie });
    expect(((await again.json()) as { session: Session }).session).toEqual(session);
    expect((await rpc(plane, 'DeleteSession', {}, headers)).status).toBe(200);
    expect((await myAccounts(plane, headers)).status).toBe(401);
  });

  it('refuses a wrong password and an unknown email alike, and a sign-in from another site, setting no cookie', async () => {
    await seedUser(plane.cp.store.db, 'alike@example.com', [{ accountId: plane.cp.accountId }]);
    for (const email of ['alike@example.com', 'nobody@example.com']) {
      const res = await rpc(plane, 'SignInWithPassword', { email, password: 'not it at all' });
      expect([res.status, res.headers.get('set-cookie'), await res.json()]).toEqual([
        401,
        null,
        { code: 'unauthenticated', message: 'wrong email or password' },
      ]);
    }
    const crossSite = await rpc(plane, 'SignInWithPassword', { email: 'alike@example.com', password: PASSWORD }, { 'sec-fetch-site': 'cross-site' });
    expect([crossSite.status, crossSite.headers.get('set-cookie')]).toEqual([403, null]);
  });
});

describe.each(['sqlite', 'postgres'] as const)('the accounts of a password session on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, signIn: policy() });

  async function twoAccounts() {
    const db = plane.cp.store.db;
    const b = await seedAccount(db, `b-${randomUUID().slice(0, 8)}`);
    const c = await seedAccount(db, `c-${randomUUID().slice(0, 8)}`);
    await sqlOn(db).run("UPDATE accounts SET status = 'pending' WHERE id = $1", [b.accountId]);
    const email = `two-${randomUUID().slice(0, 8)}@example.com`;
    const userId = await seedUser(db, email, [{ accountId: plane.cp.accountId }, { accountId: b.accountId, roleIds: [b.roles.get('Admin')!] }]);
    return { email, userId, b: b.accountId, c: c.accountId };
  }

  it('acts in the account asked for when a member, else the first; an account of others or none answers alike', async () => {
    const { email, b, c } = await twoAccounts();
    expect((await signIn(plane, email)).session.accountId).toBe(plane.cp.accountId);
    expect((await signIn(plane, email, { accountId: b })).session.accountId).toBe(b);
    for (const accountId of [c, randomUUID()]) {
      const res = await rpc(plane, 'SignInWithPassword', { email, password: PASSWORD, accountId });
      expect([res.status, res.headers.get('set-cookie'), await res.json()]).toEqual([
        403,
        null,
        { code: 'permission_denied', message: `you are not a member of account ${accountId}` },
      ]);
    }
  });

  it('lists the user’s accounts with status, roles and the current one; switches among them only', async () => {
    const { email, b, c } = await twoAccounts();
    const { headers } = await signIn(plane, email);
    const listed = await myAccounts(plane, headers);
    expect(listed.status).toBe(200);
    const byId = new Map(listed.json.items!.map((item) => [item.accountId, item]));
    expect(byId.get(plane.cp.accountId)).toMatchObject({ status: 'ACCOUNT_STATUS_APPROVED', current: true, roleNames: ['Base'] });
    expect(byId.get(b)).toMatchObject({ status: 'ACCOUNT_STATUS_PENDING', roleNames: ['Admin', 'Base'] });
    expect(byId.get(b)!.current).toBeFalsy();
    expect(byId.has(c)).toBe(false);

    const switched = await rpc(plane, 'SwitchAccount', { accountId: b }, headers);
    expect([switched.status, ((await switched.json()) as { session: Session }).session.accountId]).toEqual([200, b]);
    const after = await myAccounts(plane, headers);
    expect(after.json.items!.find((item) => item.current)!.accountId).toBe(b);
    const refused = await rpc(plane, 'SwitchAccount', { accountId: c }, headers);
    expect([refused.status, await refused.json()]).toEqual([403, { code: 'permission_denied', message: `you are not a member of account ${c}` }]);
  });

  it('a removed member’s session stops working; a key’s session lists its one account and cannot switch', async () => {
    const { email, userId, b } = await twoAccounts();
    const { cookie, headers } = await signIn(plane, email, { accountId: b });
    await sqlOn(plane.cp.store.db).run('DELETE FROM account_members WHERE account_id = $1 AND user_id = $2', [b, userId]);
    const gone = await myAccounts(plane, headers);
    expect([gone.status, gone.json.message]).toEqual([401, expect.stringMatching(/^the session expired, .*its user left the account; sign in again$/)]);
    expect((await rpc(plane, 'GetSession', {}, { cookie })).status).toBe(401);

    const created = await rpc(plane, 'CreateSession', { managementKey: 'qhc_m_test-management-key-0123456789' });
    const keySession = ((await created.json()) as { session: Session }).session;
    const keyHeaders = { cookie: created.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': keySession.csrfToken };
    const listed = await myAccounts(plane, keyHeaders);
    expect(listed.json.items).toEqual([expect.objectContaining({ accountId: plane.cp.accountId, current: true })]);
    const refused = await rpc(plane, 'SwitchAccount', { accountId: b }, keyHeaders);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { code: string }).code).toBe('failed_precondition');
  });
});

describe('password sign-in rate limit over the server', () => {
  const plane = cloudPlane('sqlite', { https: false, signIn: policy({ perMinute: 2 }) });

  it('counts Connect and REST calls from one address together; ResourceExhausted (429) until the clock moves on', async () => {
    const rest = (email: string) =>
      fetch(`${plane.cp.url}/api/qhc/v1/session/password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'wrong password' }),
      });
    expect((await rpc(plane, 'SignInWithPassword', { email: 'one@example.com', password: 'wrong password' })).status).toBe(401);
    expect((await rest('two@example.com')).status).toBe(401);
    const limited = await rest('three@example.com');
    expect([limited.status, await limited.json()]).toEqual([
      429,
      { code: 8, message: 'too many sign-in attempts from this address; retry after 30s', details: [] },
    ]);
    const viaConnect = await rpc(plane, 'SignInWithPassword', { email: 'four@example.com', password: 'wrong password' });
    expect(viaConnect.status).toBe(429);
    plane.clock.now += 30_000;
    expect((await rest('five@example.com')).status).toBe(401);
  });

  it('takes the address from the socket: a client naming another in x-qhc-remote-address is still limited', async () => {
    plane.clock.now += 60_000;
    const spoofed = (i: number) =>
      rpc(plane, 'SignInWithPassword', { email: `spoof-${i}@example.com`, password: 'wrong password' }, { 'x-qhc-remote-address': `198.51.100.${i}` });
    expect([(await spoofed(1)).status, (await spoofed(2)).status, (await spoofed(3)).status]).toEqual([401, 401, 429]);
  });
});
