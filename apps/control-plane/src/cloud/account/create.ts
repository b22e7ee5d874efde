import type { Db } from '../../db/db.ts';
import { createBuiltInRoles } from '../../db/built-in-roles.ts';
import { insertAccount, type AccountRow, type NewAccount } from '../../repositories/accounts.ts';
import { iso, type Clock } from '../../repositories/tokens.ts';
import { addMember } from '../../repositories/users.ts';

/**
 * A new account with its built-in roles and its owner a member holding Owner (in the caller's
 * transaction: sign-up makes the user in the same one).
 */
export async function createAccountOwnedBy(tx: Db, account: Omit<NewAccount, 'status'>, autoApprove: boolean, now: Clock): Promise<AccountRow> {
  const row = await insertAccount(tx, { ...account, status: autoApprove ? 'approved' : 'pending' }, now);
  const roles = await createBuiltInRoles(tx, row.id, iso(now));
  await addMember(tx, row.id, account.ownerUserId, [roles.get('Owner')!], now);
  return row;
}
