import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/db.ts';
import type { Database } from '../db/schema.ts';
import { iso, type Clock } from './tokens.ts';

// Accounts: the tenants. Everything else (regions, clusters, keys, roles, members, invites)
// belongs to one. The first (migration 8) is the installer's.

export type AccountRow = Omit<Database['accounts'], 'status'> & { status: string };
export type AccountStatus = 'pending' | 'approved' | 'rejected';

/**
 * The installer's account first: accounts a user made (sign-up, CreateAccount) have an owner and
 * are never it, whatever their clocks said; then the oldest. Every "first account" reads this order.
 */
const installerFirst = (db: Db) =>
  db.q
    .selectFrom('accounts')
    .orderBy(sql`owner_user_id IS NOT NULL`)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1);

/** The installer's account (migration 8 makes it): the one a fresh control plane prints and /api/v1 works in. */
export async function firstAccount(db: Db): Promise<AccountRow> {
  const row = await installerFirst(db).selectAll().executeTakeFirst();
  if (!row) throw new Error('the database has no account: migration 8 makes the first one');
  return row;
}

export async function accountById(db: Db, id: string): Promise<AccountRow | undefined> {
  return db.q.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The installer's account's id as a scalar subquery: what /api/v1 inserts, which know no account, store. */
export const firstAccountId = (db: Db) => installerFirst(db).select('id');

/** The installer's account's id (instance administrators are its Owners and Admins). */
export async function installerAccountId(db: Db): Promise<string> {
  return (await firstAccount(db)).id;
}

/** A region's account as a scalar subquery: its clusters belong to it. */
export const regionAccountId = (db: Db, regionId: string) => db.q.selectFrom('regions').select('account_id').where('id', '=', regionId);

export interface NewAccount {
  name: string;
  companyName: string | null;
  companyDomain: string | null;
  /** JSON of the billing details, or null. */
  billing: string | null;
  status: AccountStatus;
  ownerUserId: string;
}

/** A new account (in the caller's transaction); an approved one is decided at creation, by nobody. */
export async function insertAccount(db: Db, account: NewAccount, now: Clock): Promise<AccountRow> {
  const at = iso(now);
  const row: AccountRow = {
    id: randomUUID(),
    name: account.name,
    created_at: at,
    last_modified_at: at,
    company_name: account.companyName,
    company_domain: account.companyDomain,
    billing: account.billing,
    status: account.status,
    status_reason: null,
    decided_by: null,
    decided_at: account.status === 'pending' ? null : at,
    owner_user_id: account.ownerUserId,
  };
  await db.q.insertInto('accounts').values(row).execute();
  return row;
}

export type AccountChanges = Partial<Pick<AccountRow, 'name' | 'company_name' | 'company_domain' | 'billing'>>;

export async function updateAccount(db: Db, id: string, changes: AccountChanges, now: Clock): Promise<void> {
  await db.q
    .updateTable('accounts')
    .set({ ...changes, last_modified_at: iso(now) })
    .where('id', '=', id)
    .execute();
}

/** An instance administrator's decision; `decidedBy` is a user id or `management_key:<id>`. */
export async function decideAccount(db: Db, id: string, status: AccountStatus, reason: string | null, decidedBy: string, now: Clock): Promise<void> {
  const at = iso(now);
  await db.q
    .updateTable('accounts')
    .set({ status, status_reason: reason, decided_by: decidedBy, decided_at: at, last_modified_at: at })
    .where('id', '=', id)
    .execute();
}

/** Deletes the account and, by its foreign keys, everything of it (the caller checked it has no environments). */
export async function deleteAccount(db: Db, id: string): Promise<void> {
  await db.q.deleteFrom('accounts').where('id', '=', id).execute();
}

/** How many environments (regions) the account has. */
export async function environmentCount(db: Db, accountId: string): Promise<number> {
  const row = await db.q
    .selectFrom('regions')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The email of a user id, if it is one (`decided_by` may name a management key). */
export async function emailOfUser(db: Db, userId: string | null): Promise<string> {
  if (!userId) return '';
  const row = await db.q.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst();
  return row?.email ?? '';
}

/** Accounts newest first, after the page key `[created_at, id]`, optionally of one status; `limit + 1` rows. */
export async function listAccounts(db: Db, status: AccountStatus | undefined, limit: number, after?: string[]): Promise<AccountRow[]> {
  let query = db.q.selectFrom('accounts').selectAll();
  if (status) query = query.where('status', '=', status);
  if (after) {
    const [createdAt, id] = after as [string, string];
    query = query.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]));
  }
  return query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
}
