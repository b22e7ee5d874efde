// Bounds and seams of the accounts and people rpcs: signing out needs the cookie's CSRF token
// even beside a management key; role id lists, pending invites and custom roles are bounded;
// the installer's account is the one every "first account" names.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { firstStart } from '../src/cloud/first-start.ts';
import { firstAccount } from '../src/repositories/accounts.ts';
import { insertRole } from '../src/repositories/roles.ts';
import { ACCOUNTS, connect, refusal, signUp } from './support/accounts.ts';
import { cloudPlane, MANAGEMENT_KEY, type CloudPlane, type Dialect } from './support/cloud.ts';
import { email } from './support/members.ts';

const SESSIONS = 'qhc.v1.SessionService';
const IAM = 'qdrant.cloud.iam.v1.IAMService';
const ids = (n: number) => Array.from({ length: n }, () => randomUUID());

describe.each(['sqlite', 'postgres'] as const)('signing out and role lists on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, autoApproveAccounts: true });

  it("DeleteSession with a management key and a cookie still needs the cookie's CSRF token", async () => {
    const ann = await signUp(plane, email('ann'));
    const withKey = { cookie: ann.headers.cookie!, authorization: `apikey ${MANAGEMENT_KEY}` };
    expect(refusal(await connect(plane, SESSIONS, 'DeleteSession', {}, withKey))).toEqual({
      code: 'unauthenticated',
      message: "send the session's CSRF token (qhc.v1.SessionService/GetSession) in the x-csrf-token header",
    });
    expect((await connect(plane, SESSIONS, 'GetSession', {}, ann.headers)).status).toBe(200);
    expect((await connect(plane, SESSIONS, 'DeleteSession', {}, { ...withKey, 'x-csrf-token': ann.headers['x-csrf-token']! })).status).toBe(200);
    expect((await connect(plane, SESSIONS, 'GetSession', {}, ann.headers)).status).toBe(401);
  });

  it('refuses more than 50 role ids in keys with roles and invites, naming the field', async () => {
    const bea = await signUp(plane, email('bea'));
    const key = await connect(
      plane,
      'qhc.v1.ManagementKeyRoleService',
      'CreateManagementKeyWithRoles',
      { accountId: bea.accountId, roleIds: ids(51) },
      bea.headers,
    );
    expect(refusal(key)).toEqual({ code: 'invalid_argument', message: 'role_ids: 51 role ids; at most 50' });
    const invite = await connect(
      plane,
      ACCOUNTS,
      'CreateAccountInvite',
      { accountInvite: { accountId: bea.accountId, userEmail: email('x'), userRoleIds: ids(51) } },
      bea.headers,
    );
    expect(refusal(invite)).toEqual({ code: 'invalid_argument', message: 'account_invite.user_role_ids: 51 role ids; at most 50' });
  });
});

/** `n` pending invites of the account, inserted at once. */
async function pendingInvites(plane: CloudPlane, accountId: string, n: number): Promise<void> {
  const at = new Date(plane.clock.now).toISOString();
  const rows = Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    account_id: accountId,
    email: `p${i}-${accountId}@example.test`,
    role_ids: '[]',
    status: 'pending',
    created_by_user_id: null,
    created_by_key_id: null,
    created_at: at,
    last_modified_at: at,
    expires_at: new Date(plane.clock.now + 86_400_000).toISOString(),
  }));
  await plane.cp.store.db.q.insertInto('account_invites').values(rows).execute();
}

describe.each(['sqlite', 'postgres'] as const)('per-account bounds on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, autoApproveAccounts: true });

  it('an account has at most 1,000 pending invites and 200 custom roles', async () => {
    const cid = await signUp(plane, email('cid'));
    await pendingInvites(plane, cid.accountId, 1_000);
    const invite = await connect(plane, ACCOUNTS, 'CreateAccountInvite', { accountInvite: { accountId: cid.accountId, userEmail: email('y') } }, cid.headers);
    expect(refusal(invite)).toEqual({ code: 'failed_precondition', message: 'the account has 1000 pending invites, the most it may have; cancel some first' });
    for (let i = 0; i < 200; i++)
      await insertRole(plane.cp.store.db, cid.accountId, { name: `custom ${i}`, description: '', permissions: ['read:account'] }, () => plane.clock.now);
    const role = await connect(
      plane,
      IAM,
      'CreateRole',
      { role: { accountId: cid.accountId, name: 'one more', permissions: [{ value: 'read:account' }] } },
      cid.headers,
    );
    expect(refusal(role)).toEqual({ code: 'failed_precondition', message: 'the account has 200 custom roles, the most it may have; delete one first' });
  });

  it("the first start's account is the installer's even when a user's account claims an earlier time", async () => {
    const at = '2000-01-01T00:00:00.000Z';
    const userId = (await signUp(plane, email('dan'))).userId;
    await plane.cp.store.db.q
      .insertInto('accounts')
      .values({ id: randomUUID(), name: 'early', created_at: at, last_modified_at: at, owner_user_id: userId })
      .execute();
    expect((await firstStart(plane.cp.store.db, MANAGEMENT_KEY, () => plane.clock.now)).accountId).toBe(plane.cp.accountId);
    expect((await firstAccount(plane.cp.store.db)).id).toBe(plane.cp.accountId);
  });
});
