import { randomUUID } from 'node:crypto';
import { clusterResourceName, type ClusterRecord, type PageOf, type RegionRecord } from '@qhc/schemas';
import type { Updateable } from 'kysely';
import { isUniqueViolation, type Db } from '../db/db.ts';
import type { Database } from '../db/schema.ts';
import { conflict, notFound } from '../errors.ts';
import { recordClusterEvents } from '../cluster-events.ts';
import { keyset, toPage, type PageRequest } from '../pages.ts';
import { bumpRevision } from './regions.ts';
import { checkRoom } from './caps.ts';
import { regionAccountId } from './accounts.ts';
import { objectIdIs, storedApiKeys, toCluster } from './rows.ts';

// Clusters of a region. Every change is one transaction: the row, its timeline's event, and
// the region's revision (so the agent's long-poll answers with it).

const now = () => new Date().toISOString();

export interface NewCluster {
  name: string;
  spec: ClusterRecord['spec'];
  /**
   * What its Kubernetes objects are named after (`qdrant-<objectId>`), unique in the region. It
   * never changes, not even with the name: renaming the objects would make a new cluster.
   */
  objectId: string;
  /** The row's id: a new UUID when not given. */
  id?: string;
  /** The Cloud API's Cluster message as sent (proto JSON), for a cluster made through it. */
  cloudCluster?: string;
}

/** Refused (409) while another cluster of the region has this name or this object id (alive or being deleted). */
export async function checkFree(tx: Db, region: Pick<RegionRecord, 'id' | 'name'>, { name, objectId }: Pick<NewCluster, 'name' | 'objectId'>): Promise<void> {
  const taken = await tx.q
    .selectFrom('clusters')
    .select(['name', 'object_id', 'deleted_at'])
    .where('region_id', '=', region.id)
    .where((eb) => eb.or([eb('name', '=', name), objectIdIs(objectId)(eb)]))
    .execute();
  const sameName = taken.find((c) => c.name === name);
  if (sameName)
    throw conflict(
      sameName.deleted_at ? `cluster ${name} is still being deleted in region ${region.name}` : `cluster ${name} already exists in region ${region.name}`,
    );
  // A cluster renamed keeps its objects: a new one cannot take them over.
  if (taken[0]) throw conflict(`the Kubernetes objects ${clusterResourceName(objectId)} belong to cluster ${taken[0].name} in region ${region.name}`);
}

/**
 * Refused (409) while a cluster of that name or object id exists or is still being deleted;
 * `keysOf`, the keys to store, is asked only then (it may refuse the request too). The new row's id.
 */
export async function insertCluster(db: Db, region: RegionRecord, cluster: NewCluster, keysOf: () => ClusterRecord['apiKeys'] | null): Promise<string> {
  const stamp = now();
  const { name, spec, objectId } = cluster;
  const id = cluster.id ?? randomUUID();
  await db.tx(async (tx) => {
    // First: the region's row lock orders concurrent creations for the room check.
    await bumpRevision(tx, region.id, stamp);
    await checkFree(tx, region, cluster);
    await checkRoom(tx, 'clusters', region);
    const keys = keysOf();
    const row = { id, region_id: region.id, name, object_id: objectId, spec: JSON.stringify(spec), created_at: stamp, updated_at: stamp };
    await tx.q
      .insertInto('clusters')
      .values({
        ...row,
        account_id: regionAccountId(tx, region.id),
        api_keys: storedApiKeys(tx, id, keys),
        ...(cluster.cloudCluster ? { cloud_cluster: cluster.cloudCluster } : {}),
      })
      .execute();
    await recordClusterEvents(tx, id, [{ type: 'Requested', message: `created: ${spec.size} node(s) of ${spec.version}` }], stamp);
  });
  return id;
}

/** A cluster whose Kubernetes objects are named after its id (`qdrant-<id>`), as the Cloud API makes them. */
export function insertClusterNamedById(
  db: Db,
  region: RegionRecord,
  cluster: Omit<NewCluster, 'id' | 'objectId'>,
  keysOf: () => ClusterRecord['apiKeys'] | null,
): Promise<string> {
  const id = randomUUID();
  return insertCluster(db, region, { ...cluster, id, objectId: id }, keysOf);
}

/** Name order; the page after `page.after` (one key: the name). */
export async function listClusters(db: Db, regionId: string, page: PageRequest): Promise<PageOf<ClusterRecord>> {
  const query = db.q.selectFrom('clusters').selectAll().where('region_id', '=', regionId);
  const rows = await keyset(query, db.dialect, { keys: ['name'] }, page).execute();
  return toPage(rows.map(toCluster(db)), page, (c) => [c.name]);
}

export async function clusterOf(db: Db, region: Pick<RegionRecord, 'id' | 'name'>, name: string): Promise<ClusterRecord> {
  const row = await db.q.selectFrom('clusters').selectAll().where('region_id', '=', region.id).where('name', '=', name).executeTakeFirst();
  if (!row) throw notFound(`cluster ${name} in region ${region.name}`);
  return toCluster(db)(row);
}

/** The columns a change of a cluster sets, besides `updated_at`. */
export type ClusterChange = Pick<Updateable<Database['clusters']>, 'spec' | 'api_keys' | 'annotations' | 'deleted_at' | 'cloud_cluster'>;

/** A change asked for through the API: `request` is its event's words. */
export async function changeCluster(db: Db, current: ClusterRecord, change: ClusterChange, request: string): Promise<void> {
  const stamp = now();
  await db.tx(async (tx) => {
    await tx.q
      .updateTable('clusters')
      .set({ ...change, updated_at: stamp })
      .where('id', '=', current.id)
      .execute();
    await recordClusterEvents(tx, current.id, [{ type: 'Requested', message: request }], stamp);
    await bumpRevision(tx, current.regionId, stamp);
  });
}

/**
 * A new name, the same cluster: its object id, and so its Kubernetes objects, stay. The desired
 * state does not carry the name, so the region's revision stays too.
 */
export async function renameCluster(db: Db, current: ClusterRecord, name: string): Promise<void> {
  if (name === current.name) return;
  const stamp = now();
  await db.tx(async (tx) => {
    const taken = await tx.q.selectFrom('clusters').select('id').where('region_id', '=', current.regionId).where('name', '=', name).executeTakeFirst();
    if (taken) throw conflict(`cluster ${name} already exists in the region`);
    try {
      await tx.q.updateTable('clusters').set({ name, updated_at: stamp }).where('id', '=', current.id).execute();
    } catch (error) {
      // Another rename to this name committed between the check and here.
      if (isUniqueViolation(error)) throw conflict(`cluster ${name} already exists in the region`);
      throw error;
    }
    await recordClusterEvents(tx, current.id, [{ type: 'Requested', message: `renamed from ${current.name} to ${name}` }], stamp);
  });
}
