// A management key never does more than whoever made it can now: a person demoted or removed
// takes the power of the keys they made (and of the keys those keys made) with them.
import { describe, expect, it } from 'vitest';
import { ACCOUNTS, AUTH, connect, refusal, signUp, type Headers } from './support/accounts.ts';
import { cloudPlane, type CloudPlane, type Dialect } from './support/cloud.ts';
import { email, memberOf, takeRole } from './support/members.ts';
import { sqlOn } from './support/sql.ts';

const apikey = (key: string): Headers => ({ authorization: `apikey ${key}` });

async function makeKey(plane: CloudPlane, accountId: string, headers: Headers): Promise<{ id: string; key: string }> {
  const res = await connect(plane, AUTH, 'CreateManagementKey', { managementKey: { accountId } }, headers);
  expect(res.status, res.text).toBe(200);
  return res.json.managementKey;
}

const listMembers = (plane: CloudPlane, accountId: string, key: string) => connect(plane, ACCOUNTS, 'ListAccountMembers', { accountId }, apikey(key));
const createdBy = async (plane: CloudPlane, id: string) =>
  (await sqlOn(plane.cp.store.db).all<{ created_by: string }>('SELECT created_by FROM management_keys WHERE id = $1', [id]))[0]!.created_by;

describe.each(['sqlite', 'postgres'] as const)('keys capped by their maker, on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, autoApproveAccounts: true });

  it('records the maker; a demoted maker caps the key, a removed one voids it and the keys it made', async () => {
    const owner = await signUp(plane, email('owner'));
    const kim = await memberOf(plane, owner.accountId, 'kim', ['Admin']);
    const made = await makeKey(plane, owner.accountId, kim.inAccount);
    const child = await makeKey(plane, owner.accountId, apikey(made.key));
    expect([await createdBy(plane, made.id), await createdBy(plane, child.id)]).toEqual([kim.userId, `key:${made.id}`]);
    expect((await listMembers(plane, owner.accountId, child.key)).status).toBe(200);

    await takeRole(plane, owner.accountId, kim.userId, 'Admin');
    for (const key of [made.key, child.key])
      expect(refusal(await listMembers(plane, owner.accountId, key))).toEqual({
        code: 'permission_denied',
        message: 'qdrant.cloud.account.v1.AccountService/ListAccountMembers needs the permission read:users',
      });

    const removed = await connect(plane, ACCOUNTS, 'DeleteAccountMember', { accountId: owner.accountId, userId: kim.userId }, owner.headers);
    expect(removed.status, removed.text).toBe(200);
    expect(refusal(await connect(plane, ACCOUNTS, 'GetAccount', { accountId: owner.accountId }, apikey(made.key)))).toEqual({
      code: 'permission_denied',
      message: `management key ${made.id} was made by user ${kim.userId}, who is no longer a member of account ${owner.accountId}; its permissions are void`,
    });
    expect(refusal(await listMembers(plane, owner.accountId, child.key)).message).toBe(
      `management key ${child.id} was made by user ${kim.userId}, who is no longer a member of account ${owner.accountId}; its permissions are void`,
    );
  });

  it('a key made by a key that was deleted is void', async () => {
    const owner = await signUp(plane, email('owner'));
    const parent = await makeKey(plane, owner.accountId, owner.headers);
    const child = await makeKey(plane, owner.accountId, apikey(parent.key));
    expect((await listMembers(plane, owner.accountId, child.key)).status).toBe(200);
    const deleted = await connect(plane, AUTH, 'DeleteManagementKey', { accountId: owner.accountId, managementKeyId: parent.id }, owner.headers);
    expect(deleted.status, deleted.text).toBe(200);
    expect(refusal(await listMembers(plane, owner.accountId, child.key))).toEqual({
      code: 'permission_denied',
      message: `management key ${child.id} was made by management key ${parent.id}, which was deleted or expired; its permissions are void`,
    });
  });
});
