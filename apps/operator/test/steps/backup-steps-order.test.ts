import { describe, expect, it } from 'vitest';
import { RESTORE_STEPS } from '../../src/backup/restore.ts';
import { SNAPSHOT_STEPS } from '../../src/backup/snapshot.ts';
import { RESTORE_SCENARIOS, SNAPSHOT_SCENARIOS, backupGoldenPath, formatBackupOutcome, runRestoreScenario, runSnapshotScenario } from './backup-scenarios.ts';
import { expectCaught, mutations, type Catch } from './mutations.ts';

// The mutation check of the restore and backup reconciles, as for the cluster's
// (cluster-steps-order.test.ts): each drop or neighbour swap of RESTORE_STEPS and
// SNAPSHOT_STEPS must miss its scenario's golden file, or throw the named guard message.

const restoreGuard = (what: string) => `Error: restore qdrant/r1: a step ran before ${what}`;
const backupGuard = (what: string) => `Error: backup qdrant/b1: a step ran before ${what}`;

const RESTORE_CAUGHT_BY: Record<string, Catch> = {
  'drop readRestore': { scenario: 'restore starts', throws: restoreGuard('the restore was read') },
  'drop validateRestore': { scenario: 'restore starts', throws: restoreGuard('the restore was validated') },
  'drop readSource': { scenario: 'restore starts', throws: restoreGuard('its snapshot was read') },
  'drop createDestination': { scenario: 'restore creates' },
  'drop readDestination': { scenario: 'restore starts', throws: restoreGuard('its cluster was read') },
  'drop resumeRestored': { scenario: 'restore resumes' },
  'drop suspendDestination': { scenario: 'restore starts' },
  'drop awaitSuspended': { scenario: 'restore waits for suspend' },
  'drop replaceVolumes': { scenario: 'restore replaces volumes' },
  'swap readRestore/validateRestore': { scenario: 'restore starts', throws: restoreGuard('the restore was read') },
  'swap validateRestore/readSource': { scenario: 'restore starts', throws: restoreGuard('the restore was validated') },
  'swap readSource/createDestination': { scenario: 'restore creates', throws: restoreGuard('its snapshot was read') },
  'swap createDestination/readDestination': { scenario: 'restore creates' },
  'swap readDestination/resumeRestored': { scenario: 'restore resumes', throws: restoreGuard('its cluster was read') },
  'swap resumeRestored/suspendDestination': { scenario: 'restore succeeds' },
  'swap suspendDestination/awaitSuspended': { scenario: 'restore starts' },
  'swap awaitSuspended/replaceVolumes': { scenario: 'restore waits for suspend' },
};

const SNAPSHOT_CAUGHT_BY: Record<string, Catch> = {
  'drop readBackup': { scenario: 'backup starts', throws: backupGuard('the backup was read') },
  'drop validateBackup': { scenario: 'backup starts', throws: backupGuard('the backup was validated') },
  'drop expireFinished': { scenario: 'backup expires' },
  'drop findBackedUpCluster': { scenario: 'backup starts', throws: backupGuard('its cluster was found') },
  'drop awaitSettledCluster': { scenario: 'backup skipped' },
  'drop resolveSnapshotClass': { scenario: 'backup starts' },
  'drop startBackup': { scenario: 'backup starts' },
  'drop observeVolumeSnapshots': { scenario: 'backup in progress', throws: backupGuard('its VolumeSnapshots were observed') },
  'drop recreateMissing': { scenario: 'backup remakes' },
  'drop failLost': { scenario: 'backup lost' },
  'drop succeedWhenReady': { scenario: 'backup ready' },
  'drop failOnTimeout': { scenario: 'backup timed out' },
  'drop reportProgress': { scenario: 'backup in progress' },
  'swap readBackup/validateBackup': { scenario: 'backup starts', throws: backupGuard('the backup was read') },
  'swap validateBackup/expireFinished': { scenario: 'backup expires' },
  'swap expireFinished/findBackedUpCluster': { scenario: 'backup outlives cluster' },
  'swap findBackedUpCluster/awaitSettledCluster': { scenario: 'backup starts', throws: backupGuard('its cluster was found') },
  'swap awaitSettledCluster/resolveSnapshotClass': { scenario: 'backup skipped' },
  'swap resolveSnapshotClass/startBackup': { scenario: 'backup starts' },
  'swap startBackup/observeVolumeSnapshots': {
    equivalent: 'observeVolumeSnapshots only reads pass.planned and pass.existing, which startBackup leaves alone whenever it lets the pass go on',
  },
  'swap observeVolumeSnapshots/recreateMissing': { scenario: 'backup remakes', throws: backupGuard('its VolumeSnapshots were observed') },
  'swap recreateMissing/failLost': { scenario: 'backup remakes' },
  'swap failLost/succeedWhenReady': { scenario: 'backup errored' },
  'swap succeedWhenReady/failOnTimeout': { scenario: 'backup ready late' },
  'swap failOnTimeout/reportProgress': { scenario: 'backup timed out' },
};

describe('restore and backup scenarios: golden files', () => {
  it.each(Object.keys(RESTORE_SCENARIOS))('%s: reads and writes what its golden file lists', async (name) => {
    await expect(formatBackupOutcome(await runRestoreScenario(name))).toMatchFileSnapshot(backupGoldenPath(name));
  });
  it.each(Object.keys(SNAPSHOT_SCENARIOS))('%s: reads and writes what its golden file lists', async (name) => {
    await expect(formatBackupOutcome(await runSnapshotScenario(name))).toMatchFileSnapshot(backupGoldenPath(name));
  });
});

const names = <P>(steps: Parameters<typeof mutations<P>>[0]) => mutations(steps).map(([name]) => name);

describe('restore and backup steps: the mutation tables', () => {
  it('name every drop and every neighbour swap of RESTORE_STEPS and SNAPSHOT_STEPS, nothing else', () => {
    expect(Object.keys(RESTORE_CAUGHT_BY).toSorted()).toEqual(names(RESTORE_STEPS).toSorted());
    expect(Object.keys(SNAPSHOT_CAUGHT_BY).toSorted()).toEqual(names(SNAPSHOT_STEPS).toSorted());
  });
});

describe('restore steps: every mutation is caught by its scenario', () => {
  it.each(mutations(RESTORE_STEPS))('%s misses the golden file of its scenario', async (mutation, steps) => {
    const run = (scenario: string, mutated: boolean) => runRestoreScenario(scenario, mutated ? steps : RESTORE_STEPS);
    await expectCaught(RESTORE_CAUGHT_BY[mutation]!, run, formatBackupOutcome, backupGoldenPath);
  });
});

describe('snapshot steps: every mutation is caught by its scenario', () => {
  it.each(mutations(SNAPSHOT_STEPS))('%s misses the golden file of its scenario', async (mutation, steps) => {
    const run = (scenario: string, mutated: boolean) => runSnapshotScenario(scenario, mutated ? steps : SNAPSHOT_STEPS);
    await expectCaught(SNAPSHOT_CAUGHT_BY[mutation]!, run, formatBackupOutcome, backupGoldenPath);
  });
});

describe('restore and backup scenarios: what some of them are about', () => {
  it('restore waits for suspend: nothing is deleted while the cluster is not Suspended', async () => {
    const { journal, remaining, result } = await runRestoreScenario('restore waits for suspend');
    expect(journal.filter((j) => j.startsWith('delete'))).toEqual([]);
    expect(remaining).toContain('PersistentVolumeClaim/qdrant-storage-qdrant-a-0');
    expect(result).toEqual({ requeueAfterMs: 2_000 });
  });

  it('backup outlives cluster: a Succeeded backup whose cluster is gone stays Succeeded until its retention ends', async () => {
    const { statuses, result, remaining } = await runSnapshotScenario('backup outlives cluster');
    expect(statuses).toEqual([]);
    expect(result).toEqual({ requeueAfterMs: 3_600_000 });
    expect(remaining).toEqual(['QdrantClusterSnapshot/b1', 'VolumeSnapshot/b1-0']);
  });

  it('backup timed out: failed with BackupTimeout, its VolumeSnapshot gone; in progress: back within the poll', async () => {
    const timedOut = await runSnapshotScenario('backup timed out');
    expect(timedOut.statuses.map((s) => s.status)).toEqual([expect.objectContaining({ phase: 'Failed', reason: 'BackupTimeout' })]);
    expect(timedOut.remaining).not.toContain('VolumeSnapshot/b1-0');
    const running = await runSnapshotScenario('backup in progress');
    expect(running.statuses.map((s) => s.status)).toEqual([expect.objectContaining({ phase: 'Running', message: '0 of 1 volume snapshot(s) ready' })]);
    expect(running.result).toEqual({ requeueAfterMs: 2_000 });
  });
});
