import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db.ts';
import type { Database } from '../db/schema.ts';
import { iso, type Clock } from './tokens.ts';

// An account's roles (built-in and custom), their permissions, and who holds them: users per
// account (user_roles) and management keys (management_key_roles).

export type RoleRow = Database['roles'];
export interface RoleWithPermissions extends RoleRow {
  permissions: string[];
}

/** The account's Owner role (every account has one: migration 15 and account creation make it). */
export async function ownerRoleId(db: Db, accountId: string): Promise<string> {
  const row = await db.q.selectFrom('roles').select('id').where('account_id', '=', accountId).where('sub_type', '=', 'owner').executeTakeFirst();
  if (!row) throw new Error(`account ${accountId} has no Owner role`);
  return row.id;
}

async function withPermissions(db: Db, rows: RoleRow[]): Promise<RoleWithPermissions[]> {
  if (rows.length === 0) return [];
  const grants = await db.q
    .selectFrom('role_permissions')
    .selectAll()
    .where(
      'role_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('permission')
    .execute();
  return rows.map((row) => ({ ...row, permissions: grants.filter((g) => g.role_id === row.id).map((g) => g.permission) }));
}

/** The account's roles with their permissions, built-in first, then by name. */
export async function listRoles(db: Db, accountId: string): Promise<RoleWithPermissions[]> {
  const rows = await db.q.selectFrom('roles').selectAll().where('account_id', '=', accountId).orderBy('type', 'desc').orderBy('name').orderBy('id').execute();
  return withPermissions(db, rows);
}

/** The account's roles among `ids` (another account's ids are not found). */
export async function rolesByIds(db: Db, accountId: string, ids: readonly string[]): Promise<RoleWithPermissions[]> {
  if (ids.length === 0) return [];
  const rows = await db.q
    .selectFrom('roles')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', 'in', [...ids])
    .orderBy('name')
    .execute();
  return withPermissions(db, rows);
}

export async function roleById(db: Db, accountId: string, id: string): Promise<RoleWithPermissions | undefined> {
  return (await rolesByIds(db, accountId, [id]))[0];
}

export async function roleByName(db: Db, accountId: string, name: string): Promise<RoleRow | undefined> {
  return db.q.selectFrom('roles').selectAll().where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
}

export interface RoleFields {
  name: string;
  description: string;
  permissions: readonly string[];
}

async function setPermissions(db: Db, roleId: string, permissions: readonly string[]): Promise<void> {
  await db.q.deleteFrom('role_permissions').where('role_id', '=', roleId).execute();
  const unique = [...new Set(permissions)];
  if (unique.length > 0)
    await db.q
      .insertInto('role_permissions')
      .values(unique.map((permission) => ({ role_id: roleId, permission })))
      .execute();
}

/** A custom role of the account. */
export async function insertRole(db: Db, accountId: string, fields: RoleFields, now: Clock): Promise<RoleWithPermissions> {
  const at = iso(now);
  const row: RoleRow = {
    id: randomUUID(),
    account_id: accountId,
    name: fields.name,
    description: fields.description,
    type: 'custom',
    sub_type: null,
    created_at: at,
    last_modified_at: at,
  };
  await db.tx(async (tx) => {
    await tx.q.insertInto('roles').values(row).execute();
    await setPermissions(tx, row.id, fields.permissions);
  });
  return (await roleById(db, accountId, row.id))!;
}

/** Replaces a custom role's name, description and permissions. */
export async function updateRole(db: Db, accountId: string, id: string, fields: RoleFields, now: Clock): Promise<RoleWithPermissions | undefined> {
  await db.tx(async (tx) => {
    await tx.q
      .updateTable('roles')
      .set({ name: fields.name, description: fields.description, last_modified_at: iso(now) })
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .execute();
    await setPermissions(tx, id, fields.permissions);
  });
  return roleById(db, accountId, id);
}

/** Deletes a role; its holders lose it (ON DELETE CASCADE). */
export async function deleteRole(db: Db, accountId: string, id: string): Promise<void> {
  await db.q.deleteFrom('roles').where('id', '=', id).where('account_id', '=', accountId).execute();
}

/** The roles a key holds. */
export async function keyRoleIds(db: Db, managementKeyId: string): Promise<string[]> {
  const rows = await db.q.selectFrom('management_key_roles').select('role_id').where('management_key_id', '=', managementKeyId).orderBy('role_id').execute();
  return rows.map((row) => row.role_id);
}

/** The roles a user holds in an account. */
export async function userRoleIds(db: Db, accountId: string, userId: string): Promise<string[]> {
  const rows = await db.q
    .selectFrom('user_roles')
    .select('role_id')
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .orderBy('role_id')
    .execute();
  return rows.map((row) => row.role_id);
}

/** The members of the account holding a role, by email. */
export async function roleUsers(db: Db, accountId: string, roleId: string): Promise<Database['users'][]> {
  return db.q
    .selectFrom('user_roles as ur')
    .innerJoin('users as u', 'u.id', 'ur.user_id')
    .selectAll('u')
    .where('ur.account_id', '=', accountId)
    .where('ur.role_id', '=', roleId)
    .orderBy('u.email')
    .execute();
}

/** Adds and removes a member's roles in one transaction. */
export async function changeUserRoles(db: Db, accountId: string, userId: string, add: readonly string[], remove: readonly string[]): Promise<void> {
  await db.tx(async (tx) => {
    if (remove.length > 0)
      await tx.q
        .deleteFrom('user_roles')
        .where('account_id', '=', accountId)
        .where('user_id', '=', userId)
        .where('role_id', 'in', [...remove])
        .execute();
    if (add.length > 0)
      await tx.q
        .insertInto('user_roles')
        .values([...new Set(add)].map((role_id) => ({ account_id: accountId, user_id: userId, role_id })))
        .onConflict((oc) => oc.doNothing())
        .execute();
  });
}

/** The account's members, by email. */
export async function accountMembers(db: Db, accountId: string): Promise<Database['users'][]> {
  return db.q
    .selectFrom('account_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .selectAll('u')
    .where('m.account_id', '=', accountId)
    .orderBy('u.email')
    .execute();
}
