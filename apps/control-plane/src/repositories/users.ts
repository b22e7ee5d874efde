import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db.ts';
import type { Database } from '../db/schema.ts';
import { iso, type Clock } from './tokens.ts';

// People. An email is one user across the control plane (lower-cased here, so lookups agree);
// what they may do lives in their account memberships and roles, not on the user.

export type UserRow = Database['users'];

export const normalEmail = (email: string) => email.trim().toLowerCase();

/** A new user (in the caller's transaction when there is one); `passwordHash` null for SSO-only users. */
export async function insertUser(db: Db, email: string, passwordHash: string | null, now: Clock): Promise<UserRow> {
  const at = iso(now);
  const row: UserRow = {
    id: randomUUID(),
    email: normalEmail(email),
    password_hash: passwordHash,
    status: 'active',
    instance_admin: 0,
    email_verified_at: null,
    created_at: at,
    last_modified_at: at,
  };
  await db.q.insertInto('users').values(row).execute();
  return row;
}

/** Records that `userId`'s email is theirs (an OIDC provider said email_verified, or an instance administrator checked); the first time stays. */
export async function markEmailVerified(db: Db, userId: string, now: Clock): Promise<void> {
  await db.q
    .updateTable('users')
    .set({ email_verified_at: iso(now) })
    .where('id', '=', userId)
    .where('email_verified_at', 'is', null)
    .execute();
}

export async function userByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.q.selectFrom('users').selectAll().where('email', '=', normalEmail(email)).executeTakeFirst();
}

export async function userById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.q.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Makes `userId` a member of `accountId` (idempotent) with the account's Base role and `roleIds`. */
export async function addMember(db: Db, accountId: string, userId: string, roleIds: readonly string[], now: Clock): Promise<void> {
  await db.tx(async (tx) => {
    await tx.q
      .insertInto('account_members')
      .values({ account_id: accountId, user_id: userId, created_at: iso(now) })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const base = await tx.q.selectFrom('roles').select('id').where('account_id', '=', accountId).where('sub_type', '=', 'base').executeTakeFirst();
    const ids = [...new Set([...(base ? [base.id] : []), ...roleIds])];
    if (ids.length > 0)
      await tx.q
        .insertInto('user_roles')
        .values(ids.map((role_id) => ({ account_id: accountId, user_id: userId, role_id })))
        .onConflict((oc) => oc.doNothing())
        .execute();
  });
}

/** The accounts `userId` is a member of, oldest membership first. */
export async function accountsOfUser(db: Db, userId: string): Promise<{ id: string; name: string; status: string }[]> {
  return db.q
    .selectFrom('account_members as m')
    .innerJoin('accounts as a', 'a.id', 'm.account_id')
    .select(['a.id', 'a.name', 'a.status'])
    .where('m.user_id', '=', userId)
    .orderBy('m.created_at')
    .orderBy('a.id')
    .execute();
}

export async function isMember(db: Db, accountId: string, userId: string): Promise<boolean> {
  const row = await db.q.selectFrom('account_members').select('user_id').where('account_id', '=', accountId).where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

/** The names of `userId`'s roles (Base included) in each of their accounts, by account id. */
export async function roleNamesOfUser(db: Db, userId: string): Promise<Map<string, string[]>> {
  const rows = await db.q
    .selectFrom('user_roles as ur')
    .innerJoin('roles as r', 'r.id', 'ur.role_id')
    .select(['ur.account_id', 'r.name'])
    .where('ur.user_id', '=', userId)
    .orderBy('r.name')
    .execute();
  const byAccount = new Map<string, string[]>();
  for (const row of rows) byAccount.set(row.account_id, [...(byAccount.get(row.account_id) ?? []), row.name]);
  return byAccount;
}

/** The names of a management key's roles. */
export async function roleNamesOfKey(db: Db, managementKeyId: string): Promise<string[]> {
  const rows = await db.q
    .selectFrom('management_key_roles as kr')
    .innerJoin('roles as r', 'r.id', 'kr.role_id')
    .select('r.name')
    .where('kr.management_key_id', '=', managementKeyId)
    .orderBy('r.name')
    .execute();
  return rows.map((row) => row.name);
}
