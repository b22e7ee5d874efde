import type { ClusterRecord, RegionRecord } from '@qhc/schemas';
import { isUniqueViolation, type Db } from '../db/db.ts';
import { conflict } from '../errors.ts';
import { recordClusterEvents } from '../cluster-events.ts';
import { bumpRevision } from './regions.ts';
import { markResourceDeleted, mergedResources } from './resources.ts';
import { RowMemo } from './row-memo.ts';
import { objectIdOf, readRegionSpec, REGION_RECORD_COLUMNS, toCluster, toRegion, type ClusterRow } from './rows.ts';

// Clusters as the Cloud API sees them: always within the caller's account (another account's
// cluster reads as missing), with the message its client sent and its region's namespace.

/** A cluster with what the Cloud API answers from besides its record. */
export type CloudClusterRecord = ClusterRecord & {
  objectId: string;
  accountId: string;
  /** The region's namespace: the database endpoint's host is `<service>.<namespace>.svc`. */
  namespace: string;
  /** The Cluster message as its client sent it (proto JSON); absent for a cluster made through /api/v1. */
  cloudCluster?: string;
};

const now = () => new Date().toISOString();

function clusters(db: Db, accountId: string) {
  return db.q
    .selectFrom('clusters')
    .innerJoin('regions', 'regions.id', 'clusters.region_id')
    .selectAll('clusters')
    .select('regions.spec as region_spec')
    .where('clusters.account_id', '=', accountId);
}

/** The region's namespace, its spec parsed once per region however many of its clusters are read. */
const namespaceOf = (db: Db, seen: Map<string, string>) => (regionId: string, spec: string) => {
  let namespace = seen.get(regionId);
  if (namespace === undefined) {
    namespace = readRegionSpec(spec, { log: db.log, table: 'regions', id: regionId }).namespace;
    seen.set(regionId, namespace);
  }
  return namespace;
};

type CloudClusterRow = ClusterRow & { region_spec: string };

const buildCloudCluster = (db: Db, namespaces: Map<string, string>, row: CloudClusterRow): CloudClusterRecord => ({
  ...toCluster(db)(row),
  objectId: objectIdOf(row),
  accountId: row.account_id ?? '',
  namespace: namespaceOf(db, namespaces)(row.region_id, row.region_spec),
  ...(row.cloud_cluster ? { cloudCluster: row.cloud_cluster } : {}),
});

/** How many clusters' records a replica keeps built (see row-memo.ts): a few MiB, the pages and clusters read most. */
export const CLUSTER_MEMO_CAPACITY = 10_000;
// One per key ring (a database and its transactions share it): a record holds the secrets it opened.
const memos = new WeakMap<object, RowMemo<CloudClusterRecord>>();
const memoOf = (db: Db) => {
  let memo = memos.get(db.secrets);
  // A page's count is no column of a cluster: a cluster added elsewhere must not rebuild the page.
  if (!memo) memos.set(db.secrets, (memo = new RowMemo(CLUSTER_MEMO_CAPACITY, 'total')));
  return memo;
};

/** The row's record: the one built before while the row reads the same (frozen: requests share it). */
const toCloudCluster =
  (db: Db, namespaces = new Map<string, string>()) =>
  (row: CloudClusterRow): CloudClusterRecord =>
    memoOf(db).of(row.id, row, () => buildCloudCluster(db, namespaces, row));

/** The account's region (a Cloud API environment), or undefined: another account's is no region. */
export async function accountRegion(db: Db, accountId: string, regionId: string): Promise<RegionRecord | undefined> {
  const row = await db.q.selectFrom('regions').select(REGION_RECORD_COLUMNS).where('id', '=', regionId).where('account_id', '=', accountId).executeTakeFirst();
  return row ? toRegion(db)(row) : undefined;
}

export async function accountCluster(db: Db, accountId: string, clusterId: string): Promise<CloudClusterRecord | undefined> {
  const row = await clusters(db, accountId).where('clusters.id', '=', clusterId).executeTakeFirst();
  return row ? toCloudCluster(db)(row) : undefined;
}

/** A page of the account's clusters: `limit` rows after the first `offset`, in an environment when given. */
export interface ClusterPageAsk {
  regionId?: string;
  offset: number;
  limit: number;
}

/**
 * Oldest first (then by id), a stable order as clusters are added: one added between two pages
 * comes last and shifts none. Only the page's rows are read and checked; `total` is counted in
 * the same statement (one round trip per page: a page is what the Cloud API's readers ask most).
 */
export async function accountClusterPage(db: Db, accountId: string, ask: ClusterPageAsk): Promise<{ items: CloudClusterRecord[]; total: number }> {
  const { regionId, offset, limit } = ask;
  let count = db.q
    .selectFrom('clusters')
    .select((eb) => eb.fn.countAll().as('total'))
    .where('account_id', '=', accountId);
  if (regionId !== undefined) count = count.where('region_id', '=', regionId);
  let query = clusters(db, accountId).select(count.as('total'));
  if (regionId !== undefined) query = query.where('clusters.region_id', '=', regionId);
  const rows = await query.orderBy('clusters.created_at').orderBy('clusters.id').limit(limit).offset(offset).execute();
  // Past the last page no row carries the count.
  const total = rows.length > 0 ? Number(rows[0]!.total) : offset === 0 ? 0 : Number((await count.executeTakeFirstOrThrow()).total);
  return { items: rows.map(toCloudCluster(db)), total };
}

/** Every name the account's clusters use. */
export async function accountClusterNames(db: Db, accountId: string): Promise<Set<string>> {
  const rows = await db.q.selectFrom('clusters').select('name').where('account_id', '=', accountId).execute();
  return new Set(rows.map((r) => r.name));
}

export interface CloudClusterChange {
  name: string;
  spec: ClusterRecord['spec'];
  cloudCluster: string;
}

/**
 * The name, spec and sent message in one transaction (a rename refused leaves the rest too).
 * The object id stays: renaming the Kubernetes objects would make a new cluster.
 */
export async function replaceCloudCluster(db: Db, current: CloudClusterRecord, change: CloudClusterChange, request: string): Promise<void> {
  const stamp = now();
  await db.tx(async (tx) => {
    // First: the region's row lock orders this against a concurrent creation of the name.
    await bumpRevision(tx, current.regionId, stamp);
    if (change.name !== current.name) {
      const taken = await tx.q.selectFrom('clusters').select('id').where('region_id', '=', current.regionId).where('name', '=', change.name).executeTakeFirst();
      if (taken) throw conflict(`cluster.name: a cluster named ${change.name} already exists in the environment`);
    }
    try {
      await tx.q
        .updateTable('clusters')
        .set({ name: change.name, spec: JSON.stringify(change.spec), cloud_cluster: change.cloudCluster, updated_at: stamp })
        .where('id', '=', current.id)
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`cluster.name: a cluster named ${change.name} already exists in the environment`);
      throw error;
    }
    const renamed = change.name !== current.name ? [{ type: 'Requested' as const, message: `renamed from ${current.name} to ${change.name}` }] : [];
    await recordClusterEvents(tx, current.id, [...renamed, { type: 'Requested', message: request }], stamp);
  });
}

/**
 * The cluster's schedules always go with it (they would only fail), its backups when asked. Each
 * is a deletion the agent applies, as /api/v1's; done before the cluster's, so a retry finishes it.
 */
export async function deleteClusterResources(db: Db, cluster: CloudClusterRecord, region: RegionRecord, withBackups: boolean): Promise<void> {
  const kinds = withBackups ? ['QdrantClusterScheduledSnapshot', 'QdrantClusterSnapshot'] : ['QdrantClusterScheduledSnapshot'];
  for (const kind of kinds) {
    const existing = await mergedResources(db, region.id, kind);
    for (const resource of existing.filter((r) => r.clusterId === cluster.objectId && !r.deletedAt)) await markResourceDeleted(db, region, resource);
  }
}

/**
 * Removes the row at once: only for a region whose agent never reported, which therefore has
 * nothing of the cluster to tear down (a deletion would wait for a confirmation never coming).
 */
export async function removeUnappliedCluster(db: Db, cluster: CloudClusterRecord): Promise<boolean> {
  return db.tx(async (tx) => {
    const region = await tx.q.selectFrom('regions').select('last_seen_at').where('id', '=', cluster.regionId).executeTakeFirst();
    if (region?.last_seen_at) return false;
    await tx.q.deleteFrom('cluster_events').where('cluster_id', '=', cluster.id).execute();
    await tx.q.deleteFrom('clusters').where('id', '=', cluster.id).execute();
    await bumpRevision(tx, cluster.regionId, now());
    return true;
  });
}
