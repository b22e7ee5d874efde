import { ANNOTATION_RESTORED_BY, LABEL_NODE_INDEX } from '@qhc/manifests';
import { clusterRestoreFixture, clusterSnapshotFixture, scheduledSnapshotFixture } from '@qhc/schemas/test';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@qhc/kube';
import { reconcileRestore } from '../../src/backup/restore.ts';
import { ANNOTATION_LAST_SCHEDULE_TIME, reconcileSchedule } from '../../src/backup/schedule.ts';
import { NOW } from './cluster-scenarios.ts';
import { FakeKube } from './fake-kube.ts';
import { backupDeps, boundClaim, settledCluster } from './backup-fixtures.ts';

const VS = { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot' };
const takenBackup = {
  ...clusterSnapshotFixture('b1', 'a'),
  status: { phase: 'Succeeded', volumeSnapshots: [{ volumeSnapshotName: 'b1-0', volumeName: 'qdrant-storage-qdrant-a-0', readyToUse: true }] },
} as unknown as KubeObject;
const readyVolumeSnapshot = {
  ...VS,
  metadata: { name: 'b1-0', namespace: 'qdrant', labels: { [LABEL_NODE_INDEX]: '0' } },
  status: { readyToUse: true, restoreSize: '1Gi' },
} as KubeObject;
const restoreObject = { ...clusterRestoreFixture('r1', 'b1', 'a', {}, { uid: 'uid-r1' }) } as unknown as KubeObject;
const restoreStatus = (kube: FakeKube) =>
  kube.find<KubeObject & { status?: Record<string, unknown> }>({ apiVersion: 'qdrant.io/v1', kind: 'QdrantClusterRestore', namespace: 'qdrant', name: 'r1' })
    ?.status;
const clusterOf = (kube: FakeKube) =>
  kube.find<KubeObject & { spec: { suspend?: boolean } }>({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', namespace: 'qdrant', name: 'qdrant-a' })!;

describe('restore steps: in place', () => {
  it('suspends, replaces the volumes, resumes, and succeeds once Healthy', async () => {
    const kube = new FakeKube([settledCluster(), takenBackup, readyVolumeSnapshot, boundClaim(0), restoreObject]);
    const deps = backupDeps(kube);
    await reconcileRestore(deps, 'qdrant/r1');
    expect(restoreStatus(kube)).toMatchObject({ phase: 'Running', step: 'Suspending' });
    expect(clusterOf(kube).spec.suspend).toBe(true);
    kube.put({ ...clusterOf(kube), status: { phase: 'Suspended' } } as KubeObject);
    await reconcileRestore(deps, 'qdrant/r1');
    expect(kube.find({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'qdrant', name: 'qdrant-storage-qdrant-a-0' })).toBeUndefined();
    await reconcileRestore(deps, 'qdrant/r1');
    const claim = kube.find({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'qdrant', name: 'qdrant-storage-qdrant-a-0' });
    expect(claim?.metadata.annotations?.[ANNOTATION_RESTORED_BY]).toBe('uid-r1');
    await reconcileRestore(deps, 'qdrant/r1');
    expect(restoreStatus(kube)).toMatchObject({ step: 'Resuming' });
    expect(clusterOf(kube).spec.suspend).toBe(false);
    kube.put({ ...clusterOf(kube), status: { phase: 'Healthy', observedGeneration: 1 } } as KubeObject);
    expect(await reconcileRestore(deps, 'qdrant/r1')).toBeUndefined();
    expect(restoreStatus(kube)).toMatchObject({ phase: 'Succeeded', reason: 'Restored' });
  });

  it('a snapshot that does not exist fails the restore', async () => {
    const kube = new FakeKube([settledCluster(), restoreObject]);
    expect(await reconcileRestore(backupDeps(kube), 'qdrant/r1')).toBeUndefined();
    expect(restoreStatus(kube)).toMatchObject({ phase: 'Failed', reason: 'SnapshotNotFound' });
  });

  it('a destination that does not exist fails the restore', async () => {
    const kube = new FakeKube([takenBackup, readyVolumeSnapshot, restoreObject]);
    await reconcileRestore(backupDeps(kube), 'qdrant/r1');
    expect(restoreStatus(kube)).toMatchObject({ phase: 'Failed', reason: 'DestinationNotFound' });
  });
});

const schedule = (spec: Record<string, unknown>) =>
  ({
    ...scheduledSnapshotFixture('nightly', 'a', spec),
    metadata: { ...scheduledSnapshotFixture('nightly', 'a').metadata, creationTimestamp: new Date(NOW - 86_400_000).toISOString() },
  }) as unknown as KubeObject;

describe('schedule steps', () => {
  it('takes the snapshot of the latest schedule time once, records it, and waits for the next', async () => {
    const kube = new FakeKube([schedule({ schedule: '0 * * * *' })]);
    const result = await reconcileSchedule(backupDeps(kube), 'qdrant/nightly');
    expect(kube.journal.filter((j) => j.startsWith('create') || j.startsWith('patch'))).toEqual([
      expect.stringMatching(/^create QdrantClusterSnapshot /),
      'patch QdrantClusterScheduledSnapshot nightly',
    ]);
    const object = kube.find({ apiVersion: 'qdrant.io/v1', kind: 'QdrantClusterScheduledSnapshot', namespace: 'qdrant', name: 'nightly' });
    expect(object?.metadata.annotations?.[ANNOTATION_LAST_SCHEDULE_TIME]).toBe('2026-01-01T00:00:00Z');
    expect(result).toEqual({ requeueAfterMs: 60_000 });
  });

  it('an invalid schedule is Disabled and not looked at again', async () => {
    const kube = new FakeKube([schedule({ schedule: 'not a cron' })]);
    expect(await reconcileSchedule(backupDeps(kube), 'qdrant/nightly')).toBeUndefined();
    expect(kube.journal).toContain('event Warning Disabled');
  });
});
