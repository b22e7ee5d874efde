import type { Db } from '../db/db.ts';
import { firstAccount } from '../repositories/accounts.ts';
import { createManagementKey, ensureManagementKey, hasLiveManagementKey } from '../repositories/management-keys.ts';
import { ownerRoleId } from '../repositories/roles.ts';
import type { Clock } from '../repositories/tokens.ts';

export interface FirstStart {
  accountId: string;
  /** Set when this start made the account's first management key itself (to print once). */
  generatedManagementKey?: string;
}

/**
 * The account (migration 8 made it) and its first credential: the operator's key (known by its
 * hash), or one made now when the account has no live key. Replicas starting together may each
 * make one, as with the first admin token; each printed key works.
 */
export async function firstStart(db: Db, managementKey: string | undefined, now: Clock = Date.now): Promise<FirstStart> {
  const account = await firstAccount(db);
  if (managementKey) await ensureManagementKey(db, account.id, managementKey, now);
  else if (!(await hasLiveManagementKey(db, account.id, now))) {
    // The installer's key: it can do everything, as the account's Owner.
    const { key } = await createManagementKey(db, { accountId: account.id, roleIds: [await ownerRoleId(db, account.id)], now });
    return { accountId: account.id, generatedManagementKey: key };
  }
  return { accountId: account.id };
}
