import type { ClusterOrigin, ClusterRecord } from '@qhc/schemas';
import { takeOverKeys } from '../adoption.ts';
import { recordClusterEvents } from '../cluster-events.ts';
import type { Db } from '../db/db.ts';
import { regionAccountId } from './accounts.ts';
import { checkRoom } from './caps.ts';
import { checkFree } from './clusters.ts';
import { insertCloudResourceIn, type NewCloudResource } from './cloud-resources.ts';
import { objectIdIs, openApiKeys, storedApiKeys } from './rows.ts';

type ApiKeys = NonNullable<ClusterRecord['apiKeys']>;

// A new cluster restored from a backup, asked for through the Cloud API: its row (so it is listed
// at once, with its UUID) and the QdrantClusterRestore that makes it in the region, together.
// The row carries the restore as its origin: the desired state leaves it out until the agent
// reports the cluster the restore made (desired-state.ts), and the adoption finds it already
// adopted (adoption.ts), so the agent never makes an empty cluster over the restore's.

export interface RestoredCluster {
  id: string;
  name: string;
  /** The backed-up spec (qhc's record spec), under the new cluster's id. */
  spec: Record<string, unknown>;
  origin: ClusterOrigin;
  region: { id: string; name: string };
}

/**
 * The source cluster's API keys guard the restored copy of its data: those its spec points at
 * (as an adopted cluster takes them over), else those the control plane keeps for it, for each
 * key the spec does not reference itself. None when the source is gone.
 */
async function keysOf(
  tx: Db,
  regionId: string,
  origin: ClusterOrigin,
  backedUp: Record<string, unknown>,
): Promise<{ spec: Record<string, unknown>; keys?: ApiKeys }> {
  const taken = await takeOverKeys(tx, regionId, origin, backedUp);
  if (taken.keys || !origin.sourceCluster) return taken;
  const source = await tx.q
    .selectFrom('clusters')
    .select(['id', 'api_keys'])
    .where('region_id', '=', regionId)
    .where(objectIdIs(origin.sourceCluster))
    .executeTakeFirst();
  if (!source?.api_keys) return taken;
  const stored = openApiKeys(tx, source.id, source.api_keys);
  const service = ((backedUp.config ?? {}) as { service?: Record<string, unknown> }).service ?? {};
  const keys: ApiKeys = {
    ...(stored.apiKey && service.api_key === undefined ? { apiKey: stored.apiKey } : {}),
    ...(stored.readOnlyApiKey && service.read_only_api_key === undefined ? { readOnlyApiKey: stored.readOnlyApiKey } : {}),
  };
  return Object.keys(keys).length > 0 ? { spec: backedUp, keys } : taken;
}

/** Refused (409) as any new cluster is: a name or object id taken in the region, or the region full. */
export async function insertRestoredCluster(db: Db, cluster: RestoredCluster, restore: NewCloudResource, stamp: string): Promise<void> {
  const { id, name, origin, region } = cluster;
  await db.tx(async (tx) => {
    // Bumps the region's revision first (its row lock orders concurrent creations).
    await insertCloudResourceIn(tx, restore, stamp);
    await checkFree(tx, region, { name, objectId: id });
    await checkRoom(tx, 'clusters', region);
    const { spec, keys } = await keysOf(tx, region.id, origin, cluster.spec);
    const row = { id, region_id: region.id, name, object_id: id, spec: JSON.stringify(spec), created_at: stamp, updated_at: stamp };
    await tx.q
      .insertInto('clusters')
      .values({ ...row, account_id: regionAccountId(tx, region.id), api_keys: storedApiKeys(tx, id, keys), origin: JSON.stringify(origin) })
      .execute();
    const from = `backup ${origin.snapshot}${origin.sourceCluster ? ` of cluster ${origin.sourceCluster}` : ''}`;
    await recordClusterEvents(tx, id, [{ type: 'Requested', message: `created from ${from} by ${origin.restore}` }], stamp);
  });
}
