import type { Db } from '../db/db.ts';

// Accounts: who owns regions, clusters and management keys. One exists from the first start
// (migration 8); users, members and roles will join them.

export interface AccountRow {
  id: string;
  name: string;
  created_at: string;
}

/** The first account (migration 8 makes it): the one a fresh control plane prints and /api/v1 works in. */
export async function firstAccount(db: Db): Promise<AccountRow> {
  const row = await db.q.selectFrom('accounts').selectAll().orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  if (!row) throw new Error('the database has no account: migration 8 makes the first one');
  return row;
}

export async function accountById(db: Db, id: string): Promise<AccountRow | undefined> {
  return db.q.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The first account's id as a scalar subquery: what /api/v1 inserts, which know no account, store. */
export const firstAccountId = (db: Db) => db.q.selectFrom('accounts').select('id').orderBy('created_at').orderBy('id').limit(1);

/** A region's account as a scalar subquery: its clusters belong to it. */
export const regionAccountId = (db: Db, regionId: string) => db.q.selectFrom('regions').select('account_id').where('id', '=', regionId);
