import type { Db } from '../db/db.ts';

// What a principal may do in an account: the union of the permissions of its roles there. One
// query each, run for every authenticated call (roles change take effect on the next call).

/** The permissions of a management key's roles (a key's roles are all of its own account's). */
export async function keyPermissions(db: Db, managementKeyId: string): Promise<Set<string>> {
  const rows = await db.q
    .selectFrom('management_key_roles as kr')
    .innerJoin('role_permissions as rp', 'rp.role_id', 'kr.role_id')
    .select('rp.permission')
    .distinct()
    .where('kr.management_key_id', '=', managementKeyId)
    .execute();
  return new Set(rows.map((row) => row.permission));
}

/** The permissions of a user's roles in one account (none when they are not a member). */
export async function userPermissions(db: Db, accountId: string, userId: string): Promise<Set<string>> {
  const rows = await db.q
    .selectFrom('user_roles as ur')
    .innerJoin('role_permissions as rp', 'rp.role_id', 'ur.role_id')
    .select('rp.permission')
    .distinct()
    .where('ur.account_id', '=', accountId)
    .where('ur.user_id', '=', userId)
    .execute();
  return new Set(rows.map((row) => row.permission));
}

/** A principal's permissions in `accountId`. */
export function permissionsIn(db: Db, accountId: string, principal: { kind: 'management_key' | 'user'; id: string }): Promise<Set<string>> {
  return principal.kind === 'management_key' ? keyPermissions(db, principal.id) : userPermissions(db, accountId, principal.id);
}
