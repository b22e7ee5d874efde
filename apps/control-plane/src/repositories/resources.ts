import { randomUUID } from 'node:crypto';
import { ResourceRecord, type RegionRecord } from '@qhc/schemas';
import { isUniqueViolation, type Db } from '../db/db.ts';
import { conflict } from '../errors.ts';
import { keyset, type PageRequest } from '../pages.ts';
import { bumpRevision } from './regions.ts';
import * as z from 'zod';
import { checkRoom } from './caps.ts';
import { readResourceSpec, readResourceStatus, storedJson, type RowAt } from './rows.ts';

// Backups, backup schedules and restores of a region: those made through the API (rows) and
// those the agent found in the region (its last report), merged by name.

const now = () => new Date().toISOString();

export interface NewResource {
  kind: string;
  name: string;
  clusterId: string;
  spec: Record<string, unknown>;
}

/** Refused (409) when the region has one of that kind and name. */
export async function insertResource(db: Db, region: RegionRecord, resource: NewResource): Promise<void> {
  const stamp = now();
  const { kind, name, clusterId, spec } = resource;
  try {
    await db.tx(async (tx) => {
      // First: the region's row lock orders concurrent creations for the room check.
      await bumpRevision(tx, region.id, stamp);
      await checkRoom(tx, 'resources', region);
      const row = { id: randomUUID(), region_id: region.id, kind, name, cluster_id: clusterId, spec: JSON.stringify(spec) };
      await tx.q
        .insertInto('resources')
        .values({ ...row, created_at: stamp, updated_at: stamp })
        .execute();
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`${kind} ${name} already exists in region ${region.name}`);
    throw error;
  }
}

async function ownResources(db: Db, regionId: string, kind: string, page?: PageRequest): Promise<ResourceRecord[]> {
  const query = db.q
    .selectFrom('resources')
    .select(['id', 'name', 'cluster_id', 'spec', 'status', 'deleted_at', 'created_at'])
    .where('region_id', '=', regionId)
    .where('kind', '=', kind);
  const rows = await keyset(query, db.dialect, { keys: ['name'] }, page).execute();
  return rows.map((r) => {
    const status = r.status ? readResourceStatus(r.status) : undefined;
    return {
      kind,
      name: r.name,
      clusterId: r.cluster_id,
      spec: readResourceSpec(r.spec, { log: db.log, table: 'resources', id: r.id }),
      ...(status ? { status } : {}),
      ...(r.deleted_at ? { deletedAt: r.deleted_at } : {}),
      origin: 'control-plane' as const,
      createdAt: r.created_at,
    };
  });
}

/**
 * One resource of the agent's last report as stored: reports from before the report's bounds
 * were not bounded. An item that is not even this is left out, not the whole list.
 */
const StoredObservedResource = z.object({
  kind: z.string(),
  name: z.string(),
  spec: z.record(z.string(), z.unknown()).optional(),
  status: z.unknown().optional(),
  created: z.string().optional(),
});
/** Kubernetes' free-form status, kept when it fits the record's (the few fields the console reads). */
const fittingStatus = (status: unknown) => (ResourceRecord.shape.status.unwrap().safeParse(status).success ? (status as ResourceRecord['status']) : undefined);

function readObservedResources(text: string, at: RowAt): Array<z.infer<typeof StoredObservedResource>> {
  const list: unknown = storedJson(z.array(z.unknown()), 'observed_resources', [])(text, at);
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    const parsed = StoredObservedResource.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

async function foundResources(db: Db, regionId: string, kind: string): Promise<ResourceRecord[]> {
  const row = await db.q.selectFrom('regions').select('observed_resources').where('id', '=', regionId).executeTakeFirst();
  const observed = row?.observed_resources ? readObservedResources(row.observed_resources, { log: db.log, table: 'regions', id: regionId }) : [];
  return observed
    .filter((o) => o.kind === kind)
    .map((o) => {
      const status = o.status ? fittingStatus(o.status) : undefined;
      return {
        kind,
        name: o.name,
        clusterId: String(o.spec?.['cluster-id'] ?? ''),
        spec: o.spec ?? {},
        ...(status ? { status } : {}),
        origin: 'region' as const,
        ...(o.created ? { createdAt: o.created } : {}),
      };
    });
}

/**
 * Those made through the API, with the status the agent reported, and those found in the
 * region, merged by name. With a page: up to `limit + 1` after its name. A region object
 * named like a row beyond those read cannot be among them: that row's name sorts after
 * `limit + 1` rows already.
 */
export async function mergedResources(db: Db, regionId: string, kind: string, page?: PageRequest): Promise<ResourceRecord[]> {
  const mine = await ownResources(db, regionId, kind, page);
  const names = new Set(mine.map((r) => r.name));
  const after = page?.after?.[0];
  const found = (await foundResources(db, regionId, kind)).filter((o) => !names.has(o.name) && (after === undefined || o.name > after));
  // Byte order, as the database's (pages.ts bytewise).
  const merged = [...mine, ...found].toSorted((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return page ? merged.slice(0, page.limit + 1) : merged;
}

/** Deleted by the agent; one found only in the region gets a row, deleted, so the agent deletes it there too. */
export async function markResourceDeleted(db: Db, region: Pick<RegionRecord, 'id' | 'name'>, existing: ResourceRecord): Promise<void> {
  const { id: regionId, name: regionName } = region;
  const stamp = now();
  await db.tx(async (tx) => {
    if (existing.origin === 'region') {
      // The region's row first (its lock), as for a creation: this row counts too.
      await bumpRevision(tx, regionId, stamp);
      await checkRoom(tx, 'resources', { id: regionId, name: regionName });
      const row = { id: randomUUID(), region_id: regionId, kind: existing.kind, name: existing.name, cluster_id: existing.clusterId };
      await tx.q
        .insertInto('resources')
        .values({ ...row, spec: JSON.stringify(existing.spec), deleted_at: stamp, created_at: stamp, updated_at: stamp })
        .execute();
    } else {
      await tx.q
        .updateTable('resources')
        .set({ deleted_at: stamp, updated_at: stamp })
        .where('region_id', '=', regionId)
        .where('kind', '=', existing.kind)
        .where('name', '=', existing.name)
        .execute();
      await bumpRevision(tx, regionId, stamp);
    }
  });
}
