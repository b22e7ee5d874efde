import type { ClusterRecord, DatabaseApiKeySlot, SealedDatabaseApiKey } from '@qhc/schemas';
import { changed, type Db } from '../db/db.ts';
import { bumpRevision } from './regions.ts';
import { decryptSecret, encryptSecret } from '../secrets/cipher.ts';
import { objectIdOf, openApiKeys } from './rows.ts';
import { iso, type Clock } from './tokens.ts';

// Database API keys (the Cloud API's DatabaseApiKeyService). No plaintext is stored: a key's
// SHA-512 and its copy sealed for the region's agent, which the desired state carries (encrypted
// again at rest, bound to its row: the database alone cannot hand it to another agent). Every
// change that the agent must apply bumps the region's revision in the same transaction.

export interface DatabaseApiKeyRow {
  id: string;
  account_id: string;
  cluster_id: string;
  slot: string;
  postfix: string;
  request: string;
  created_at: string;
  expires_at: string | null;
}

const COLUMNS = ['id', 'account_id', 'cluster_id', 'slot', 'postfix', 'request', 'created_at', 'expires_at'] as const;

/** A cluster of the account, not being deleted: what a key is minted for. */
export interface KeyCluster {
  id: string;
  regionId: string;
  /** The Kubernetes identity the sealed copy is bound to. */
  objectId: string;
  /** Keys set through /api/v1 (decrypted): they fill their slots too. */
  apiKeys: ClusterRecord['apiKeys'] | null;
}

export async function clusterOfAccount(db: Db, accountId: string, clusterId: string): Promise<KeyCluster | undefined> {
  const row = await db.q
    .selectFrom('clusters')
    .select(['id', 'region_id', 'name', 'object_id', 'api_keys'])
    .where('id', '=', clusterId)
    .where('account_id', '=', accountId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row && { id: row.id, regionId: row.region_id, objectId: objectIdOf(row), apiKeys: row.api_keys ? openApiKeys(db, row.id, row.api_keys) : null };
}

/** The public key the region's agent last reported; undefined before it connected. */
export async function agentPublicKey(db: Db, regionId: string): Promise<string | undefined> {
  const row = await db.q.selectFrom('regions').select('agent_public_key').where('id', '=', regionId).executeTakeFirst();
  return row?.agent_public_key ?? undefined;
}

/** The live key (not deleted, not expired at `now`) filling the slot of a cluster. */
async function liveKeyInSlot(db: Db, clusterId: string, slot: DatabaseApiKeySlot, stamp: string): Promise<string | undefined> {
  const row = await db.q
    .selectFrom('database_api_keys')
    .select('id')
    .where('cluster_id', '=', clusterId)
    .where('slot', '=', slot)
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', stamp)]))
    .executeTakeFirst();
  return row?.id;
}

const sealedAt = (rowId: string) => ({ column: 'database_api_keys.sealed', rowId });

/** Refused: the slot holds the live key `keyId`. Thrown inside the transaction, so nothing is written. */
export class SlotTaken extends Error {
  readonly keyId: string;
  constructor(keyId: string) {
    super(`the slot holds key ${keyId}`);
    this.keyId = keyId;
  }
}

export interface NewDatabaseApiKey extends Omit<DatabaseApiKeyRow, 'created_at'> {
  regionId: string;
  hash: string;
  sealed: string;
}

/** Stores a key in a free slot (SlotTaken otherwise); the region's revision moves so the agent applies it. */
export async function insertDatabaseApiKey(db: Db, key: NewDatabaseApiKey, now: Clock): Promise<DatabaseApiKeyRow> {
  const stamp = iso(now);
  const { regionId, ...values } = key;
  return db.tx(async (tx) => {
    // First: the region's row lock orders concurrent creations for the slot check.
    await bumpRevision(tx, regionId, stamp);
    const taken = await liveKeyInSlot(tx, key.cluster_id, key.slot as DatabaseApiKeySlot, stamp);
    if (taken) throw new SlotTaken(taken);
    await tx.q
      .insertInto('database_api_keys')
      .values({ ...values, sealed: encryptSecret(tx.secrets, sealedAt(key.id), key.sealed), region_id: regionId, created_at: stamp })
      .execute();
    const { hash: _hash, sealed: _sealed, ...row } = values;
    return { ...row, created_at: stamp };
  });
}

/** The account's keys not deleted (expired ones too: they are still there to delete), oldest first. */
export async function listDatabaseApiKeys(db: Db, accountId: string, clusterId?: string): Promise<DatabaseApiKeyRow[]> {
  let query = db.q.selectFrom('database_api_keys').select(COLUMNS).where('account_id', '=', accountId).where('deleted_at', 'is', null);
  if (clusterId) query = query.where('cluster_id', '=', clusterId);
  return query.orderBy('created_at').orderBy('id').execute();
}

/** Deletes the key and its sealed copy; false when the account's cluster has no such key. */
export async function deleteDatabaseApiKey(db: Db, where: { accountId: string; clusterId: string; id: string }, now: Clock): Promise<boolean> {
  const stamp = iso(now);
  return db.tx(async (tx) => {
    const row = await tx.q
      .updateTable('database_api_keys')
      .set({ deleted_at: stamp, sealed: null })
      .where('id', '=', where.id)
      .where('account_id', '=', where.accountId)
      .where('cluster_id', '=', where.clusterId)
      .where('deleted_at', 'is', null)
      .returning('region_id')
      .executeTakeFirst();
    if (!row) return false;
    await bumpRevision(tx, row.region_id, stamp);
    return true;
  });
}

/**
 * Keys of the region that expired since the last look leave the desired state: their sealed copy
 * goes and the revision moves, so the agent's long-poll answers without them. Level-based: any
 * replica's next look does it, once. Answers when the region's next live key expires (undefined:
 * none will, or one just did), which is when a waiting long-poll must look again.
 */
export async function retireExpiredKeys(db: Db, regionId: string, now: Clock): Promise<number | undefined> {
  const stamp = iso(now);
  const unretired = (q: Db['q']) =>
    q.selectFrom('database_api_keys').where('region_id', '=', regionId).where('deleted_at', 'is', null).where('retired_at', 'is', null);
  const next = await unretired(db.q)
    .select((eb) => eb.fn.min('expires_at').as('first'))
    .executeTakeFirst();
  if (!next?.first) return undefined;
  if (next.first > stamp) return Date.parse(next.first);
  await db.tx(async (tx) => {
    const ids = (await unretired(tx.q).select('id').where('expires_at', '<=', stamp).execute()).map((r) => r.id);
    if (ids.length === 0) return;
    const result = await tx.q
      .updateTable('database_api_keys')
      .set({ retired_at: stamp, sealed: null })
      .where('id', 'in', ids)
      .where('retired_at', 'is', null)
      .executeTakeFirst();
    if (changed(result) > 0) await bumpRevision(tx, regionId, stamp);
  });
  return undefined;
}

/**
 * A long-poll's look, one statement: the region's revision, and when its first key not yet
 * retired expires (null: none will). Undefined when the region is gone.
 */
export async function revisionAndFirstExpiry(db: Db, regionId: string): Promise<{ revision: number; firstExpiry: string | null } | undefined> {
  const row = await db.q
    .selectFrom('regions')
    .select((eb) => [
      'revision',
      eb
        .selectFrom('database_api_keys')
        .select((k) => k.fn.min('expires_at').as('first'))
        .where('region_id', '=', regionId)
        .where('deleted_at', 'is', null)
        .where('retired_at', 'is', null)
        .as('first_expiry'),
    ])
    .where('id', '=', regionId)
    .executeTakeFirst();
  return row && { revision: Number(row.revision), firstExpiry: row.first_expiry ?? null };
}

/**
 * Per cluster (by row id) of the region whose keys are managed here (it ever had one): the live
 * sealed keys, read-write slot first. A cluster absent from the map never had one.
 */
export async function sealedKeysOfRegion(db: Db, regionId: string, now: Clock): Promise<Map<string, SealedDatabaseApiKey[]>> {
  const stamp = iso(now);
  const rows = await db.q
    .selectFrom('database_api_keys')
    .select(['id', 'cluster_id', 'slot', 'sealed', 'deleted_at', 'expires_at'])
    .where('region_id', '=', regionId)
    .orderBy('slot', 'desc')
    .orderBy('created_at')
    .execute();
  const byCluster = new Map<string, SealedDatabaseApiKey[]>();
  for (const row of rows) {
    const keys = byCluster.get(row.cluster_id) ?? [];
    byCluster.set(row.cluster_id, keys);
    const live = row.sealed && !row.deleted_at && (row.expires_at === null || row.expires_at > stamp);
    if (live) keys.push({ id: row.id, slot: row.slot as DatabaseApiKeySlot, sealed: decryptSecret(db.secrets, sealedAt(row.id), row.sealed!) });
  }
  return byCluster;
}

/** The agent's public key from its report: later keys are sealed for it. */
export async function recordAgentPublicKey(db: Db, regionId: string, publicKey: string | undefined): Promise<void> {
  if (!publicKey) return;
  await db.q.updateTable('regions').set({ agent_public_key: publicKey }).where('id', '=', regionId).execute();
}
