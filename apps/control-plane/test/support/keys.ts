import { createBuiltInRoles } from '../../src/db/built-in-roles.ts';
import type { Db } from '../../src/db/db.ts';
import { createManagementKey, type NewKey } from '../../src/repositories/management-keys.ts';
import { ownerRoleId } from '../../src/repositories/roles.ts';

/**
 * A key that can do everything in its account, as the first start's: its account's Owner. An
 * account a test inserted by hand gets its built-in roles here first.
 */
export async function createOwnerKey(db: Db, options: Omit<NewKey, 'roleIds'>): Promise<{ row: { id: string; prefix: string }; key: string }> {
  const hasRoles = await db.q.selectFrom('roles').select('id').where('account_id', '=', options.accountId).executeTakeFirst();
  if (!hasRoles) await createBuiltInRoles(db, options.accountId, new Date().toISOString());
  return createManagementKey(db, { ...options, roleIds: [await ownerRoleId(db, options.accountId)] });
}
