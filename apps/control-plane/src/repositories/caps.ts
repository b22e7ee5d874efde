import type { Db } from '../db/db.ts';
import { LimitError } from '../errors.ts';

// The agent contract (@qhc/schemas DesiredState) carries at most 10,000 clusters, 10,000
// deletions, 10,000 resources and 10,000 resource deletions, and the agent refuses a larger
// answer whole: past these, one request more would stop the whole region. Rows being deleted
// count too, so that clusters plus deletions (resources plus their deletions) stay within them.

/** The most cluster rows a region holds, those being deleted included. */
export const MAX_CLUSTERS_PER_REGION = 10_000;
/** The most backup, schedule and restore rows a region holds (all kinds), those being deleted included. */
export const MAX_RESOURCES_PER_REGION = 10_000;

export async function rowsOfRegion(db: Db, table: 'clusters' | 'resources', regionId: string): Promise<number> {
  const row = await db.q
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string | number | bigint>().as('n'))
    .where('region_id', '=', regionId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Refused (409 naming the limit; ResourceExhausted on the Cloud API) when the region holds its most rows of `table`. In a transaction
 * that has already changed the region's row (its revision): concurrent ones wait on that lock,
 * so two cannot both take the last place.
 */
export async function checkRoom(tx: Db, table: 'clusters' | 'resources', region: { id: string; name: string }): Promise<void> {
  const max = table === 'clusters' ? MAX_CLUSTERS_PER_REGION : MAX_RESOURCES_PER_REGION;
  if ((await rowsOfRegion(tx, table, region.id)) < max) return;
  const what = table === 'clusters' ? 'clusters' : 'backups, backup schedules and restores';
  throw new LimitError(`region ${region.name} holds ${max} ${what} (those being deleted included), the most a region can: delete some first`);
}
