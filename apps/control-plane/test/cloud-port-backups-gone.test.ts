// region-caps.test.ts's second half on the Cloud API: a backup taken through BackupService and
// later removed in the environment (its retention ran out) leaves the database, the desired
// state and ListBackups once a report of the current revision no longer has it; a report of an
// older revision, or before the region reported it at all, removes nothing.
import { describe, expect, it } from 'vitest';
import { backupClient } from './support/backup.ts';
import { cloudPlane, type Dialect } from './support/cloud.ts';
import { clusterClient, clusterInit, makeRegion } from './support/cloud-clusters.ts';
import { sqlOn } from './support/sql.ts';

const snapshot = (name: string, clusterId: string) => ({
  kind: 'QdrantClusterSnapshot',
  name,
  spec: { 'cluster-id': clusterId },
  status: { phase: 'Succeeded' },
});

describe.each(['sqlite', 'postgres'] as const)('backups the environment confirmed gone on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it('a backup taken through the Cloud API and later removed in the environment leaves the database, the desired state and the list', async () => {
    const region = await makeRegion(plane, 'daily');
    const accountId = plane.cp.accountId;
    const { cluster } = await clusterClient(plane).createCluster({ cluster: clusterInit(accountId, region.id, 'c1') }, { headers: plane.auth() });
    const backups = backupClient(plane);
    const make = async (displayName: string) =>
      (await backups.createBackup({ backup: { accountId, clusterId: cluster!.id, displayName } }, { headers: plane.auth() })).backup!;
    const [day1, day2] = [await make('day-1'), await make('day-2')];
    const { store } = plane.cp;
    const revision = async () => (await store.revision(region.id))!;
    const rows = async () =>
      (await sqlOn(store.db).all<{ name: string }>('SELECT name FROM resources WHERE region_id = $1 ORDER BY name', [region.id])).map((r) => r.name);
    const both = [day1.name, day2.name].toSorted();
    const report = async (names: string[], appliedRevision: number) =>
      store.recordStatus(region.id, { appliedRevision, clusters: [], resources: names.map((n) => snapshot(n, cluster!.id)) });
    // Not yet reported by a region that has applied it: kept (the agent may not have made it yet).
    await report([day2.name], await revision());
    expect(await rows()).toEqual(both);
    await report([day1.name, day2.name], await revision());
    // A report of an older revision removes nothing.
    const before = await revision();
    await report([day2.name], before - 1);
    expect(await rows()).toEqual(both);
    // day-1's retention ran out: the region removed it.
    await report([day2.name], before);
    expect(await rows()).toEqual([day2.name]);
    expect(await revision()).toBe(before + 1);
    const desired = await store.desiredState(region.id);
    expect([desired.resources?.map((r) => r.name), desired.resourceDeletions]).toEqual([[day2.name], []]);
    const listed = await backups.listBackups({ accountId, clusterId: cluster!.id }, { headers: plane.auth() });
    expect(listed.items.map((b) => b.displayName)).toEqual(['day-2']);
  });
});
