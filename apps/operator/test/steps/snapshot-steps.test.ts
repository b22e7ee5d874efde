import { clusterSnapshotFixture } from '@qhc/schemas/test';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@qhc/kube';
import { reconcileSnapshot } from '../../src/backup/snapshot.ts';
import { NOW } from './cluster-scenarios.ts';
import { FakeKube } from './fake-kube.ts';
import { backupDeps, boundClaim, markReady, settledCluster, snapshotClass } from './backup-fixtures.ts';

const backup = (spec: Record<string, unknown> = {}) => ({ ...clusterSnapshotFixture('b1', 'a', spec, { uid: 'uid-b1' }) }) as unknown as KubeObject;
const statusOf = (kube: FakeKube) =>
  kube.find<KubeObject & { status?: Record<string, unknown> }>({ apiVersion: 'qdrant.io/v1', kind: 'QdrantClusterSnapshot', namespace: 'qdrant', name: 'b1' })
    ?.status;

describe('snapshot steps: taking a backup', () => {
  it('plans, records the spec, then creates every VolumeSnapshot in one burst', async () => {
    const kube = new FakeKube([settledCluster(), backup(), boundClaim(0), snapshotClass]);
    const result = await reconcileSnapshot(backupDeps(kube), 'qdrant/b1');
    expect(result).toEqual({ requeueAfterMs: 2_000 });
    const writes = kube.journal.filter((j) => !j.startsWith('get') && !j.startsWith('list'));
    expect(writes).toEqual([
      'patch QdrantClusterSnapshot b1',
      'applyStatus QdrantClusterSnapshot b1',
      'event Normal BackupStarted',
      'apply VolumeSnapshot b1-0',
    ]);
    expect(statusOf(kube)).toMatchObject({ phase: 'Running', volumeSnapshots: [{ volumeSnapshotName: 'b1-0', readyToUse: false }] });
  });

  it('succeeds once every VolumeSnapshot is ready, with its retention', async () => {
    const kube = new FakeKube([settledCluster(), backup({ retention: '2h' }), boundClaim(0), snapshotClass]);
    const deps = backupDeps(kube);
    await reconcileSnapshot(deps, 'qdrant/b1');
    markReady(kube);
    expect(await reconcileSnapshot(deps, 'qdrant/b1')).toEqual({ requeueAfterMs: 1_000 });
    expect(statusOf(kube)).toMatchObject({ phase: 'Succeeded', reason: 'Completed', retainUntil: new Date(NOW + 7_200_000).toISOString().replace('.000', '') });
  });

  it('is skipped while the cluster is not settled', async () => {
    const kube = new FakeKube([settledCluster('Scaling'), backup(), boundClaim(0), snapshotClass]);
    await reconcileSnapshot(backupDeps(kube), 'qdrant/b1');
    expect(statusOf(kube)).toMatchObject({ phase: 'Skipped', reason: 'ClusterNotSettled' });
  });

  it('fails without a VolumeSnapshotClass', async () => {
    const kube = new FakeKube([settledCluster(), backup(), boundClaim(0)]);
    await reconcileSnapshot(backupDeps(kube), 'qdrant/b1');
    expect(statusOf(kube)).toMatchObject({ phase: 'Failed', reason: 'SnapshotClassNotFound' });
  });
});

describe('snapshot steps: after the backup point', () => {
  it('makes a planned VolumeSnapshot again within 30s, and fails the backup after', async () => {
    const clock = { now: NOW };
    const kube = new FakeKube([settledCluster(), backup(), boundClaim(0), snapshotClass]);
    const deps = backupDeps(kube, clock);
    await reconcileSnapshot(deps, 'qdrant/b1');
    await kube.client.delete({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', namespace: 'qdrant', name: 'b1-0' });
    kube.journal.length = 0;
    expect(await reconcileSnapshot(deps, 'qdrant/b1')).toEqual({ requeueAfterMs: 2_000 });
    expect(kube.journal).toContain('apply VolumeSnapshot b1-0');
    await kube.client.delete({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', namespace: 'qdrant', name: 'b1-0' });
    clock.now += 30_000;
    await reconcileSnapshot(deps, 'qdrant/b1');
    expect(statusOf(kube)).toMatchObject({ phase: 'Failed', reason: 'VolumeSnapshotMissing' });
  });

  it('a finished backup past its retention is deleted with its VolumeSnapshots', async () => {
    const clock = { now: NOW };
    const kube = new FakeKube([settledCluster(), backup({ retention: '1h' }), boundClaim(0), snapshotClass]);
    const deps = backupDeps(kube, clock);
    await reconcileSnapshot(deps, 'qdrant/b1');
    markReady(kube);
    await reconcileSnapshot(deps, 'qdrant/b1');
    expect(await reconcileSnapshot(deps, 'qdrant/b1')).toEqual({ requeueAfterMs: 3_600_000 });
    clock.now += 3_600_000;
    kube.journal.length = 0;
    expect(await reconcileSnapshot(deps, 'qdrant/b1')).toBeUndefined();
    expect(kube.journal.filter((j) => j.startsWith('delete'))).toEqual(['delete VolumeSnapshot b1-0', 'delete QdrantClusterSnapshot b1']);
  });
});
