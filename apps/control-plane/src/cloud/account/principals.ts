import { Code, ConnectError } from '@connectrpc/connect';
import type { Db } from '../../db/db.ts';
import { holdsRole } from '../../repositories/account-members.ts';
import { installerAccountId } from '../../repositories/accounts.ts';
import type { Caller, Principal } from '../context.ts';

// Who may do what beyond the permissions the interceptor enforces: rpcs only a person can
// call, the account's Owner, and the instance's administrators.

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** The caller's user; a management key is refused (it has no email, no memberships, no invites). */
export function userOf(caller: Caller, method: string): UserPrincipal {
  if (caller.principal.kind !== 'user')
    throw new ConnectError(`${method} is for a signed-in user; a management key has no user (sign in to the console with your email)`, Code.FailedPrecondition);
  return caller.principal;
}

/**
 * Instance administrators: users flagged instance_admin, and whoever holds Owner or Admin in
 * the FIRST account (the installer's: its printed management key and the console signed in with it).
 */
export async function isInstanceAdmin(db: Db, principal: Principal): Promise<boolean> {
  if (principal.kind === 'user') {
    const user = await db.q.selectFrom('users').select('instance_admin').where('id', '=', principal.id).executeTakeFirst();
    if (user?.instance_admin === 1) return true;
  }
  return holdsRole(db, await installerAccountId(db), principal, ['owner', 'admin']);
}

export async function requireInstanceAdmin(db: Db, caller: Caller, method: string): Promise<void> {
  if (!(await isInstanceAdmin(db, caller.principal)))
    throw new ConnectError(`${method} is for instance administrators (instance_admin users, or Owners and Admins of the first account)`, Code.PermissionDenied);
}

/** The user holds the account's Owner role. */
export async function requireOwner(db: Db, caller: Caller, method: string): Promise<UserPrincipal> {
  const user = userOf(caller, method);
  if (!(await holdsRole(db, caller.accountId, user, ['owner']))) throw new ConnectError(`${method} is for the account's Owner`, Code.PermissionDenied);
  return user;
}

/** What decided_by stores: a user id, or `management_key:<id>` (no user to name). */
export const deciderOf = (principal: Principal) => (principal.kind === 'user' ? principal.id : `management_key:${principal.id}`);
