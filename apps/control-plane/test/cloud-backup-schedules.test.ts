// BackupService's schedules and restores over gRPC: a schedule is a QdrantClusterScheduledSnapshot
// whose backups (taken by the operator, found in the agent's report) are listed under it and
// deleted with it; a restore is a QdrantClusterRestore into the backup's cluster.
import { durationFromMs } from '@bufbuild/protobuf/wkt';
import { Code } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { BackupStatus, RestoreStatus, ScheduleStatus } from '../src/cloud/backup/enums.ts';
import { backupClient, backupWorld, reportRegion } from './support/backup.ts';
import type { Dialect } from './support/cloud.ts';

const DAY_MS = 86_400_000;

describe.each(['sqlite', 'postgres'] as const)('backup schedules on %s', (dialect: Dialect) => {
  const { plane, world } = backupWorld(dialect);
  const client = () => backupClient(plane);
  const desired = () => plane.cp.store.desiredState(world().region.id);

  it('adds a schedule, reads it with its cluster, lists it by cluster, and updates it (whole or masked)', async () => {
    const { accountId, clusters } = world();
    const sent = { accountId, clusterId: clusters.a, schedule: '0 2 * * *', retentionPeriod: durationFromMs(3 * DAY_MS), displayName: 'nightly' };
    const { backupSchedule: s } = await client().createBackupSchedule({ backupSchedule: sent }, { headers: plane.auth() });
    expect(s).toMatchObject({ ...sent, status: ScheduleStatus.UNSPECIFIED });
    const spec = { 'cluster-id': clusters.a, scheduleShortId: s!.id.slice(0, 8), schedule: '0 2 * * *', retention: '72h' };
    expect((await desired()).resources).toContainEqual({
      kind: 'QdrantClusterScheduledSnapshot',
      name: `qdrant-schedule-${s!.id}`,
      clusterId: clusters.a,
      spec,
    });
    const got = await client().getBackupSchedule({ accountId, clusterId: clusters.a, backupScheduleId: s!.id }, { headers: plane.auth() });
    expect(got.backupSchedule).toEqual(s);
    const ofOther = client().getBackupSchedule({ accountId, clusterId: clusters.b, backupScheduleId: s!.id }, { headers: plane.auth() });
    await expect(ofOther).rejects.toMatchObject({ code: Code.NotFound });
    expect((await client().listBackupSchedules({ accountId, clusterId: clusters.a }, { headers: plane.auth() })).items.map((i) => i.id)).toEqual([s!.id]);
    expect((await client().listBackupSchedules({ accountId, clusterId: clusters.b }, { headers: plane.auth() })).items).toEqual([]);

    const masked = await client().updateBackupSchedule(
      { backupSchedule: { ...s!, schedule: '*/30 * * * *', displayName: 'ignored' }, updateMask: { paths: ['schedule'] } },
      { headers: plane.auth() },
    );
    expect(masked.backupSchedule).toMatchObject({ schedule: '*/30 * * * *', displayName: 'nightly', retentionPeriod: sent.retentionPeriod });
    const whole = await client().updateBackupSchedule(
      { backupSchedule: { accountId, id: s!.id, clusterId: clusters.a, schedule: '@daily' } },
      { headers: plane.auth() },
    );
    expect(whole.backupSchedule!.schedule).toBe('@daily');
    expect([whole.backupSchedule!.retentionPeriod, whole.backupSchedule!.displayName]).toEqual([undefined, undefined]);
    // No retention: the operator's schedule keeps its backups for a century (the API's "forever").
    expect((await desired()).resources).toContainEqual(expect.objectContaining({ spec: { ...spec, schedule: '@daily', retention: '876000h' } }));
  });

  it('lists the backups the operator took on a schedule under it, and deletes them with it', async () => {
    const { accountId, clusters, region } = world();
    const sent = { accountId, clusterId: clusters.b, schedule: '0 * * * *', displayName: 'hourly' };
    const s = (await client().createBackupSchedule({ backupSchedule: sent }, { headers: plane.auth() })).backupSchedule!;
    const shortId = s.id.slice(0, 8);
    const taken = `qdrant-schedule-${s.id}-1767225600`;
    await reportRegion(plane, region, {
      resources: [
        { kind: 'QdrantClusterScheduledSnapshot', name: `qdrant-schedule-${s.id}`, status: { phase: 'Active' } },
        { kind: 'QdrantClusterSnapshot', name: taken, spec: { 'cluster-id': clusters.b, scheduleShortId: shortId }, status: { phase: 'Succeeded' } },
      ],
    });
    const got = await client().getBackupSchedule({ accountId, backupScheduleId: s.id }, { headers: plane.auth() });
    expect(got.backupSchedule!.status).toBe(ScheduleStatus.ACTIVE);
    const listed = await client().listBackups({ accountId, backupScheduleId: s.id }, { headers: plane.auth() });
    expect(listed.items).toEqual([
      expect.objectContaining({ name: taken, clusterId: clusters.b, backupScheduleId: s.id, displayName: 'hourly', status: BackupStatus.SUCCEEDED }),
    ]);
    // Its id is the same on every read.
    const again = await client().getBackup({ accountId, backupId: listed.items[0]!.id }, { headers: plane.auth() });
    expect(again.backup!.name).toBe(taken);
    const rename = client().updateBackup({ backup: { ...again.backup!, displayName: 'mine' } }, { headers: plane.auth() });
    await expect(rename).rejects.toMatchObject({ code: Code.FailedPrecondition, rawMessage: expect.stringMatching(/^backup\.id: .* taken by a schedule/) });
    // Listed by its cluster too, whatever the case of the id asked for.
    const ofCluster = await client().listBackups({ accountId, clusterId: clusters.b.toUpperCase() }, { headers: plane.auth() });
    expect(ofCluster.items.map((b) => b.name)).toContain(taken);

    await client().deleteBackupSchedule({ accountId, backupScheduleId: s.id, deleteBackups: true }, { headers: plane.auth() });
    expect((await desired()).resourceDeletions).toEqual(
      expect.arrayContaining([
        { kind: 'QdrantClusterScheduledSnapshot', name: `qdrant-schedule-${s.id}` },
        { kind: 'QdrantClusterSnapshot', name: taken },
      ]),
    );
    expect((await client().getBackup({ accountId, backupId: listed.items[0]!.id }, { headers: plane.auth() })).backup!.deletedAt).toBeDefined();
  });
});

describe.each(['sqlite', 'postgres'] as const)('restores on %s', (dialect: Dialect) => {
  const { plane, world } = backupWorld(dialect);
  const client = () => backupClient(plane);

  it('restores a backup into its cluster and lists the restore with the status the agent reports', async () => {
    const { accountId, clusters, region } = world();
    const { backup } = await client().createBackup({ backup: { accountId, clusterId: clusters.a, displayName: 'b' } }, { headers: plane.auth() });
    await client().restoreBackup({ accountId, backupId: backup!.id }, { headers: plane.auth() });
    const { items } = await client().listBackupRestores({ accountId, clusterId: clusters.a }, { headers: plane.auth() });
    expect(items).toEqual([expect.objectContaining({ accountId, clusterId: clusters.a, backupId: backup!.id, status: RestoreStatus.UNSPECIFIED })]);
    const name = `qdrant-restore-${items[0]!.id}`;
    const restore = (await plane.cp.store.desiredState(region.id)).resources?.find((r) => r.name === name);
    expect(restore?.spec).toEqual({
      source: { snapshotName: backup!.name, namespace: 'ns-env' },
      destination: { name: `qdrant-${clusters.a}`, namespace: 'ns-env' },
    });
    await reportRegion(plane, region, { resources: [{ kind: 'QdrantClusterRestore', name, status: { phase: 'Pending' } }] });
    expect((await client().listBackupRestores({ accountId }, { headers: plane.auth() })).items[0]!.status).toBe(RestoreStatus.RUNNING);
    await reportRegion(plane, region, { resources: [{ kind: 'QdrantClusterRestore', name, status: { phase: 'Succeeded' } }] });
    expect((await client().listBackupRestores({ accountId }, { headers: plane.auth() })).items[0]!.status).toBe(RestoreStatus.SUCCEEDED);
    expect((await client().listBackupRestores({ accountId, clusterId: clusters.b }, { headers: plane.auth() })).items).toEqual([]);
  });
});
