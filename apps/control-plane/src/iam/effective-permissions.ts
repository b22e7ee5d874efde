import { sql } from 'kysely';
import type { Db } from '../db/db.ts';
import { iso, type Clock } from '../repositories/tokens.ts';

// What a principal may do in an account: the union of the permissions of its roles there, run
// for every authenticated call (role changes take effect on the next call). A key made by a
// person or by another key never does more than its maker can NOW: a member removed or demoted
// takes the power of the keys they made with them.

/** A principal's permissions, and why they are void when its maker is gone (PermissionDenied says so). */
export interface Effective {
  permissions: Set<string>;
  voidReason?: string;
}

/** How many makers up a key's chain is followed; a longer chain is void rather than walked without end. */
const MAX_CHAIN = 16;

/** A management key as its chain of makers reads it. */
export interface KeyLink {
  id: string;
  created_by: string | null;
  deleted_at: string | null;
  expires_at: string | null;
}

/** The key and its makers that are keys (`created_by` = `key:<id>`), the key first. */
async function keyChain(db: Db, managementKeyId: string): Promise<KeyLink[]> {
  const result = await sql<KeyLink>`
    WITH RECURSIVE chain (id, created_by, deleted_at, expires_at, depth) AS (
      SELECT id, created_by, deleted_at, expires_at, 0 FROM management_keys WHERE id = ${managementKeyId}
      UNION ALL
      SELECT k.id, k.created_by, k.deleted_at, k.expires_at, c.depth + 1
      FROM management_keys k JOIN chain c ON c.created_by = 'key:' || k.id
      WHERE c.depth < ${MAX_CHAIN}
    )
    SELECT id, created_by, deleted_at, expires_at FROM chain ORDER BY depth`.execute(db.q);
  return result.rows;
}

/** The role permissions of each key of `keyIds` and (as holder '') of `userId` in `accountId`: one query. */
async function holdings(db: Db, keyIds: readonly string[], accountId: string, userId: string | undefined): Promise<Map<string, Set<string>>> {
  let query = db.q
    .selectFrom('management_key_roles as kr')
    .innerJoin('role_permissions as rp', 'rp.role_id', 'kr.role_id')
    .select(['kr.management_key_id as holder', 'rp.permission'])
    .where('kr.management_key_id', 'in', keyIds);
  if (userId !== undefined)
    query = query.unionAll(
      db.q
        .selectFrom('user_roles as ur')
        .innerJoin('role_permissions as rp', 'rp.role_id', 'ur.role_id')
        .select([sql<string>`''`.as('holder'), 'rp.permission'])
        .where('ur.account_id', '=', accountId)
        .where('ur.user_id', '=', userId),
    );
  const held = new Map<string, Set<string>>();
  for (const row of await query.execute()) held.set(row.holder, (held.get(row.holder) ?? new Set()).add(row.permission));
  return held;
}

/** Why a maker of the key (a key of the chain past the first) cannot lend it power, if it cannot. */
function brokenLink(chain: readonly KeyLink[], at: string): string | undefined {
  const [key] = chain;
  const gone = chain.slice(1).find((link) => link.deleted_at !== null || (link.expires_at !== null && link.expires_at <= at));
  if (gone) return `management key ${key!.id} was made by management key ${gone.id}, which was deleted or expired; its permissions are void`;
  const top = chain.at(-1)!;
  if (top.created_by?.startsWith('key:')) return `management key ${key!.id} was made through more than ${MAX_CHAIN} keys; its permissions are void`;
  return undefined;
}

/** The permissions of a management key's roles, capped by its makers' current ones in `accountId` (the key's account). */
export async function keyPermissions(db: Db, accountId: string, managementKeyId: string, now: Clock = Date.now, read?: KeyLink): Promise<Effective> {
  // A key no key made is its whole chain: the row this request already read (authenticating) is it.
  const chain = read?.id === managementKeyId && !read.created_by?.startsWith('key:') ? [read] : await keyChain(db, managementKeyId);
  if (chain.length === 0) return { permissions: new Set() };
  const broken = brokenLink(chain, iso(now));
  if (broken) return { permissions: new Set(), voidReason: broken };
  const maker = chain.at(-1)!.created_by ?? undefined;
  const held = await holdings(
    db,
    chain.map((link) => link.id),
    accountId,
    maker,
  );
  const sets = [...chain.map((link) => held.get(link.id) ?? new Set<string>()), ...(maker === undefined ? [] : [held.get('') ?? new Set<string>()])];
  // A member always holds Base: no permission at all means the maker is no longer a member.
  if (maker !== undefined && !held.has(''))
    return {
      permissions: new Set(),
      voidReason: `management key ${managementKeyId} was made by user ${maker}, who is no longer a member of account ${accountId}; its permissions are void`,
    };
  const [first, ...rest] = sets;
  return { permissions: new Set([...first!].filter((p) => rest.every((set) => set.has(p)))) };
}

/** The permissions of a user's roles in one account (none when they are not a member). */
export async function userPermissions(db: Db, accountId: string, userId: string): Promise<Set<string>> {
  const rows = await db.q
    .selectFrom('user_roles as ur')
    .innerJoin('role_permissions as rp', 'rp.role_id', 'ur.role_id')
    .select('rp.permission')
    .distinct()
    .where('ur.account_id', '=', accountId)
    .where('ur.user_id', '=', userId)
    .execute();
  return new Set(rows.map((row) => row.permission));
}

/** A principal's permissions in `accountId`. */
export async function permissionsIn(
  db: Db,
  accountId: string,
  principal: { kind: 'management_key' | 'user'; id: string },
  now: Clock = Date.now,
  /** The key's row, when the caller read it already (see keyPermissions). */
  read?: KeyLink,
): Promise<Effective> {
  return principal.kind === 'management_key'
    ? keyPermissions(db, accountId, principal.id, now, read)
    : { permissions: await userPermissions(db, accountId, principal.id) };
}

/** What a principal recorded as `created_by` / an invite's maker is called there: a user's id, or `key:<id>`. */
export const makerOf = (principal: { kind: 'management_key' | 'user'; id: string }) => (principal.kind === 'user' ? principal.id : `key:${principal.id}`);
