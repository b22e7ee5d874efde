import { clusterResourceName, type Problem, type RegionRecord } from '@qhc/schemas';
import type { Db } from './db/db.ts';
import { ApiError } from './errors.ts';
import { objectIdIs } from './repositories/rows.ts';

/**
 * A backup or a backup schedule is of a live cluster of the region, and its spec's `cluster-id`
 * is that cluster (the agent labels the object with `clusterId`; a spec naming another cluster
 * would back up one cluster under the other's name). An in-place restore goes into a live
 * cluster of the region. A restore's `clusterId` is the backed-up cluster's, which may be gone
 * (that is when a backup is restored into a new cluster), so it is not looked up.
 */
export async function checkResourceTarget(db: Db, region: RegionRecord, path: string, clusterId: string, spec: Record<string, unknown>): Promise<void> {
  // The cluster as the region's objects know it: `qdrant-<object id>`, whatever its name now.
  const live = async (objectId: string) =>
    Boolean(
      await db.q
        .selectFrom('clusters')
        .select('id')
        .where('region_id', '=', region.id)
        .where(objectIdIs(objectId))
        .where('deleted_at', 'is', null)
        .executeTakeFirst(),
    );
  if (path === 'restores') {
    const destination = spec.destination as { name: string; namespace?: string; create?: boolean };
    // The operator refuses a restore across namespaces (CrossNamespace): say so now, not in the region.
    for (const side of ['source', 'destination'] as const) {
      const namespace = (spec[side] as { namespace?: string } | undefined)?.namespace;
      if (namespace !== undefined && namespace !== region.spec.namespace)
        throw refused(
          ['spec', side, 'namespace'],
          `must be the region's namespace (${JSON.stringify(region.spec.namespace)}), got ${JSON.stringify(namespace)}: a restore stays in its region's namespace`,
        );
    }
    if (destination.create === true) return;
    const target = destination.name.replace(/^qdrant-/, '');
    if (destination.name !== clusterResourceName(target) || !(await live(target))) {
      throw refused(
        ['spec', 'destination', 'name'],
        `restoring in place needs a cluster of region ${region.name} (qdrant-<cluster id>); ${JSON.stringify(destination.name)} is not one (set destination.create to restore into a new cluster)`,
      );
    }
    return;
  }
  if (spec['cluster-id'] !== clusterId)
    throw refused(['spec', 'cluster-id'], `must be the cluster named by clusterId (${JSON.stringify(clusterId)}), got ${JSON.stringify(spec['cluster-id'])}`);
  if (!(await live(clusterId))) throw refused(['clusterId'], `cluster ${clusterId} does not exist in region ${region.name} (or is being deleted)`);
}

function refused(path: string[], message: string): ApiError {
  const problem: Problem = { path, code: 'reference', message };
  return new ApiError(422, 'Invalid', `${path.join('.')}: ${message}`, [problem]);
}
