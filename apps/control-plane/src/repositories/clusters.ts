import { randomUUID } from 'node:crypto';
import type { ClusterRecord, PageOf, RegionRecord } from '@qhc/schemas';
import type { Updateable } from 'kysely';
import type { Db } from '../db/db.ts';
import type { Database } from '../db/schema.ts';
import { conflict, notFound } from '../errors.ts';
import { recordClusterEvents } from '../cluster-events.ts';
import { keyset, toPage, type PageRequest } from '../pages.ts';
import { bumpRevision } from './regions.ts';
import { checkRoom } from './caps.ts';
import { regionAccountId } from './accounts.ts';
import { toCluster } from './rows.ts';

// Clusters of a region. Every change is one transaction: the row, its timeline's event, and
// the region's revision (so the agent's long-poll answers with it).

const now = () => new Date().toISOString();

export interface NewCluster {
  name: string;
  spec: ClusterRecord['spec'];
}

/**
 * Refused (409) while a cluster of that name exists or is still being deleted; `keysOf`, the
 * keys to store, is asked only then (it may refuse the request too).
 */
export async function insertCluster(db: Db, region: RegionRecord, cluster: NewCluster, keysOf: () => ClusterRecord['apiKeys'] | null): Promise<void> {
  const stamp = now();
  const { name, spec } = cluster;
  await db.tx(async (tx) => {
    // First: the region's row lock orders concurrent creations for the room check.
    await bumpRevision(tx, region.id, stamp);
    const existing = await tx.q.selectFrom('clusters').select('deleted_at').where('region_id', '=', region.id).where('name', '=', name).executeTakeFirst();
    if (existing)
      throw conflict(
        existing.deleted_at ? `cluster ${name} is still being deleted in region ${region.name}` : `cluster ${name} already exists in region ${region.name}`,
      );
    await checkRoom(tx, 'clusters', region);
    const keys = keysOf();
    const id = randomUUID();
    const row = { id, region_id: region.id, name, spec: JSON.stringify(spec), created_at: stamp, updated_at: stamp };
    await tx.q
      .insertInto('clusters')
      .values({ ...row, account_id: regionAccountId(tx, region.id), api_keys: keys ? JSON.stringify(keys) : null })
      .execute();
    await recordClusterEvents(tx, id, [{ type: 'Requested', message: `created: ${spec.size} node(s) of ${spec.version}` }], stamp);
  });
}

/** Name order; the page after `page.after` (one key: the name). */
export async function listClusters(db: Db, regionId: string, page: PageRequest): Promise<PageOf<ClusterRecord>> {
  const query = db.q.selectFrom('clusters').selectAll().where('region_id', '=', regionId);
  const rows = await keyset(query, db.dialect, { keys: ['name'] }, page).execute();
  return toPage(rows.map(toCluster(db.log)), page, (c) => [c.name]);
}

export async function clusterOf(db: Db, region: Pick<RegionRecord, 'id' | 'name'>, name: string): Promise<ClusterRecord> {
  const row = await db.q.selectFrom('clusters').selectAll().where('region_id', '=', region.id).where('name', '=', name).executeTakeFirst();
  if (!row) throw notFound(`cluster ${name} in region ${region.name}`);
  return toCluster(db.log)(row);
}

/** The columns a change of a cluster sets, besides `updated_at`. */
export type ClusterChange = Pick<Updateable<Database['clusters']>, 'spec' | 'api_keys' | 'annotations' | 'deleted_at'>;

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
