import type { Db } from '../db/db.ts';
import { keyRoleIds, userRoleIds } from '../repositories/roles.ts';
import type { Identity } from '../cloud/context.ts';

/** The roles a principal holds in the account it acts in. */
export function rolesOfPrincipal(db: Db, identity: Identity): Promise<string[]> {
  return identity.principal.kind === 'management_key' ? keyRoleIds(db, identity.principal.id) : userRoleIds(db, identity.accountId, identity.principal.id);
}
