// AssignUserRoles: taking a role away needs what giving it needs (the caller holds everything
// it grants), and the account's last Owner cannot lose the Owner role.
import { describe, expect, it } from 'vitest';
import { connect, refusal, roleId, signUp, type Headers } from './support/accounts.ts';
import { cloudPlane, type CloudPlane, type Dialect } from './support/cloud.ts';
import { customRole, email, memberOf } from './support/members.ts';
import { sqlOn } from './support/sql.ts';

const IAM = 'qdrant.cloud.iam.v1.IAMService';

const assign = (plane: CloudPlane, accountId: string, userId: string, change: { roleIdsToAdd?: string[]; roleIdsToDelete?: string[] }, headers: Headers) =>
  connect(plane, IAM, 'AssignUserRoles', { accountId, userId, ...change }, headers);

const roleNames = async (plane: CloudPlane, accountId: string, userId: string) =>
  (
    await sqlOn(plane.cp.store.db).all<{ name: string }>(
      'SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.account_id = $1 AND ur.user_id = $2 ORDER BY r.name',
      [accountId, userId],
    )
  ).map((r) => r.name);

describe.each(['sqlite', 'postgres'] as const)('taking roles away on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, autoApproveAccounts: true });

  it('a role manager cannot strip a role granting what they lack (an Admin of theirs), but can one within their permissions', async () => {
    const owner = await signUp(plane, email('owner'));
    const manager = await customRole(plane, owner.accountId, ['read:account', 'read:roles', 'write:roles', 'read:users']);
    const mia = await memberOf(plane, owner.accountId, 'mia', [], [manager]);
    const ada = await memberOf(plane, owner.accountId, 'ada', ['Admin'], [manager]);
    const admin = await roleId(plane, owner.accountId, 'Admin');
    const refused = refusal(await assign(plane, owner.accountId, ada.userId, { roleIdsToDelete: [admin] }, mia.inAccount));
    expect(refused.code).toBe('permission_denied');
    expect(refused.message).toMatch(/^role_ids_to_delete: the roles grant the permissions .*write:clusters.*, which the caller does not hold$/);
    expect(await roleNames(plane, owner.accountId, ada.userId)).toContain('Admin');
    const fine = await assign(plane, owner.accountId, ada.userId, { roleIdsToDelete: [manager] }, mia.inAccount);
    expect(fine.status, fine.text).toBe(200);
  });

  it('refuses more than 50 role ids, naming the field', async () => {
    const owner = await signUp(plane, email('owner'));
    const ids = Array.from({ length: 51 }, () => crypto.randomUUID());
    expect(refusal(await assign(plane, owner.accountId, owner.userId, { roleIdsToAdd: ids }, owner.headers))).toEqual({
      code: 'invalid_argument',
      message: 'role_ids_to_add: 51 role ids; at most 50',
    });
  });
});

describe.each(['sqlite', 'postgres'] as const)('the last Owner on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, autoApproveAccounts: true });

  it('keeps the Owner role while they are the only Owner; with a second Owner it may go', async () => {
    const owner = await signUp(plane, email('owner'));
    const ownerRole = await roleId(plane, owner.accountId, 'Owner');
    expect(refusal(await assign(plane, owner.accountId, owner.userId, { roleIdsToDelete: [ownerRole] }, owner.headers))).toEqual({
      code: 'failed_precondition',
      message: `user ${owner.userId} is the last Owner of account ${owner.accountId}; give another member the Owner role first, or delete the account`,
    });
    expect(await roleNames(plane, owner.accountId, owner.userId)).toContain('Owner');
    const ola = await memberOf(plane, owner.accountId, 'ola', ['Owner']);
    const dropped = await assign(plane, owner.accountId, owner.userId, { roleIdsToDelete: [ownerRole] }, ola.inAccount);
    expect(dropped.status, dropped.text).toBe(200);
    expect(await roleNames(plane, owner.accountId, owner.userId)).not.toContain('Owner');
  });
});
