import type { ClusterOrigin } from '@qhc/schemas';
import { takeOverKeys } from '../adoption.ts';
import { recordClusterEvents } from '../cluster-events.ts';
import type { Db } from '../db/db.ts';
import { regionAccountId } from './accounts.ts';
import { checkRoom } from './caps.ts';
import { checkFree } from './clusters.ts';
import { insertCloudResourceIn, type NewCloudResource } from './cloud-resources.ts';

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

/** Refused (409) as any new cluster is: a name or object id taken in the region, or the region full. */
export async function insertRestoredCluster(db: Db, cluster: RestoredCluster, restore: NewCloudResource, stamp: string): Promise<void> {
  const { id, name, origin, region } = cluster;
  await db.tx(async (tx) => {
    // Bumps the region's revision first (its row lock orders concurrent creations).
    await insertCloudResourceIn(tx, restore, stamp);
    await checkFree(tx, region, { name, objectId: id });
    await checkRoom(tx, 'clusters', region);
    // The source's API keys, as an adopted restored cluster gets them.
    const { spec, keys } = await takeOverKeys(tx, region.id, origin, cluster.spec);
    const row = { id, region_id: region.id, name, object_id: id, spec: JSON.stringify(spec), created_at: stamp, updated_at: stamp };
    await tx.q
      .insertInto('clusters')
      .values({ ...row, account_id: regionAccountId(tx, region.id), api_keys: keys ? JSON.stringify(keys) : null, origin: JSON.stringify(origin) })
      .execute();
    const from = `backup ${origin.snapshot}${origin.sourceCluster ? ` of cluster ${origin.sourceCluster}` : ''}`;
    await recordClusterEvents(tx, id, [{ type: 'Requested', message: `created from ${from} by ${origin.restore}` }], stamp);
  });
}
