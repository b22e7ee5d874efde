import type { Db } from '../db/db.ts';
import { objectIdOf, readRegionSpec } from './rows.ts';

// The account's clusters as the backup service reads them: by UUID, or by what a region's
// objects call them (`<region id>/<object id>`), only those a request's rows name.

/** A cluster of the account as the backups need it. */
export interface AccountCluster {
  id: string;
  name: string;
  regionId: string;
  regionName: string;
  namespace: string;
  objectId: string;
  spec: Record<string, unknown>;
  apiKeys: string | null;
  createdAt: string;
  deletedAt?: string;
}

/** What a row of `resources` names its cluster by. */
export interface ClusterRef {
  regionId: string;
  clusterObjectId: string;
}

const clusterRows = (db: Db, accountId: string) =>
  db.q
    .selectFrom('clusters')
    .innerJoin('regions', 'regions.id', 'clusters.region_id')
    .select(['clusters.id', 'clusters.name', 'region_id', 'object_id', 'clusters.spec', 'api_keys', 'clusters.created_at', 'deleted_at'])
    .select(['regions.name as region_name', 'regions.spec as region_spec'])
    .where('regions.account_id', '=', accountId);

type ClusterJoin = Awaited<ReturnType<ReturnType<typeof clusterRows>['executeTakeFirstOrThrow']>>;
const toAccountCluster = (db: Db, r: ClusterJoin): AccountCluster => ({
  id: r.id,
  name: r.name,
  regionId: r.region_id,
  regionName: r.region_name,
  namespace: readRegionSpec(r.region_spec, { log: db.log, table: 'regions', id: r.region_id }).namespace,
  objectId: objectIdOf(r),
  spec: JSON.parse(r.spec) as Record<string, unknown>,
  apiKeys: r.api_keys,
  createdAt: r.created_at,
  ...(r.deleted_at ? { deletedAt: r.deleted_at } : {}),
});

/** The key `<region id>/<object id>` the maps of clusters by object use. */
export const objectKey = (ref: ClusterRef): string => `${ref.regionId}/${ref.clusterObjectId}`;

/** The account's cluster of that UUID (being deleted or not), or undefined. */
export async function accountCluster(db: Db, accountId: string, id: string): Promise<AccountCluster | undefined> {
  const row = await clusterRows(db, accountId).where('clusters.id', '=', id).executeTakeFirst();
  return row ? toAccountCluster(db, row) : undefined;
}

/** The account's cluster a region's objects call `ref`, or undefined. */
export async function accountClusterByObject(db: Db, accountId: string, ref: ClusterRef): Promise<AccountCluster | undefined> {
  return (await accountClustersByObject(db, accountId, [ref])).get(objectKey(ref));
}

/** Bound values per statement: well under SQLite's and PostgreSQL's limits. */
const CHUNK = 500;

/**
 * The account's clusters that `refs` name, by `<region id>/<object id>`: what the region's
 * objects call them. Only those: a backup's answer reads its own cluster, not the account's.
 */
export async function accountClustersByObject(db: Db, accountId: string, refs: ReadonlyArray<ClusterRef>): Promise<Map<string, AccountCluster>> {
  const wanted = new Set(refs.map(objectKey));
  const regionIds = [...new Set(refs.map((r) => r.regionId))];
  const objectIds = [...new Set(refs.map((r) => r.clusterObjectId))];
  const found = new Map<string, AccountCluster>();
  for (let i = 0; i < objectIds.length; i += CHUNK) {
    const chunk = objectIds.slice(i, i + CHUNK);
    const rows = await clusterRows(db, accountId)
      .where('clusters.region_id', 'in', regionIds)
      .where((eb) => eb(eb.fn.coalesce('object_id', 'clusters.name'), 'in', chunk))
      .execute();
    // Region and object id each among those wanted is not yet the pair: the map keeps the pairs.
    for (const row of rows) {
      const key = `${row.region_id}/${objectIdOf(row)}`;
      if (wanted.has(key)) found.set(key, toAccountCluster(db, row));
    }
  }
  return found;
}
