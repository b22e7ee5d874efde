// The backup service's lists with a cluster filter read only that cluster's rows: pinned here
// that they still answer every row of the cluster and none of another, and that a cluster whose
// row is gone still lists the backups and schedules made of it (they name it by id).
import { describe, expect, it } from 'vitest';
import { insertClusterNamedById } from '../src/repositories/clusters.ts';
import { backupClient, backupWorld, storedSpec } from './support/backup.ts';
import type { Dialect } from './support/cloud.ts';
import { sqlOn } from './support/sql.ts';

describe.each(['sqlite', 'postgres'] as const)('backup lists of one cluster on %s', (dialect: Dialect) => {
  const { plane, world } = backupWorld(dialect);
  const client = () => backupClient(plane);
  const headers = () => plane.auth();

  it("lists one cluster's backups and schedules, and none of another cluster's", async () => {
    const { accountId, clusters } = world();
    const backup = async (clusterId: string) =>
      (await client().createBackup({ backup: { accountId, clusterId, displayName: 'x' } }, { headers: headers() })).backup!.id;
    const schedule = async (clusterId: string) =>
      (await client().createBackupSchedule({ backupSchedule: { accountId, clusterId, schedule: '0 * * * *' } }, { headers: headers() })).backupSchedule!.id;
    const ofA = [await backup(clusters.a), await backup(clusters.a)];
    const ofB = [await backup(clusters.b)];
    const schedules = { a: await schedule(clusters.a), b: await schedule(clusters.b) };
    const listedA = await client().listBackups({ accountId, clusterId: clusters.a }, { headers: headers() });
    expect(listedA.items.map((b) => b.id).toSorted()).toEqual(ofA.toSorted());
    const listedB = await client().listBackups({ accountId, clusterId: clusters.b }, { headers: headers() });
    expect(listedB.items.map((b) => b.id)).toEqual(ofB);
    const schedulesA = await client().listBackupSchedules({ accountId, clusterId: clusters.a }, { headers: headers() });
    expect(schedulesA.items.map((s) => s.id)).toEqual([schedules.a]);
    const both = await client().listBackupSchedules({ accountId }, { headers: headers() });
    expect(both.items.map((s) => s.id).toSorted()).toEqual([schedules.a, schedules.b].toSorted());
    const ofOther = await client().listBackups({ accountId, clusterId: world().other.cluster }, { headers: headers() });
    expect(ofOther.items).toEqual([]);
  });

  it('lists the backups and schedules of a cluster whose row is gone by its id', async () => {
    const { accountId, region } = world();
    const db = plane.cp.store.db;
    const gone = await insertClusterNamedById(db, region, { name: 'gone', spec: storedSpec() }, () => null);
    const { backup } = await client().createBackup({ backup: { accountId, clusterId: gone, displayName: 'kept' } }, { headers: headers() });
    const { backupSchedule } = await client().createBackupSchedule(
      { backupSchedule: { accountId, clusterId: gone, schedule: '0 0 * * *' } },
      { headers: headers() },
    );
    await sqlOn(db).run('DELETE FROM cluster_events WHERE cluster_id = $1', [gone]);
    await sqlOn(db).run('DELETE FROM clusters WHERE id = $1', [gone]);
    const backups = await client().listBackups({ accountId, clusterId: gone }, { headers: headers() });
    expect(backups.items.map((b) => [b.id, b.clusterId])).toEqual([[backup!.id, gone]]);
    const schedules = await client().listBackupSchedules({ accountId, clusterId: gone }, { headers: headers() });
    expect(schedules.items.map((s) => [s.id, s.clusterId])).toEqual([[backupSchedule!.id, gone]]);
  });
});
