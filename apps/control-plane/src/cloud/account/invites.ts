import { Code, ConnectError } from '@connectrpc/connect';
import type { accountV1 } from '@qhc/cloud-api';
import { holdsRole, rolesOfAccount } from '../../repositories/account-members.ts';
import {
  inviteById,
  inviteOf,
  insertInvite,
  invitesForEmail,
  invitesOfAccount,
  livePendingInvite,
  setInviteStatus,
  type InviteStatus,
  type InviteView,
} from '../../repositories/invites.ts';
import { iso } from '../../repositories/tokens.ts';
import { addMember, isMember, userByEmail } from '../../repositories/users.ts';
import type { Caller, CloudDeps } from '../context.ts';
import { invalid, uuidField } from '../qhc/fields.ts';
import { emailField } from './fields.ts';
import { inviteStatusOfProto, toInvite } from './messages.ts';
import { userOf } from './principals.ts';

// AccountService's invites: an account's admins invite an email with roles; the person with
// that email accepts (becoming a member with them) or rejects. Expiry is read against the clock.

const notFound = (id: string) => new ConnectError(`invite ${id} not found`, Code.NotFound);

/** The role ids of a new invite: the account's own (another account's id is "not a role of this account"). */
async function inviteRoles(deps: CloudDeps, caller: Caller, ids: readonly string[]): Promise<string[]> {
  const wanted = ids.map((id, i) => uuidField(`account_invite.user_role_ids[${i}]`, id));
  const known = new Set(await rolesOfAccount(deps.db, caller.accountId, wanted));
  wanted.forEach((id, i) => {
    if (!known.has(id)) throw invalid(`account_invite.user_role_ids[${i}]`, `${id} is not a role of this account`);
  });
  const owner = await deps.db.q.selectFrom('roles').select('id').where('account_id', '=', caller.accountId).where('sub_type', '=', 'owner').executeTakeFirst();
  // Inviting someone as Owner grants more than an Admin has: only an Owner may.
  if (owner && known.has(owner.id) && !(await holdsRole(deps.db, caller.accountId, caller.principal, ['owner'])))
    throw new ConnectError('only an Owner of the account may invite with the Owner role', Code.PermissionDenied);
  return [...known];
}

export async function createInvite(deps: CloudDeps, caller: Caller, invite: accountV1.AccountInvite | undefined): Promise<accountV1.AccountInvite> {
  if (!invite) throw invalid('account_invite', 'missing');
  if (invite.id !== '' || invite.status !== 0 || invite.createdByUserId !== undefined)
    throw invalid('account_invite', 'id, status and created_by_user_id are read-only; leave them unset');
  const email = emailField('account_invite.user_email', invite.userEmail);
  const roles = await inviteRoles(deps, caller, invite.userRoleIds);
  const user = await userByEmail(deps.db, email);
  if (user && (await isMember(deps.db, caller.accountId, user.id)))
    throw new ConnectError(`account_invite.user_email: ${email} is already a member of the account`, Code.AlreadyExists);
  const row = await deps.db.tx(async (tx) => {
    if (await livePendingInvite(tx, caller.accountId, email, deps.now))
      throw new ConnectError(`account_invite.user_email: ${email} already has a pending invite to this account`, Code.AlreadyExists);
    return insertInvite(tx, caller.accountId, email, roles, caller.principal.kind === 'user' ? caller.principal.id : null, deps.now);
  });
  return toInvite((await inviteOf(deps.db, caller.accountId, row.id))!);
}

export async function accountInvite(deps: CloudDeps, caller: Caller, inviteId: string): Promise<InviteView> {
  const id = uuidField('invite_id', inviteId);
  const row = await inviteOf(deps.db, caller.accountId, id);
  if (!row) throw notFound(id);
  return row;
}

export async function listInvites(deps: CloudDeps, caller: Caller, statuses: readonly number[]): Promise<accountV1.AccountInvite[]> {
  const wanted = statuses.map((s, i) => {
    const status = inviteStatusOfProto.get(s);
    if (!status) throw invalid(`statuses[${i}]`, `unknown invite status ${s}`);
    return status;
  });
  return (await invitesOfAccount(deps.db, caller.accountId, wanted)).map(toInvite);
}

/** Cancels a pending invite of the account. */
export async function cancelInvite(deps: CloudDeps, caller: Caller, inviteId: string): Promise<void> {
  const row = await accountInvite(deps, caller, inviteId);
  if (!(await setInviteStatus(deps.db, row.id, 'canceled', deps.now)))
    throw new ConnectError(`invite ${row.id} is ${row.status}, not pending`, Code.FailedPrecondition);
}

/** The caller's pending, unexpired invites, from any account. */
export async function receivedInvites(deps: CloudDeps, caller: Caller): Promise<accountV1.AccountInvite[]> {
  const user = userOf(caller, 'ListReceivedAccountInvites');
  const at = iso(deps.now);
  return (await invitesForEmail(deps.db, user.email)).filter((row) => row.expires_at > at).map(toInvite);
}

/** The invitee's answer: accepted (a member with the invite's roles) or rejected. */
export async function answerInvite(
  deps: CloudDeps,
  caller: Caller,
  req: { accountId: string; inviteId: string },
  answer: InviteStatus,
): Promise<accountV1.AccountInvite> {
  const user = userOf(caller, answer === 'accepted' ? 'AcceptAccountInvite' : 'RejectAccountInvite');
  const accountId = uuidField('account_id', req.accountId);
  const id = uuidField('invite_id', req.inviteId);
  const row = await inviteById(deps.db, id);
  if (!row || row.account_id !== accountId) throw notFound(id);
  if (row.email !== user.email) throw new ConnectError(`invite ${id} is addressed to another email than yours`, Code.PermissionDenied);
  if (row.status !== 'pending') throw new ConnectError(`invite ${id} is ${row.status}, not pending`, Code.FailedPrecondition);
  if (row.expires_at <= iso(deps.now)) throw new ConnectError(`invite ${id} expired at ${row.expires_at}`, Code.FailedPrecondition);
  await deps.db.tx(async (tx) => {
    if (!(await setInviteStatus(tx, id, answer, deps.now))) throw new ConnectError(`invite ${id} was answered or canceled meanwhile`, Code.FailedPrecondition);
    if (answer !== 'accepted') return;
    // Roles deleted since the invite was sent are not given.
    const roles = await rolesOfAccount(tx, accountId, JSON.parse(row.role_ids) as string[]);
    await addMember(tx, accountId, user.id, roles, deps.now);
  });
  return toInvite((await inviteById(deps.db, id))!);
}
