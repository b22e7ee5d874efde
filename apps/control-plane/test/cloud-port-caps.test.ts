// region-caps.test.ts on the Cloud API: an environment's desired state stays within the agent
// contract's caps. A cluster or a backup past them is ResourceExhausted naming the limit (a
// quota reached, not a name taken), nothing is written, and the desired state still parses.
import { Code } from '@connectrpc/connect';
import { DesiredState } from '@qhc/schemas';
import { describe, expect, it } from 'vitest';
import { MAX_CLUSTERS_PER_REGION, MAX_RESOURCES_PER_REGION } from '../src/repositories/caps.ts';
import { backupClient, storedSpec } from './support/backup.ts';
import { cloudPlane, failure, type CloudPlane, type Dialect } from './support/cloud.ts';
import { clusterClient, clusterDigest, clusterInit, makeRegion, reportStatus } from './support/cloud-clusters.ts';
import { codeOf, messageOf } from './support/hybrid.ts';
import { sqlOn } from './support/sql.ts';

const STAMP = '2026-01-01T00:00:00.000Z';

/** `count` rows of the region, named `<prefix><n>`, inserted by the database itself (one statement). */
const fillRows = (table: 'clusters' | 'resources', count: number) =>
  table === 'clusters'
    ? `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
       INSERT INTO clusters (id, region_id, name, spec, created_at, updated_at)
       SELECT 'fill-c-' || i, $1, 'fill-' || i, $2, '${STAMP}', '${STAMP}' FROM n`
    : `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
       INSERT INTO resources (id, region_id, kind, name, cluster_id, spec, created_at, updated_at)
       SELECT 'fill-r-' || i, $1, 'QdrantClusterSnapshot', 'fill-' || i, $2, $3, '${STAMP}', '${STAMP}' FROM n`;

const createIn = (plane: CloudPlane, regionId: string, name: string) =>
  clusterClient(plane).createCluster({ cluster: clusterInit(plane.cp.accountId, regionId, name) }, { headers: plane.auth() });

/** The region full of clusters but for one place, taken by a cluster being deleted (it counts); the first cluster's id. */
async function fillClusters(plane: CloudPlane, regionId: string): Promise<string> {
  const first = (await createIn(plane, regionId, 'c1')).cluster!;
  await sqlOn(plane.cp.store.db).run(fillRows('clusters', MAX_CLUSTERS_PER_REGION - 2), [regionId, JSON.stringify(storedSpec())]);
  const last = (await createIn(plane, regionId, 'c2')).cluster!;
  // Reported, so that the delete waits for the agent instead of forgetting the cluster at once.
  await reportStatus(plane, regionId, [
    { id: first.id, phase: 'Healthy' },
    { id: last.id, phase: 'Healthy' },
  ]);
  await clusterClient(plane).deleteCluster({ accountId: plane.cp.accountId, clusterId: last.id }, { headers: plane.auth() });
  return first.id;
}

describe.each(['sqlite', 'postgres'] as const)("an environment's caps over gRPC on %s", (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it('refuses a cluster and a backup past 10,000 (ResourceExhausted naming the limit, nothing written); the desired state still parses', async () => {
    expect([MAX_CLUSTERS_PER_REGION, MAX_RESOURCES_PER_REGION]).toEqual([10_000, 10_000]);
    const region = await makeRegion(plane, 'full');
    const first = await fillClusters(plane, region.id);
    const before = await clusterDigest(plane);
    const refused = await failure(createIn(plane, region.id, 'c3'));
    expect([codeOf(refused), messageOf(refused)]).toEqual([
      Code.ResourceExhausted,
      'region full holds 10000 clusters (those being deleted included), the most a region can: delete some first',
    ]);
    expect(await clusterDigest(plane)).toEqual(before);
    await sqlOn(plane.cp.store.db).run(fillRows('resources', MAX_RESOURCES_PER_REGION - 1), [region.id, first, JSON.stringify({ 'cluster-id': first })]);
    const backups = backupClient(plane);
    const backup = (displayName: string) => ({ accountId: plane.cp.accountId, clusterId: first, displayName });
    await backups.createBackup({ backup: backup('last') }, { headers: plane.auth() });
    const beforeBackup = await clusterDigest(plane);
    const noRoom = await failure(backups.createBackup({ backup: backup('one-more') }, { headers: plane.auth() }));
    expect([codeOf(noRoom), messageOf(noRoom)]).toEqual([
      Code.ResourceExhausted,
      'region full holds 10000 backups, backup schedules and restores (those being deleted included), the most a region can: delete some first',
    ]);
    expect(await clusterDigest(plane)).toEqual(beforeBackup);
    const parsed = DesiredState.safeParse(await plane.cp.store.desiredState(region.id));
    expect(parsed.success).toBe(true);
    expect([parsed.data?.clusters.length, parsed.data?.deletions.length, parsed.data?.resources.length]).toEqual([9_999, 1, 10_000]);
  });
});
