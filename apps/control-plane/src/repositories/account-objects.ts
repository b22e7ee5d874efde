import type { RegionRecord } from '@qhc/schemas';
import type { Db } from '../db/db.ts';
import { REGION_RECORD_COLUMNS, toRegion } from './rows.ts';
import { toTokenRow, type TokenRow } from './tokens.ts';

// Lookups scoped to an account: another account's objects are found no more than missing ones.

export async function regionOfAccount(db: Db, accountId: string, id: string): Promise<RegionRecord | undefined> {
  const row = await db.q.selectFrom('regions').select(REGION_RECORD_COLUMNS).where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
  return row ? toRegion(db)(row) : undefined;
}

/** The cluster's id if it is the account's (deleted ones too: their timeline stays readable until the row goes). */
export async function clusterOfAccount(db: Db, accountId: string, id: string): Promise<string | undefined> {
  const row = await db.q.selectFrom('clusters').select('id').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
  return row?.id;
}

/** One of the region's bootstrap or agent tokens. */
export async function regionToken(db: Db, regionId: string, id: string): Promise<TokenRow | undefined> {
  const row = await db.q
    .selectFrom('tokens')
    .select(['id', 'kind', 'name', 'region_id', 'created_at', 'used_at', 'revoked_at', 'expires_at'])
    .where('id', '=', id)
    .where('region_id', '=', regionId)
    .executeTakeFirst();
  return row ? toTokenRow(row) : undefined;
}
