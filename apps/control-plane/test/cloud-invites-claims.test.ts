// Invites grant nothing their maker does not hold (when sent and when accepted), and only a
// person whose email was verified claims one: anyone may sign up with any email.
import { describe, expect, it } from 'vitest';
import { ACCOUNTS, AUTH, connect, refusal, roleId, signUp, verifyEmail, type Headers } from './support/accounts.ts';
import { cloudPlane, type CloudPlane, type Dialect } from './support/cloud.ts';
import { customRole, email, memberOf, takeRole } from './support/members.ts';
import { sqlOn } from './support/sql.ts';

const invite = (plane: CloudPlane, accountId: string, to: string, roleIds: string[], headers: Headers) =>
  connect(plane, ACCOUNTS, 'CreateAccountInvite', { accountInvite: { accountId, userEmail: to, userRoleIds: roleIds } }, headers);
const accept = (plane: CloudPlane, accountId: string, inviteId: string, headers: Headers) =>
  connect(plane, ACCOUNTS, 'AcceptAccountInvite', { accountId, inviteId }, headers);

/** A signed-up, verified person: the invitee. */
async function invitee(plane: CloudPlane, to: string): Promise<Headers> {
  const person = await signUp(plane, to);
  await verifyEmail(plane, person.userId);
  return person.headers;
}

describe.each(['sqlite', 'postgres'] as const)('what an invite may grant, on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, autoApproveAccounts: true });

  it('a custom role with write:invites cannot invite as Admin (nor with any permission it lacks)', async () => {
    const owner = await signUp(plane, email('owner'));
    const role = await customRole(plane, owner.accountId, ['read:account', 'read:invites', 'write:invites']);
    const ivan = await memberOf(plane, owner.accountId, 'ivan', [], [role]);
    const admin = await roleId(plane, owner.accountId, 'Admin');
    const refused = refusal(await invite(plane, owner.accountId, email('x'), [admin], ivan.inAccount));
    expect(refused.code).toBe('permission_denied');
    expect(refused.message).toMatch(/^account_invite\.user_role_ids: the roles grant the permissions .*write:clusters.*, which the caller does not hold$/);
    expect((await invite(plane, owner.accountId, email('y'), [], ivan.inAccount)).status).toBe(200);
    expect((await invite(plane, owner.accountId, email('z'), [role], ivan.inAccount)).status).toBe(200);
  });

  it('accepting is refused once the maker lost what the invite grants; removing a member cancels their invites', async () => {
    const owner = await signUp(plane, email('owner'));
    const ada = await memberOf(plane, owner.accountId, 'ada', ['Admin']);
    const admin = await roleId(plane, owner.accountId, 'Admin');
    const [erinEmail, fayEmail] = [email('erin'), email('fay')];
    const toErin = (await invite(plane, owner.accountId, erinEmail, [admin], ada.inAccount)).json.accountInvite;
    const toFay = (await invite(plane, owner.accountId, fayEmail, [], ada.inAccount)).json.accountInvite;
    expect([toErin.status, toFay.status]).toEqual(['ACCOUNT_INVITE_STATUS_PENDING', 'ACCOUNT_INVITE_STATUS_PENDING']);

    await takeRole(plane, owner.accountId, ada.userId, 'Admin');
    const erin = await invitee(plane, erinEmail);
    const voided = refusal(await accept(plane, owner.accountId, toErin.id, erin));
    expect(voided.code).toBe('failed_precondition');
    expect(voided.message).toMatch(new RegExp(`^invite ${toErin.id} is void: whoever sent it no longer holds .*write:clusters`));

    const removed = await connect(plane, ACCOUNTS, 'DeleteAccountMember', { accountId: owner.accountId, userId: ada.userId }, owner.headers);
    expect(removed.status, removed.text).toBe(200);
    const statuses = await sqlOn(plane.cp.store.db).all<{ id: string; status: string }>(
      'SELECT id, status FROM account_invites WHERE account_id = $1 ORDER BY id',
      [owner.accountId],
    );
    expect(statuses).toEqual([toErin, toFay].map((i) => ({ id: i.id, status: 'canceled' })).toSorted((a, b) => a.id.localeCompare(b.id)));
    const fay = await invitee(plane, fayEmail);
    expect(refusal(await accept(plane, owner.accountId, toFay.id, fay)).message).toBe(`invite ${toFay.id} is canceled, not pending`);
  });
});

describe.each(['sqlite', 'postgres'] as const)('an invite a management key sent, on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, autoApproveAccounts: true });

  it('is void once the key is deleted', async () => {
    const owner = await signUp(plane, email('owner'));
    const made = await connect(plane, AUTH, 'CreateManagementKey', { managementKey: { accountId: owner.accountId } }, owner.headers);
    const key = made.json.managementKey as { id: string; key: string };
    const to = email('hal');
    const sent = (await invite(plane, owner.accountId, to, [], { authorization: `apikey ${key.key}` })).json.accountInvite;
    const deleted = await connect(plane, AUTH, 'DeleteManagementKey', { accountId: owner.accountId, managementKeyId: key.id }, owner.headers);
    expect(deleted.status, deleted.text).toBe(200);
    expect(refusal(await accept(plane, owner.accountId, sent.id, await invitee(plane, to)))).toEqual({
      code: 'failed_precondition',
      message: `invite ${sent.id} is void: the management key that sent it was deleted or expired`,
    });
  });
});

describe.each(['sqlite', 'postgres'] as const)('who may claim an invite, on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, autoApproveAccounts: true });

  it('a user whose email is not verified neither sees nor accepts invites; once verified they do', async () => {
    const owner = await signUp(plane, email('owner'));
    const to = email('gus');
    const sent = (await invite(plane, owner.accountId, to, [], owner.headers)).json.accountInvite;
    const gus = await signUp(plane, to);
    for (const [method, body] of [
      ['ListReceivedAccountInvites', {}],
      ['AcceptAccountInvite', { accountId: owner.accountId, inviteId: sent.id }],
      ['RejectAccountInvite', { accountId: owner.accountId, inviteId: sent.id }],
    ] as const) {
      const refused = refusal(await connect(plane, ACCOUNTS, method, body, gus.headers));
      expect(refused.code, method).toBe('failed_precondition');
      expect(refused.message).toBe(
        `${method}: your email ${to} is not verified; sign in through your organisation's single sign-on, or ask an instance administrator to verify it (qhc-control-plane verify-email ${to})`,
      );
    }
    await verifyEmail(plane, gus.userId);
    const received = await connect(plane, ACCOUNTS, 'ListReceivedAccountInvites', {}, gus.headers);
    expect(received.json.items.map((i: { id: string }) => i.id)).toEqual([sent.id]);
    expect((await accept(plane, owner.accountId, sent.id, gus.headers)).status).toBe(200);
  });
});
