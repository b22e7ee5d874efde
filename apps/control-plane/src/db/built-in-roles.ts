import { randomUUID } from 'node:crypto';
import { BUILT_IN_ROLES } from '../iam/built-in-roles.ts';
import type { Db } from './db.ts';

/** Makes an account's built-in roles (in the caller's transaction); answers their ids by name. */
export async function createBuiltInRoles(tx: Db, accountId: string, at: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const role of BUILT_IN_ROLES) {
    const id = randomUUID();
    ids.set(role.name, id);
    await tx.q
      .insertInto('roles')
      .values({
        id,
        account_id: accountId,
        name: role.name,
        description: role.description,
        type: 'system',
        sub_type: role.subType,
        created_at: at,
        last_modified_at: at,
      })
      .execute();
    if (role.permissions.length > 0)
      await tx.q
        .insertInto('role_permissions')
        .values(role.permissions.map((permission) => ({ role_id: id, permission })))
        .execute();
  }
  return ids;
}

/**
 * Migration 15's rows: every existing account gets the built-in roles, and every management key
 * made so far (they could do everything) keeps doing everything as its account's Owner.
 */
export async function createBuiltInRolesForEveryAccount(tx: Db): Promise<void> {
  const at = new Date().toISOString();
  for (const { id: accountId } of await tx.q.selectFrom('accounts').select('id').execute()) {
    const ownerId = (await createBuiltInRoles(tx, accountId, at)).get('Owner')!;
    const keys = await tx.q.selectFrom('management_keys').select('id').where('account_id', '=', accountId).execute();
    if (keys.length > 0)
      await tx.q
        .insertInto('management_key_roles')
        .values(keys.map((key) => ({ management_key_id: key.id, role_id: ownerId })))
        .execute();
  }
}
