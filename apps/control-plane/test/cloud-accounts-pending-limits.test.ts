// An account awaiting approval grows no access (keys, roles, invites); a user owns at most 5
// pending accounts and creates accounts at a bounded rate; CreateAccount's trail is the new
// account's, and an UpdateUser that changes nothing leaves none.
import { describe, expect, it } from 'vitest';
import { ACCOUNTS, AUTH, connect, refusal, roleId, signUp } from './support/accounts.ts';
import { cloudPlane, type CloudPlane, type Dialect } from './support/cloud.ts';
import { email } from './support/members.ts';
import { sqlOn } from './support/sql.ts';

const IAM = 'qdrant.cloud.iam.v1.IAMService';
const KEY_ROLES = 'qhc.v1.ManagementKeyRoleService';

const createAccount = (plane: CloudPlane, name: string, headers: Record<string, string>) =>
  connect(plane, ACCOUNTS, 'CreateAccount', { account: { name } }, headers);

describe.each(['sqlite', 'postgres'] as const)('an account awaiting approval on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false });

  it('cannot make management keys, custom roles or invites; rejected, it says why', async () => {
    const ann = await signUp(plane, email('ann'));
    const accountId = ann.accountId;
    const owner = await roleId(plane, accountId, 'Owner');
    const calls = [
      [AUTH, 'CreateManagementKey', { managementKey: { accountId } }],
      [KEY_ROLES, 'CreateManagementKeyWithRoles', { accountId, roleIds: [owner] }],
      [IAM, 'CreateRole', { role: { accountId, name: 'custom role', permissions: [{ value: 'read:account' }] } }],
      [ACCOUNTS, 'CreateAccountInvite', { accountInvite: { accountId, userEmail: email('x') } }],
    ] as const;
    for (const [service, method, body] of calls)
      expect(refusal(await connect(plane, service, method, body, ann.headers)), method).toEqual({
        code: 'failed_precondition',
        message: `account ${accountId} is pending approval by an instance administrator`,
      });
    await sqlOn(plane.cp.store.db).run("UPDATE accounts SET status = 'rejected', status_reason = 'spam' WHERE id = $1", [accountId]);
    expect(refusal(await connect(plane, AUTH, 'CreateManagementKey', { managementKey: { accountId } }, ann.headers))).toEqual({
      code: 'failed_precondition',
      message: `account ${accountId} was rejected: spam`,
    });
  });

  it('a user owns at most 5 accounts awaiting approval', async () => {
    const bea = await signUp(plane, email('bea'));
    for (let i = 0; i < 4; i++) expect((await createAccount(plane, `more ${i}`, bea.headers)).status).toBe(200);
    expect(refusal(await createAccount(plane, 'one too many', bea.headers))).toEqual({
      code: 'failed_precondition',
      message: 'you own 5 accounts awaiting approval, the most a user may; wait for an instance administrator to decide on them',
    });
  });
});

describe.each(['sqlite', 'postgres'] as const)('creating accounts on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, autoApproveAccounts: true });

  it('is rate limited per user', async () => {
    const [cid, dan] = [await signUp(plane, email('cid')), await signUp(plane, email('dan'))];
    for (let i = 0; i < 5; i++) expect((await createAccount(plane, `cid ${i}`, cid.headers)).status).toBe(200);
    const limited = refusal(await createAccount(plane, 'cid 5', cid.headers));
    expect(limited).toEqual({ code: 'resource_exhausted', message: 'too many accounts created; retry after 12s' });
    expect((await createAccount(plane, 'dan 0', dan.headers)).status).toBe(200);
    plane.clock.now += 12_000;
    expect((await createAccount(plane, 'cid 5', cid.headers)).status).toBe(200);
  });

  it("records CreateAccount in the new account's trail; an UpdateUser that changes nothing records nothing", async () => {
    const eve = await signUp(plane, email('eve'));
    const made = await createAccount(plane, 'eve two', eve.headers);
    const sql = sqlOn(plane.cp.store.db);
    const events = await sql.all<{ account_id: string }>("SELECT account_id FROM audit_events WHERE method LIKE '%/CreateAccount' AND actor_id = $1", [
      eve.userId,
    ]);
    expect(events).toEqual([{ account_id: made.json.account.id }]);
    const updated = await connect(plane, IAM, 'UpdateUser', { user: { id: eve.userId } }, eve.headers);
    expect(updated.status, updated.text).toBe(200);
    expect(await sql.all("SELECT id FROM audit_events WHERE method LIKE '%/UpdateUser' AND actor_id = $1", [eve.userId])).toEqual([]);
  });
});
