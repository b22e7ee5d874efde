// AccountService's invites and members: an account's Owner invites an email with roles, the
// person with that email (signed up) accepts or rejects; invites expire after 7 days.
import { describe, expect, it } from 'vitest';
import { ACCOUNTS, connect, refusal, roleId, sessionIn, signUp, verifyEmail, type Headers, type SignedUp } from './support/accounts.ts';
import { cloudPlane, type CloudPlane, type Dialect } from './support/cloud.ts';
import { sqlOn } from './support/sql.ts';

let counter = 0;
const email = (who: string) => `${who}-${process.pid}-${counter++}@example.test`;

const invite = (plane: CloudPlane, owner: SignedUp, to: string, roleIds: string[]) =>
  connect(plane, ACCOUNTS, 'CreateAccountInvite', { accountInvite: { accountId: owner.accountId, userEmail: to, userRoleIds: roleIds } }, owner.headers);
const answer = (plane: CloudPlane, how: 'Accept' | 'Reject', accountId: string, inviteId: string, headers: Headers) =>
  connect(plane, ACCOUNTS, `${how}AccountInvite`, { accountId, inviteId }, headers);
const members = async (plane: CloudPlane, accountId: string, headers: Headers) => {
  const res = await connect(plane, ACCOUNTS, 'ListAccountMembers', { accountId }, headers);
  expect(res.status, res.text).toBe(200);
  return res.json.items as Array<{ accountMember: { id: string; email: string }; isOwner?: boolean }>;
};

describe.each(['sqlite', 'postgres'] as const)('invites on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, autoApproveAccounts: true });

  it('accepted: the invitee becomes a member with the roles, sees both accounts', async () => {
    const owner = await signUp(plane, email('owner'));
    const bobEmail = email('bob');
    const viewer = await roleId(plane, owner.accountId, 'Viewer');
    const sent = await invite(plane, owner, bobEmail.toUpperCase(), [viewer]);
    expect(sent.status, sent.text).toBe(200);
    expect(sent.json.accountInvite).toMatchObject({
      userEmail: bobEmail,
      userRoleIds: [viewer],
      status: 'ACCOUNT_INVITE_STATUS_PENDING',
      accountName: expect.stringMatching(/^account of owner-/),
    });
    const again = refusal(await invite(plane, owner, bobEmail, []));
    expect(again).toEqual({ code: 'already_exists', message: expect.stringContaining('already has a pending invite') });

    const bob = await signUp(plane, bobEmail);
    await verifyEmail(plane, bob.userId);
    const received = await connect(plane, ACCOUNTS, 'ListReceivedAccountInvites', {}, bob.headers);
    expect(received.json.items.map((i: { id: string }) => i.id)).toEqual([sent.json.accountInvite.id]);
    const accepted = await answer(plane, 'Accept', owner.accountId, sent.json.accountInvite.id, bob.headers);
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.json.invite.status).toBe('ACCOUNT_INVITE_STATUS_ACCEPTED');
    const listed = (await members(plane, owner.accountId, owner.headers)).map((m) => [m.accountMember.email, m.isOwner ?? false]);
    expect(listed.toSorted()).toEqual([
      [bobEmail, false],
      [expect.stringMatching(/^owner-/), true],
    ]);
    const roles = await sqlOn(plane.cp.store.db).all<{ name: string }>(
      'SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = $1 AND ur.account_id = $2 ORDER BY r.name',
      [bob.userId, owner.accountId],
    );
    expect(roles.map((r) => r.name)).toEqual(['Base', 'Viewer']);
    const accounts = await connect(plane, ACCOUNTS, 'ListAccounts', {}, bob.headers);
    expect(accounts.json.items.map((a: { id: string }) => a.id).toSorted()).toEqual([bob.accountId, owner.accountId].toSorted());
    expect(refusal(await answer(plane, 'Accept', owner.accountId, sent.json.accountInvite.id, bob.headers)).code).toBe('failed_precondition');
    expect(refusal(await invite(plane, owner, bobEmail, [])).code).toBe('already_exists');
  });

  it('refuses another email, another account id; rejected and canceled invites stay so', async () => {
    const owner = await signUp(plane, email('owner'));
    const carolEmail = email('carol');
    const sent = (await invite(plane, owner, carolEmail, [])).json.accountInvite;
    const mallory = await signUp(plane, email('mallory'));
    await verifyEmail(plane, mallory.userId);
    // Someone else's invite is answered as one that does not exist (its id is not confirmed).
    expect(refusal(await answer(plane, 'Accept', owner.accountId, sent.id, mallory.headers))).toEqual({
      code: 'not_found',
      message: `invite ${sent.id} not found`,
    });
    expect(refusal(await answer(plane, 'Reject', owner.accountId, sent.id, mallory.headers)).code).toBe('not_found');
    expect(refusal(await answer(plane, 'Accept', mallory.accountId, sent.id, mallory.headers)).code).toBe('not_found');
    expect((await members(plane, owner.accountId, owner.headers)).length).toBe(1);

    const carol = await signUp(plane, carolEmail);
    await verifyEmail(plane, carol.userId);
    const rejected = await answer(plane, 'Reject', owner.accountId, sent.id, carol.headers);
    expect(rejected.json.invite.status).toBe('ACCOUNT_INVITE_STATUS_REJECTED');
    expect((await members(plane, owner.accountId, owner.headers)).length).toBe(1);

    const second = (await invite(plane, owner, carolEmail, [])).json.accountInvite;
    expect((await connect(plane, ACCOUNTS, 'DeleteAccountInvite', { accountId: owner.accountId, inviteId: second.id }, owner.headers)).status).toBe(200);
    expect(refusal(await answer(plane, 'Accept', owner.accountId, second.id, carol.headers)).message).toBe(`invite ${second.id} is canceled, not pending`);
    const listed = await connect(
      plane,
      ACCOUNTS,
      'ListAccountInvites',
      { accountId: owner.accountId, statuses: ['ACCOUNT_INVITE_STATUS_CANCELED'] },
      owner.headers,
    );
    expect(listed.json.items.map((i: { id: string }) => i.id)).toEqual([second.id]);
    const got = await connect(plane, ACCOUNTS, 'GetAccountInvite', { accountId: owner.accountId, inviteId: sent.id }, owner.headers);
    expect(got.json.accountInvite.status).toBe('ACCOUNT_INVITE_STATUS_REJECTED');
  });
});

describe.each(['sqlite', 'postgres'] as const)('expired and foreign invites on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, autoApproveAccounts: true });

  it('expires after 7 days by the clock: accepting answers when it expired; a new invite may then be sent', async () => {
    const owner = await signUp(plane, email('owner'));
    const daveEmail = email('dave');
    const sent = (await invite(plane, owner, daveEmail, [])).json.accountInvite;
    const dave = await signUp(plane, daveEmail);
    await verifyEmail(plane, dave.userId);
    const expiresAt = new Date(plane.clock.now + 7 * 24 * 3600_000).toISOString();
    plane.clock.now += 7 * 24 * 3600_000;
    try {
      const headers = await sessionIn(plane, dave.userId, dave.accountId);
      expect(refusal(await answer(plane, 'Accept', owner.accountId, sent.id, headers))).toEqual({
        code: 'failed_precondition',
        message: `invite ${sent.id} expired at ${expiresAt}`,
      });
      expect((await connect(plane, ACCOUNTS, 'ListReceivedAccountInvites', {}, headers)).json.items ?? []).toEqual([]);
      const ownerHeaders = await sessionIn(plane, owner.userId, owner.accountId);
      expect(
        (await connect(plane, ACCOUNTS, 'CreateAccountInvite', { accountInvite: { accountId: owner.accountId, userEmail: daveEmail } }, ownerHeaders)).status,
      ).toBe(200);
    } finally {
      plane.clock.now -= 7 * 24 * 3600_000;
    }
  });

  it('refuses roles of another account', async () => {
    const owner = await signUp(plane, email('owner'));
    const other = await signUp(plane, email('other'));
    const foreign = await roleId(plane, other.accountId, 'Admin');
    expect(refusal(await invite(plane, owner, email('x'), [foreign]))).toEqual({
      code: 'invalid_argument',
      message: `account_invite.user_role_ids[0]: ${foreign} is not a role of this account`,
    });
  });
});
