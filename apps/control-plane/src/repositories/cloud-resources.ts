import type { Selectable } from 'kysely';
import * as z from 'zod';
import type { Db } from '../db/db.ts';
import type { Database } from '../db/schema.ts';
import { conflict } from '../errors.ts';
import { RESOURCE_KINDS } from '../resource-kinds.ts';
import { checkRoom } from './caps.ts';
import { bumpRevision } from './regions.ts';
import { accountFoundResources } from './found-resources.ts';

import { objectKey, type AccountCluster, type ClusterRef } from './account-clusters.ts';
import { fittingJson, readRegionSpec, readResourceStatus } from './rows.ts';

export { accountFoundResources, foundObjectId } from './found-resources.ts';
export { accountCluster, accountClusterByObject, accountClustersByObject, objectKey, type AccountCluster, type ClusterRef } from './account-clusters.ts';

// The rows of `resources` as the Cloud API sees them: by account (through their region) and by
// the row's UUID, which is also in the Kubernetes object's name (cloud/backup/names.ts).

/** What the Cloud API keeps beside a row (the `cloud` column, JSON). */
export const CloudFields = z.object({
  /** The message the client sent (base64 protobuf), server-owned fields cleared: echoed as sent. */
  message: z.string().optional(),
  /** The cluster's UUID the row is about (a backup's or schedule's cluster; a restore's destination). */
  clusterId: z.string().optional(),
  /** A restore's backup. */
  backupId: z.string().optional(),
  /** A backup's cluster as it was when it was taken (base64 protobuf ClusterInfo). */
  clusterInfo: z.string().optional(),
  /** A backup's cluster spec when it was taken (qhc's ClusterRecord spec), to restore into a new cluster. */
  clusterSpec: z.record(z.string(), z.unknown()).optional(),
});
export type CloudFields = z.infer<typeof CloudFields>;
const readCloudFields = fittingJson(CloudFields);

type ResourceRow = Selectable<Database['resources']>;

/** A row with its region's namespace and what the Cloud API keeps beside it. */
export interface CloudResource {
  id: string;
  regionId: string;
  regionName: string;
  namespace: string;
  /** When the region's agent last reported (none yet: undefined). */
  regionSeenAt?: string;
  kind: string;
  /** Found in the region (the agent's last report) and not a row: a backup a schedule took. */
  found?: true;
  /** The Kubernetes object's name. */
  name: string;
  /** The cluster's object id (`qdrant-<object id>`), as the region's objects name it. */
  clusterObjectId: string;
  spec: Record<string, unknown>;
  status?: NonNullable<ReturnType<typeof readResourceStatus>>;
  deletedAt?: string;
  createdAt: string;
  cloud: CloudFields;
}

const COLUMNS = ['resources.id', 'region_id', 'kind', 'resources.name', 'cluster_id', 'resources.spec', 'resources.status'] as const;
const MORE = [
  'resources.deleted_at',
  'resources.created_at',
  'resources.updated_at',
  'cloud',
  'regions.spec as region_spec',
  'regions.name as region_name',
  'regions.last_seen_at',
] as const;

type JoinedRow = Omit<ResourceRow, 'spec' | 'status'> & {
  spec: string;
  status: string | null;
  region_spec: string;
  region_name: string;
  last_seen_at: string | null;
};

function toCloudResource(db: Db, r: JoinedRow): CloudResource {
  const status = r.status ? readResourceStatus(r.status) : undefined;
  let spec: Record<string, unknown> = {};
  try {
    spec = JSON.parse(r.spec) as Record<string, unknown>;
  } catch {
    // Written by this control plane as JSON: a row that is not is read as an empty spec.
  }
  return {
    id: r.id,
    regionId: r.region_id,
    regionName: r.region_name,
    ...(r.last_seen_at ? { regionSeenAt: r.last_seen_at } : {}),
    namespace: readRegionSpec(r.region_spec, { log: db.log, table: 'regions', id: r.region_id }).namespace,
    kind: r.kind,
    name: r.name,
    clusterObjectId: r.cluster_id,
    spec,
    ...(status ? { status } : {}),
    ...(r.deleted_at ? { deletedAt: r.deleted_at } : {}),
    createdAt: r.created_at,
    cloud: (r.cloud ? readCloudFields(r.cloud) : undefined) ?? {},
  };
}

const accountRows = (db: Db, accountId: string, kind: string) =>
  db.q
    .selectFrom('resources')
    .innerJoin('regions', 'regions.id', 'resources.region_id')
    .select([...COLUMNS, ...MORE])
    .where('regions.account_id', '=', accountId)
    .where('resources.kind', '=', kind);

/** The account's rows of `kind` (in the region when given), oldest first (then by id). */
export async function accountResources(db: Db, accountId: string, kind: string, regionId?: string): Promise<CloudResource[]> {
  let query = accountRows(db, accountId, kind);
  if (regionId !== undefined) query = query.where('resources.region_id', '=', regionId);
  const rows = await query.orderBy('resources.created_at').orderBy('resources.id').execute();
  return rows.map((r) => toCloudResource(db, r));
}

/** One row of the account, or undefined (another account's too). */
export async function accountResource(db: Db, accountId: string, kind: string, id: string): Promise<CloudResource | undefined> {
  const row = await accountRows(db, accountId, kind).where('resources.id', '=', id).executeTakeFirst();
  return row ? toCloudResource(db, row) : undefined;
}

/** Bound values per statement: well under SQLite's and PostgreSQL's limits. */
const CHUNK = 500;

/**
 * The account's rows of `kind` about the clusters `refs` names (by region and object id), oldest
 * first (then by id): a cluster's backups or schedules without the account's others.
 */
export async function clusterResources(db: Db, accountId: string, kind: string, refs: ReadonlyArray<ClusterRef>): Promise<CloudResource[]> {
  const wanted = new Set(refs.map(objectKey));
  const regionIds = [...new Set(refs.map((r) => r.regionId))];
  const objectIds = [...new Set(refs.map((r) => r.clusterObjectId))];
  const rows: CloudResource[] = [];
  for (let i = 0; i < objectIds.length; i += CHUNK) {
    const chunk = objectIds.slice(i, i + CHUNK);
    const query = accountRows(db, accountId, kind).where('resources.region_id', 'in', regionIds).where('resources.cluster_id', 'in', chunk);
    for (const row of await query.execute()) if (wanted.has(`${row.region_id}/${row.cluster_id}`)) rows.push(toCloudResource(db, row));
  }
  return rows.toSorted((a, b) => (a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id) ? -1 : 1));
}

export interface NewCloudResource {
  id: string;
  regionId: string;
  regionName: string;
  kind: string;
  name: string;
  clusterObjectId: string;
  spec: Record<string, unknown>;
  cloud: CloudFields;
}

/** In a transaction that may do more (a restore's new cluster): the region's revision, the room check, the row. */
export async function insertCloudResourceIn(tx: Db, resource: NewCloudResource, stamp: string): Promise<void> {
  const { id, regionId, regionName, kind, name, clusterObjectId, spec, cloud } = resource;
  // First: the region's row lock orders concurrent creations for the room check.
  await bumpRevision(tx, regionId, stamp);
  await checkRoom(tx, 'resources', { id: regionId, name: regionName });
  const taken = await tx.q
    .selectFrom('resources')
    .select('id')
    .where('region_id', '=', regionId)
    .where('kind', '=', kind)
    .where('name', '=', name)
    .executeTakeFirst();
  if (taken) throw conflict(`${kind} ${name} already exists in region ${regionName}`);
  await tx.q
    .insertInto('resources')
    .values({
      id,
      region_id: regionId,
      kind,
      name,
      cluster_id: clusterObjectId,
      spec: JSON.stringify(spec),
      cloud: JSON.stringify(cloud),
      created_at: stamp,
      updated_at: stamp,
    })
    .execute();
}

export async function insertCloudResource(db: Db, resource: NewCloudResource, stamp: string): Promise<void> {
  await db.tx((tx) => insertCloudResourceIn(tx, resource, stamp));
}

/** A new client message, and a new spec when given (the agent applies it: a new revision). */
export async function updateCloudResource(
  db: Db,
  row: CloudResource,
  change: { cloud: CloudFields; spec?: Record<string, unknown> },
  stamp: string,
): Promise<void> {
  await db.tx(async (tx) => {
    await tx.q
      .updateTable('resources')
      .set({ cloud: JSON.stringify(change.cloud), updated_at: stamp, ...(change.spec ? { spec: JSON.stringify(change.spec) } : {}) })
      .where('id', '=', row.id)
      .execute();
    if (change.spec) await bumpRevision(tx, row.regionId, stamp);
  });
}

/**
 * Deleted by the agent (a row goes once its report confirms it); rows already being deleted stay
 * as they are. One found only in the region gets a row of its id, deleted, so the agent deletes it too.
 */
export async function markCloudResourcesDeleted(db: Db, rows: ReadonlyArray<CloudResource>, stamp: string): Promise<void> {
  if (rows.length === 0) return;
  await db.tx(async (tx) => {
    for (const row of rows) {
      if (!row.found) {
        await tx.q.updateTable('resources').set({ deleted_at: stamp, updated_at: stamp }).where('id', '=', row.id).where('deleted_at', 'is', null).execute();
        continue;
      }
      // The region's row first (its lock), as for a creation: this row counts too.
      await bumpRevision(tx, row.regionId, stamp);
      await checkRoom(tx, 'resources', { id: row.regionId, name: row.regionName });
      const values = { id: row.id, region_id: row.regionId, kind: row.kind, name: row.name, cluster_id: row.clusterObjectId, spec: JSON.stringify(row.spec) };
      await tx.q
        .insertInto('resources')
        .values({ ...values, cloud: JSON.stringify(row.cloud), deleted_at: stamp, created_at: row.createdAt || stamp, updated_at: stamp })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    for (const regionId of new Set(rows.map((r) => r.regionId))) await bumpRevision(tx, regionId, stamp);
  });
}

/**
 * Every backup of a cluster, those a schedule took in the region included, marked deleted
 * (DeleteCluster with `delete_backups`); the agent deletes them in the region. How many.
 */
export async function markClusterBackupsDeleted(
  db: Db,
  accountId: string,
  cluster: Pick<AccountCluster, 'regionId' | 'objectId'>,
  stamp: string,
): Promise<number> {
  const kind = RESOURCE_KINDS.backups.kind;
  const ref = { regionId: cluster.regionId, clusterObjectId: cluster.objectId };
  const all = [...(await clusterResources(db, accountId, kind, [ref])), ...(await accountFoundResources(db, accountId, kind, [cluster.regionId]))];
  const rows = all.filter((r) => r.regionId === cluster.regionId && r.clusterObjectId === cluster.objectId && !r.deletedAt);
  await markCloudResourcesDeleted(db, rows, stamp);
  return rows.length;
}

/**
 * The restores making a cluster (CreateClusterFromBackup), marked deleted: for DeleteCluster of a
 * cluster the region has not reported yet, whose restore would otherwise still make it (and
 * the adoption then bring it back as a new cluster). How many.
 */
export async function markClusterRestoresDeleted(db: Db, accountId: string, clusterId: string, stamp: string): Promise<number> {
  // Its restores are rows of its region (under the backed-up cluster's object id): only those are read.
  const made = await db.q.selectFrom('clusters').select('region_id').where('id', '=', clusterId).where('account_id', '=', accountId).executeTakeFirst();
  const restores = await accountResources(db, accountId, RESOURCE_KINDS.restores.kind, made?.region_id);
  const making = restores.filter(
    (r) => r.cloud.clusterId === clusterId && (r.spec.destination as { create?: boolean } | undefined)?.create === true && !r.deletedAt,
  );
  await markCloudResourcesDeleted(db, making, stamp);
  return making.length;
}
