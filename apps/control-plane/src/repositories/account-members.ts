import type { Db } from '../db/db.ts';
import { cancelInvitesBy } from './invites.ts';
import type { Clock } from './tokens.ts';

// An account's members and the roles that matter to the account itself (Owner, Admin).

export interface MemberView {
  user_id: string;
  email: string;
  status: string;
  user_created_at: string;
  user_last_modified_at: string;
  is_owner: boolean;
}

const ownerRoleHolders = (db: Db, accountId: string) =>
  db.q
    .selectFrom('user_roles as ur')
    .innerJoin('roles as r', 'r.id', 'ur.role_id')
    .select('ur.user_id')
    .where('ur.account_id', '=', accountId)
    .where('r.sub_type', '=', 'owner');

export async function membersOf(db: Db, accountId: string, userId?: string): Promise<MemberView[]> {
  let query = db.q
    .selectFrom('account_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id as user_id', 'u.email', 'u.status', 'u.created_at as user_created_at', 'u.last_modified_at as user_last_modified_at'])
    .where('m.account_id', '=', accountId);
  if (userId) query = query.where('u.id', '=', userId);
  const rows = await query.orderBy('m.created_at').orderBy('u.id').execute();
  const owners = new Set((await ownerRoleHolders(db, accountId).execute()).map((r) => r.user_id));
  return rows.map((row) => ({ ...row, is_owner: owners.has(row.user_id) }));
}

/** The user ids holding the account's Owner role. */
export async function ownersOf(db: Db, accountId: string): Promise<string[]> {
  return (await ownerRoleHolders(db, accountId).execute()).map((r) => r.user_id);
}

/** Ends a membership: the user's roles in the account and the sessions acting in it go with it. */
export async function removeMember(db: Db, accountId: string, userId: string, now: Clock): Promise<void> {
  await db.tx(async (tx) => {
    await cancelInvitesBy(tx, accountId, userId, now);
    await tx.q.deleteFrom('user_roles').where('account_id', '=', accountId).where('user_id', '=', userId).execute();
    await tx.q.deleteFrom('cloud_sessions').where('account_id', '=', accountId).where('user_id', '=', userId).execute();
    await tx.q.deleteFrom('account_members').where('account_id', '=', accountId).where('user_id', '=', userId).execute();
  });
}

/** Whether the principal holds a role of `subTypes` in the account (a user through user_roles, a key through management_key_roles). */
export async function holdsRole(
  db: Db,
  accountId: string,
  principal: { kind: 'user' | 'management_key'; id: string },
  subTypes: readonly string[],
): Promise<boolean> {
  const row =
    principal.kind === 'user'
      ? await db.q
          .selectFrom('user_roles as ur')
          .innerJoin('roles as r', 'r.id', 'ur.role_id')
          .select('r.id')
          .where('ur.account_id', '=', accountId)
          .where('ur.user_id', '=', principal.id)
          .where('r.sub_type', 'in', subTypes)
          .executeTakeFirst()
      : await db.q
          .selectFrom('management_key_roles as kr')
          .innerJoin('roles as r', 'r.id', 'kr.role_id')
          .select('r.id')
          .where('r.account_id', '=', accountId)
          .where('kr.management_key_id', '=', principal.id)
          .where('r.sub_type', 'in', subTypes)
          .executeTakeFirst();
  return row !== undefined;
}

/** The account's role ids among `ids` (another account's role ids are not found). */
export async function rolesOfAccount(db: Db, accountId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  return (await db.q.selectFrom('roles').select('id').where('account_id', '=', accountId).where('id', 'in', ids).execute()).map((r) => r.id);
}
