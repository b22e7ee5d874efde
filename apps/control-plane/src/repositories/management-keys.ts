import { randomBytes, randomUUID } from 'node:crypto';
import { changed, type Db } from '../db/db.ts';
import { ownerRoleId } from './roles.ts';
import { hashToken, iso, type Clock } from './tokens.ts';

// Management keys: an account's credentials for the Cloud API (`authorization: apikey <key>`).
// Only the SHA-256 of a key is stored; deleting one revokes it for the next call.

export interface ManagementKeyRow {
  id: string;
  account_id: string;
  prefix: string;
  created_by: string | null;
  created_at: string;
  expires_at: string | null;
  deleted_at: string | null;
}

const COLUMNS = ['id', 'account_id', 'prefix', 'created_by', 'created_at', 'expires_at', 'deleted_at'] as const;
const KEY_PREFIX = 'qhc_m_';
/** How much of a key listings show: the kind marker and a few random characters, never enough to guess it. */
const SHOWN = KEY_PREFIX.length + 6;

export const keyPrefix = (key: string) => key.slice(0, SHOWN);

export interface NewKey {
  accountId: string;
  expiresAt?: string;
  createdBy?: string;
  /** The roles the key holds (its account's); none: it can only authenticate. */
  roleIds?: readonly string[];
  now?: Clock;
}

/** Makes a key and stores its hash; the key itself is returned once, here. */
export async function createManagementKey(db: Db, options: NewKey): Promise<{ row: ManagementKeyRow; key: string }> {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const row: ManagementKeyRow = {
    id: randomUUID(),
    account_id: options.accountId,
    prefix: keyPrefix(key),
    created_by: options.createdBy ?? null,
    created_at: iso(options.now ?? Date.now),
    expires_at: options.expiresAt ?? null,
    deleted_at: null,
  };
  await db.tx(async (tx) => {
    await tx.q
      .insertInto('management_keys')
      .values({ ...row, hash: hashToken(key) })
      .execute();
    await addKeyRoles(tx, row.id, options.roleIds ?? []);
  });
  return { row, key };
}

/**
 * A key the operator chose (--management-key), its account's Owner: the first of concurrent
 * inserts wins; a deleted one stays deleted; one that exists keeps the roles it has.
 */
export async function ensureManagementKey(db: Db, accountId: string, key: string, now: Clock = Date.now): Promise<void> {
  await db.tx(async (tx) => {
    const inserted = await tx.q
      .insertInto('management_keys')
      .values({ id: randomUUID(), account_id: accountId, prefix: keyPrefix(key), hash: hashToken(key), created_by: null, created_at: iso(now) })
      .onConflict((oc) => oc.column('hash').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) await addKeyRoles(tx, inserted.id, [await ownerRoleId(tx, accountId)]);
  });
}

async function addKeyRoles(db: Db, managementKeyId: string, roleIds: readonly string[]): Promise<void> {
  if (roleIds.length === 0) return;
  await db.q
    .insertInto('management_key_roles')
    .values([...new Set(roleIds)].map((role_id) => ({ management_key_id: managementKeyId, role_id })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Whether the account has a key that works now (not deleted, not expired). */
export async function hasLiveManagementKey(db: Db, accountId: string, now: Clock = Date.now): Promise<boolean> {
  const stamp = iso(now);
  const row = await db.q
    .selectFrom('management_keys')
    .select('id')
    .where('account_id', '=', accountId)
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', stamp)]))
    .executeTakeFirst();
  return Boolean(row);
}

/** The key with this text, deleted or expired ones included: the caller says why it refuses them. */
export async function findManagementKey(db: Db, key: string): Promise<ManagementKeyRow | undefined> {
  return db.q.selectFrom('management_keys').select(COLUMNS).where('hash', '=', hashToken(key)).executeTakeFirst();
}

/** The account's keys that were not deleted (expired ones too: they are still there to delete), oldest first. */
export async function listManagementKeys(db: Db, accountId: string): Promise<ManagementKeyRow[]> {
  return db.q
    .selectFrom('management_keys')
    .select(COLUMNS)
    .where('account_id', '=', accountId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Deletes (revokes) the account's key; false when the account has no such live key. */
export async function deleteManagementKey(db: Db, accountId: string, id: string, now: Clock = Date.now): Promise<boolean> {
  const result = await db.q
    .updateTable('management_keys')
    .set({ deleted_at: iso(now) })
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return changed(result) === 1;
}

/** A key's prefix (how listings and the audit log name it). */
export async function managementKeyPrefix(db: Db, id: string): Promise<string | undefined> {
  return (await db.q.selectFrom('management_keys').select('prefix').where('id', '=', id).executeTakeFirst())?.prefix;
}
