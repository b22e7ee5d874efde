import { Code, ConnectError } from '@connectrpc/connect';
import type { accountV1 } from '@qhc/cloud-api';
import type { Db } from '../../db/db.ts';
import { permissionsIn } from '../../iam/effective-permissions.ts';
import { checkGrantable } from '../../iam/grantable.ts';
import { holdsRole } from '../../repositories/account-members.ts';
import { listManagementKeys } from '../../repositories/management-keys.ts';
import { rolesByIds, type RoleWithPermissions } from '../../repositories/roles.ts';
import {
  inviteById,
  inviteOf,
  insertInvite,
  invitesForEmail,
  invitesOfAccount,
  livePendingInvite,
  MAX_PENDING_INVITES,
  pendingInviteCount,
  setInviteStatus,
  type InviteStatus,
  type InviteView,
} from '../../repositories/invites.ts';
import { iso } from '../../repositories/tokens.ts';
import { addMember, isMember, userByEmail, userById } from '../../repositories/users.ts';
import type { Caller, CloudDeps } from '../context.ts';
import { invalid, roleIdsField, uuidField } from '../qhc/fields.ts';
import { emailField } from './fields.ts';
import { inviteStatusOfProto, toInvite } from './messages.ts';
import { userOf, type UserPrincipal } from './principals.ts';

// AccountService's invites: an account's admins invite an email with roles; the person with
// that email accepts (becoming a member with them) or rejects. Expiry is read against the clock.

const notFound = (id: string) => new ConnectError(`invite ${id} not found`, Code.NotFound);

/** The role ids of a new invite: the account's own (another account's id is "not a role of this account"), granting nothing the caller lacks. */
async function inviteRoles(deps: CloudDeps, caller: Caller, ids: readonly string[]): Promise<string[]> {
  const wanted = roleIdsField('account_invite.user_role_ids', ids);
  const roles = await rolesByIds(deps.db, caller.accountId, wanted);
  const known = new Set(roles.map((role) => role.id));
  wanted.forEach((id, i) => {
    if (!known.has(id)) throw invalid(`account_invite.user_role_ids[${i}]`, `${id} is not a role of this account`);
  });
  // Inviting someone as Owner grants more than an Admin has: only an Owner may.
  if (roles.some((role) => role.sub_type === 'owner') && !(await holdsRole(deps.db, caller.accountId, caller.principal, ['owner'])))
    throw new ConnectError('only an Owner of the account may invite with the Owner role', Code.PermissionDenied);
  checkGrantable(
    caller.permissions,
    roles.flatMap((role) => role.permissions),
    'account_invite.user_role_ids: the roles grant',
  );
  return [...known];
}

/** Why the invite's maker can no longer give what it offers (left, lost the permissions, key deleted), if so. */
async function voidedBy(db: Db, row: InviteView, roles: readonly RoleWithPermissions[], now: CloudDeps['now']): Promise<string | undefined> {
  const maker: { kind: 'management_key' | 'user'; id: string } | undefined = row.created_by_user_id
    ? { kind: 'user', id: row.created_by_user_id }
    : row.created_by_key_id
      ? { kind: 'management_key', id: row.created_by_key_id }
      : undefined;
  if (!maker) return 'it names no maker';
  const at = iso(now);
  if (
    maker.kind === 'management_key' &&
    !(await listManagementKeys(db, row.account_id)).some((key) => key.id === maker.id && (key.expires_at === null || key.expires_at > at))
  )
    return 'the management key that sent it was deleted or expired';
  const held = await permissionsIn(db, row.account_id, maker, now);
  if (held.voidReason) return held.voidReason;
  if (held.permissions.size === 0) return 'the member who sent it is no longer a member of the account';
  const lacking = [...new Set(roles.flatMap((role) => role.permissions))].filter((p) => !held.permissions.has(p)).toSorted();
  if (lacking.length > 0) return `whoever sent it no longer holds ${lacking.join(', ')}, which its roles grant`;
  return undefined;
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
    if ((await pendingInviteCount(tx, caller.accountId)) >= MAX_PENDING_INVITES)
      throw new ConnectError(`the account has ${MAX_PENDING_INVITES} pending invites, the most it may have; cancel some first`, Code.FailedPrecondition);
    return insertInvite(tx, caller.accountId, email, roles, caller.principal, deps.now);
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

/**
 * Anyone may sign up with any email (qhc sends no mail), so an invite to an email is claimed only
 * by a user whose email was verified: by an OIDC provider, or by an instance administrator.
 */
async function verifiedUser(deps: CloudDeps, caller: Caller, method: string): Promise<UserPrincipal> {
  const user = userOf(caller, method);
  if (!(await userById(deps.db, user.id))?.email_verified_at)
    throw new ConnectError(
      `${method}: your email ${user.email} is not verified; sign in through your organisation's single sign-on, or ask an instance administrator to verify it (qhc-control-plane verify-email ${user.email})`,
      Code.FailedPrecondition,
    );
  return user;
}

/** The caller's pending, unexpired invites, from any account. */
export async function receivedInvites(deps: CloudDeps, caller: Caller): Promise<accountV1.AccountInvite[]> {
  const user = await verifiedUser(deps, caller, 'ListReceivedAccountInvites');
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
  const user = await verifiedUser(deps, caller, answer === 'accepted' ? 'AcceptAccountInvite' : 'RejectAccountInvite');
  const accountId = uuidField('account_id', req.accountId);
  const id = uuidField('invite_id', req.inviteId);
  const row = await inviteById(deps.db, id);
  // Someone else's invite is answered as one that does not exist: its id is not confirmed.
  if (!row || row.account_id !== accountId || row.email !== user.email) throw notFound(id);
  if (row.status !== 'pending') throw new ConnectError(`invite ${id} is ${row.status}, not pending`, Code.FailedPrecondition);
  if (row.expires_at <= iso(deps.now)) throw new ConnectError(`invite ${id} expired at ${row.expires_at}`, Code.FailedPrecondition);
  // Roles deleted since the invite was sent are not given.
  const roles = await rolesByIds(deps.db, accountId, JSON.parse(row.role_ids) as string[]);
  const voided = answer === 'accepted' ? await voidedBy(deps.db, row, roles, deps.now) : undefined;
  if (voided) throw new ConnectError(`invite ${id} is void: ${voided}`, Code.FailedPrecondition);
  await deps.db.tx(async (tx) => {
    if (!(await setInviteStatus(tx, id, answer, deps.now))) throw new ConnectError(`invite ${id} was answered or canceled meanwhile`, Code.FailedPrecondition);
    if (answer === 'accepted')
      await addMember(
        tx,
        accountId,
        user.id,
        roles.map((role) => role.id),
        deps.now,
      );
  });
  return toInvite((await inviteById(deps.db, id))!);
}
