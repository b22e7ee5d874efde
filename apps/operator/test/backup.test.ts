import { describe, expect, it } from 'vitest';
import { waitFor } from '@qhc/kube-sandbox';
import type { KubeObject } from '@qhc/kube';
import { clusterRestoreFixture, scheduledSnapshotFixture } from '@qhc/schemas/test';
import { healthy, useBackupOperator, type Claim, type Snapshot } from './support/backup.ts';

// A clock the tests move (time.offsetMs): schedules and retention without waiting for them.
const { h, time, clock, ns, snapshotRef, scheduleRef, snapshotIn, restoreIn, takeSnapshot, restore, volumeSnapshots, snapshotsOf, poke, eventsOf } =
  useBackupOperator();

/** Each restore that must fail: name, snapshot, destination, the reason and the message expected. */
const failureCases = (): Array<[string, string, { name: string; create?: boolean }, string, RegExp]> => [
  ['r-missing', 'no-such-snapshot', { name: 'qdrant-x', create: true }, 'SnapshotNotFound', /QdrantClusterSnapshot .*\/no-such-snapshot does not exist/],
  [
    'r-not-ready',
    'b1-slow',
    { name: 'qdrant-x', create: true },
    'SnapshotNotReady',
    /QdrantClusterSnapshot b1-slow is Failed: 3 of 3 volume snapshot\(s\) not ready/,
  ],
  ['r-exists', 'b1-for-restore', { name: 'qdrant-b1', create: true }, 'DestinationExists', /QdrantCluster .*\/qdrant-b1 already exists/],
  ['r-nowhere', 'b1-for-restore', { name: 'qdrant-nowhere' }, 'DestinationNotFound', /QdrantCluster .*\/qdrant-nowhere does not exist/],
  ['r-count', 'b1-for-restore', { name: 'qdrant-one' }, 'NodeCountMismatch', /has 1 node\(s\) and the snapshot 3 volume\(s\)/],
  [
    'r-small',
    'b1-for-restore',
    { name: 'qdrant-small' },
    'StorageTooSmall',
    /VolumeSnapshot b1-for-restore-0 needs 1Gi and cluster qdrant-small asks for 512Mi per node/,
  ],
  [
    'r-class',
    'b1-for-restore',
    { name: 'qdrant-fixed' },
    'StorageClassMismatch',
    /taken from StorageClass qhc-expandable and cluster qdrant-fixed uses qhc-fixed/,
  ],
  ['r-name', 'b1-for-restore', { name: 'b1-copy', create: true }, 'InvalidDestinationName', /destination.name "b1-copy" must be qdrant-<id>/],
];

describe('backups: QdrantClusterSnapshot', () => {
  it('an on-demand snapshot of a 3-node cluster: 3 ready VolumeSnapshots of its database volumes, taken together, and Succeeded', async () => {
    await h.client.apply(h.clusterObject('b1', { size: 3 }));
    await h.waitFor('b1', 'Healthy with 3 nodes', healthy(3));
    await takeSnapshot('b1-manual', 'b1', { annotations: { team: 'search' }, retention: '1h' });
    const done = await snapshotIn('b1-manual', ['Succeeded', 'Failed', 'Skipped']);
    expect(done.status?.phase).toBe('Succeeded');
    expect(done.status?.volumeSnapshots?.map((v) => [v.volumeSnapshotName, v.volumeName, v.readyToUse])).toEqual(
      [0, 1, 2].map((i) => [`b1-manual-${i}`, `qdrant-storage-qdrant-b1-${i}`, true]),
    );
    expect(done.status?.completionTime).toMatch(/^\d+s$|^\d+m\d+s$/);
    expect(Date.parse(done.status!.retainUntil!) - Date.parse(done.status!.completedAt!)).toBe(3_600_000);
    const vss = await volumeSnapshots('b1');
    expect(vss.map((v) => v.spec.source.persistentVolumeClaimName).toSorted()).toEqual([0, 1, 2].map((i) => `qdrant-storage-qdrant-b1-${i}`));
    expect(vss.every((v) => v.status?.readyToUse && v.spec.volumeSnapshotClassName === 'csi-snapclass')).toBe(true);
    expect(new Set(vss.map((v) => v.metadata.annotations?.['qhc.dev/snapshot-point'])).size).toBe(1);
    expect(vss.every((v) => v.metadata.annotations?.team === 'search' && v.metadata.ownerReferences?.[0]?.uid === done.metadata.uid)).toBe(true);
    const events = await eventsOf('b1-manual', 'BackupStarted', 'BackupSucceeded');
    expect(events.map((e) => e.reason)).toEqual(expect.arrayContaining(['BackupStarted', 'BackupSucceeded']));
    expect(h.operator.metrics.render()).toMatch(/qhc_operator_backups_total\{result="Succeeded"\} [1-9]/);
  });

  it('waits for shard transfers in flight to end before taking the volumes', async () => {
    const sim = h.sim('b1');
    await h.double.onRequest!({ cluster: `${ns()}/qdrant-b1`, node: 0, method: 'GET', path: '/', body: undefined });
    sim.addCollection('moving', { shards: 3 });
    sim.transfer.durationMs = Number.POSITIVE_INFINITY;
    const [from, to] = [sim.peerOnNode(0)!.id, sim.peerOnNode(1)!.id];
    sim.startTransfer('moving', 'move', { shard_id: 0, from_peer_id: from, to_peer_id: to });
    await takeSnapshot('b1-moving', 'b1');
    const waiting = await waitFor('waiting for the transfer', async () => {
      const s = await h.client.get<Snapshot>(snapshotRef('b1-moving'));
      return s?.status?.phase === 'Running' && s.status.message?.startsWith('waiting for shard transfers') ? s : undefined;
    });
    expect(waiting.status?.message).toBe(`waiting for shard transfers to end: moving/0 ${from}→${to}`);
    expect((await volumeSnapshots('b1')).some((v) => v.metadata.name?.startsWith('b1-moving'))).toBe(false);
    sim.collection('moving').transfers[0]!.finishesAt = Date.now();
    expect((await snapshotIn('b1-moving', ['Succeeded', 'Failed'])).status?.phase).toBe('Succeeded');
    sim.collections.delete('moving');
    sim.transfer.durationMs = 50;
  });

  it('a snapshot not ready within backupTimeout fails with the reason, and its partial VolumeSnapshots go', async () => {
    await takeSnapshot('b1-slow', 'b1', { annotations: { 'sandbox.qhc.dev/delay-seconds': '60' } });
    const failed = await snapshotIn('b1-slow', ['Succeeded', 'Failed'], 20_000);
    expect(failed.status?.reason).toBe('BackupTimeout');
    expect(failed.status?.message).toBe('3 of 3 volume snapshot(s) not ready after backupTimeout (4s): b1-slow-0, b1-slow-1, b1-slow-2');
    await waitFor('the partial VolumeSnapshots deleted', async () =>
      (await volumeSnapshots('b1')).some((v) => v.metadata.name?.startsWith('b1-slow')) ? undefined : true,
    );
  });
});

describe('backups: QdrantClusterSnapshot failures and retention', () => {
  it('a failing VolumeSnapshot, a missing cluster and a paused one: Failed or Skipped, named', async () => {
    await takeSnapshot('b1-broken', 'b1', { annotations: { 'sandbox.qhc.dev/fail': 'quota exceeded' } });
    const broken = await snapshotIn('b1-broken', ['Succeeded', 'Failed']);
    expect(broken.status?.reason).toBe('VolumeSnapshotFailed');
    expect(broken.status?.message).toContain('b1-broken-0 (qdrant-storage-qdrant-b1-0): quota exceeded');
    await takeSnapshot('nobody', 'nobody');
    expect((await snapshotIn('nobody', ['Failed'])).status?.message).toBe(`no QdrantCluster with spec.id nobody in namespace ${ns()}`);
    await h.client.apply(h.clusterObject('b2', { size: 1, pauses: [{ owner: 'ops', reason: 'maintenance' }] }));
    await h.waitFor('b2', 'in maintenance', (c) => c.status?.phase === 'ManualMaintenance');
    await takeSnapshot('b2-paused', 'b2');
    const skipped = await snapshotIn('b2-paused', ['Skipped', 'Succeeded', 'Failed']);
    expect([skipped.status?.phase, skipped.status?.reason, skipped.status?.message]).toEqual([
      'Skipped',
      'ClusterNotSettled',
      'not taken: the cluster is paused',
    ]);
  });

  it('retention: a backup is deleted with its VolumeSnapshots when it ends; failed ones after backupHistoryRetentionDays', async () => {
    time.offsetMs += 2 * 3_600_000;
    await poke(snapshotRef('b1-manual'));
    await waitFor(
      'b1-manual gone with its volume snapshots',
      async () =>
        !(await h.client.get(snapshotRef('b1-manual'))) && !(await volumeSnapshots('b1')).some((v) => v.metadata.name?.startsWith('b1-manual-'))
          ? true
          : undefined,
      { timeoutMs: 30_000 },
    );
    expect(await h.client.get(snapshotRef('b1-broken'))).toBeDefined();
    time.offsetMs += 24 * 3_600_000;
    await poke(snapshotRef('b1-broken'));
    await waitFor('b1-broken gone', async () => ((await h.client.get(snapshotRef('b1-broken'))) ? undefined : true));
    expect(h.operator.metrics.render()).toMatch(/qhc_operator_backups_expired_total [2-9]/);
  });
});

describe('backups: QdrantClusterScheduledSnapshot', () => {
  it('takes a snapshot at each schedule time; an operator down across two of them catches up exactly once', async () => {
    const name = 'b1-every-minute';
    // The schedule counts from its creation time, which the apiserver stamps with the real clock.
    time.offsetMs = 0;
    await h.client.apply(scheduledSnapshotFixture(name, 'b1', { scheduleShortId: 'm1', schedule: '* * * * *', retention: '1h' }, { namespace: ns() }));
    const active = await waitFor('Active with a next time', async () => {
      const s = await h.client.get<KubeObject & { status?: { phase?: string; scheduled?: string } }>(scheduleRef(name));
      return s?.status?.phase === 'Active' && s.status.scheduled ? s : undefined;
    });
    const first = Date.parse(active.status!.scheduled!);
    expect(first % 60_000).toBe(0);
    expect(await snapshotsOf('b1').then((l) => l.filter((s) => s.spec.scheduleShortId === 'm1'))).toEqual([]);

    time.offsetMs += first - clock() + 1_000;
    await poke(scheduleRef(name));
    const scheduled = () => snapshotsOf('b1').then((l) => l.filter((s) => s.spec.scheduleShortId === 'm1'));
    await waitFor('one scheduled snapshot', async () => ((await scheduled()).length === 1 ? true : undefined));
    const [made] = await scheduled();
    expect(made!.metadata.name).toBe(`${name}-${first / 1000}`);
    expect(made!.spec).toEqual({ 'cluster-id': 'b1', 'creation-timestamp': first / 1000, scheduleShortId: 'm1', retention: '1h' });
    expect((await snapshotIn(made!.metadata.name!, ['Succeeded', 'Failed'])).status?.phase).toBe('Succeeded');

    // Down across two schedule times (and a half): one catch-up, for the latest time.
    await h.operator.stop({ release: false });
    time.offsetMs += 150_000;
    await h.restartOperator();
    await waitFor('the catch-up snapshot', async () => ((await scheduled()).length === 2 ? true : undefined));
    const latest = Math.floor(clock() / 60_000) * 60_000;
    expect((await scheduled()).map((s) => s.spec['creation-timestamp']).toSorted()).toEqual([first / 1000, latest / 1000]);
    const events = await eventsOf(name, 'MissedSchedules');
    expect(events.find((e) => e.reason === 'MissedSchedules')?.note).toMatch(/; 1 earlier schedule time\(s\) were missed and are not made up$/);
    // More passes at the same time make nothing more: a pass of the schedule is seen after the poke
    // (one, not two: the next pass is at the next schedule time, which makes a snapshot).
    const passes = () => h.operator.metrics.reconciles.get({ kind: 'QdrantClusterScheduledSnapshot', result: 'success' });
    const before = passes();
    await poke(scheduleRef(name));
    await waitFor('a pass of the schedule after the poke', async () => (passes() > before ? true : undefined), { timeoutMs: 30_000, intervalMs: 20 });
    expect(await scheduled()).toHaveLength(2);

    // The retention (1h) ends: both go, with their VolumeSnapshots.
    for (const s of await scheduled()) await snapshotIn(s.metadata.name!, ['Succeeded']);
    await h.client.delete(scheduleRef(name));
    time.offsetMs += 2 * 3_600_000;
    for (const s of await scheduled()) await poke(snapshotRef(s.metadata.name!));
    await waitFor('expired scheduled snapshots deleted', async () => ((await scheduled()).length === 0 ? true : undefined), { timeoutMs: 30_000 });
    expect((await volumeSnapshots('b1')).filter((v) => v.metadata.name?.startsWith(name))).toEqual([]);
  });

  it('refuses an invalid cron schedule at the apiserver, naming the field', async () => {
    const error = await h.client
      .apply(scheduledSnapshotFixture('bad', 'b1', { scheduleShortId: 'x', schedule: 'every day', retention: '1h' }, { namespace: ns() }))
      .catch((e: unknown) => e);
    expect(String(error)).toContain('spec.schedule');
  });
});

describe('restores: QdrantClusterRestore', () => {
  it('restores into a new cluster: claims from the right VolumeSnapshots, a cluster that becomes Healthy', async () => {
    await takeSnapshot('b1-for-restore', 'b1');
    expect((await snapshotIn('b1-for-restore', ['Succeeded', 'Failed'])).status?.phase).toBe('Succeeded');
    await restore('to-new', 'b1-for-restore', { name: 'qdrant-b1copy', create: true });
    const done = await restoreIn('to-new', ['Succeeded', 'Failed'], 90_000);
    expect([done.status?.phase, done.status?.reason]).toEqual(['Succeeded', 'Restored']);
    expect(done.status?.restoredClaims).toEqual([0, 1, 2].map((i) => `qdrant-storage-qdrant-b1copy-${i}`));
    for (const i of [0, 1, 2]) {
      const claim = await h.client.get<Claim>({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns(), name: `qdrant-storage-qdrant-b1copy-${i}` });
      expect(claim?.spec.dataSource).toEqual({ apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: `b1-for-restore-${i}` });
    }
    const copy = await h.waitFor('b1copy', 'Healthy', healthy(3));
    expect(copy.spec.resources).toEqual({ cpu: '1', memory: '1Gi', storage: '1Gi' });
    // Where it came from stays on it, for the agent to report and the control plane to adopt by.
    expect(copy.metadata.annotations).toMatchObject({
      'qhc.dev/origin-restore': 'to-new',
      'qhc.dev/origin-snapshot': 'b1-for-restore',
      'qhc.dev/origin-cluster': 'b1',
    });
    expect(h.operator.metrics.render()).toMatch(/qhc_operator_restores_total\{reason="Restored",result="Succeeded"\} 1/);
  });

  it('restores in place: suspended, database volumes replaced from the snapshot, resumed Healthy', async () => {
    const before = new Map(
      (await h.client.list<Claim>({ apiVersion: 'v1', kind: 'PersistentVolumeClaim' }, { namespace: ns(), labelSelector: 'cluster-id=b1' })).items.map((c) => [
        c.metadata.name!,
        c.metadata.uid!,
      ]),
    );
    await restore('in-place', 'b1-for-restore', { name: 'qdrant-b1' });
    const done = await restoreIn('in-place', ['Succeeded', 'Failed'], 120_000);
    expect([done.status?.phase, done.status?.reason]).toEqual(['Succeeded', 'Restored']);
    for (const i of [0, 1, 2]) {
      const claim = await h.client.get<Claim>({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns(), name: `qdrant-storage-qdrant-b1-${i}` });
      expect(claim?.metadata.uid).not.toBe(before.get(`qdrant-storage-qdrant-b1-${i}`));
      expect(claim?.spec.dataSource?.name).toBe(`b1-for-restore-${i}`);
    }
    const cluster = await h.waitFor('b1', 'Healthy again, not suspended', (c) => healthy(3)(c) && c.spec.suspend !== true);
    expect(cluster.metadata.annotations?.['qhc.dev/restore-in-progress']).toBeUndefined();
    const reasons = (await eventsOf('in-place', 'RestoreStarted', 'Suspending', 'ReplacingVolumes', 'Resuming', 'RestoreSucceeded')).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['RestoreStarted', 'Suspending', 'ReplacingVolumes', 'Resuming', 'RestoreSucceeded']));
  });
});

describe('restores: QdrantClusterRestore failures', () => {
  it('every failure reason, named', async () => {
    await h.client.apply(h.clusterObject('small', { size: 3, resources: { cpu: '1', memory: '1Gi', storage: '512Mi' } }));
    await h.client.apply(h.clusterObject('fixed', { size: 3, storageClassNames: { db: 'qhc-fixed' } }));
    await h.client.apply(h.clusterObject('one', { size: 1 }));
    const cases = failureCases();
    for (const [name, snapshot, destination] of cases) await restore(name, snapshot, destination);
    // Across namespaces: a VolumeSnapshot restores in its own namespace only.
    await h.client.apply(
      clusterRestoreFixture(
        'r-cross',
        'b1-for-restore',
        'b1',
        { source: { snapshotName: 'b1-for-restore', namespace: 'elsewhere' }, destination: { name: 'qdrant-x', namespace: ns(), create: true } },
        { namespace: ns() },
      ),
    );
    cases.push(['r-cross', '', { name: '' }, 'CrossNamespace', /can only be restored in its own namespace/]);
    for (const [name, , , reason, message] of cases) {
      const failed = await restoreIn(name, ['Failed', 'Succeeded']);
      expect([name, failed.status?.phase, failed.status?.reason]).toEqual([name, 'Failed', reason]);
      expect(failed.status?.message).toMatch(message);
    }
    // Nothing was touched.
    expect((await h.client.get<KubeObject & { spec: { suspend?: boolean } }>(h.ref('small')))?.spec.suspend).toBeFalsy();
    expect(await h.client.get(h.ref('x'))).toBeUndefined();
  });
});
