import { createHash } from 'node:crypto';
import type { Db } from '../db/db.ts';
import type { CloudResource } from './cloud-resources.ts';
import { mergedResources } from './resources.ts';
import { readRegionSpec } from './rows.ts';

// Objects the agent found in the account's regions that are no rows (the backups a schedule
// took), as the Cloud API lists them: each with an id of its own.

/**
 * A UUID for an object found in the region (a backup a schedule took): derived from where it is
 * and its name, so it is the same on every read and on every replica (RFC 9562 version 8).
 */
export function foundObjectId(regionId: string, kind: string, name: string): string {
  const h = createHash('sha256').update(`${regionId}/${kind}/${name}`).digest('hex');
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The objects of `kind` the agent found in the account's regions (those of `regionIds` when given) that are not rows. */
export async function accountFoundResources(db: Db, accountId: string, kind: string, regionIds?: ReadonlyArray<string>): Promise<CloudResource[]> {
  if (regionIds?.length === 0) return [];
  let query = db.q.selectFrom('regions').select(['id', 'name', 'spec', 'last_seen_at']).where('account_id', '=', accountId);
  if (regionIds) query = query.where('id', 'in', [...regionIds]);
  const regions = await query.execute();
  const found: CloudResource[] = [];
  for (const region of regions) {
    const namespace = readRegionSpec(region.spec, { log: db.log, table: 'regions', id: region.id }).namespace;
    for (const r of await mergedResources(db, region.id, kind)) {
      if (r.origin !== 'region') continue;
      const base = { id: foundObjectId(region.id, kind, r.name), regionId: region.id, regionName: region.name, namespace, kind, found: true as const };
      if (region.last_seen_at) Object.assign(base, { regionSeenAt: region.last_seen_at });
      found.push({
        ...base,
        name: r.name,
        clusterObjectId: r.clusterId,
        spec: r.spec,
        ...(r.status ? { status: r.status } : {}),
        createdAt: r.createdAt ?? '',
        cloud: {},
      });
    }
  }
  return found;
}
