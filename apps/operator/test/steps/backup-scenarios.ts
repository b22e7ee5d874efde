import { ANNOTATION_CLUSTER_SPEC, ANNOTATION_RESTORED_BY, LABEL_NODE_INDEX } from '@qhc/manifests';
import { QDRANT_API_VERSION } from '@qhc/schemas';
import { clusterRestoreFixture, clusterSnapshotFixture } from '@qhc/schemas/test';
import type { KubeObject } from '@qhc/kube';
import { rfc3339 } from '../../src/backup/common.ts';
import { RESTORE_STEPS, reconcileRestore } from '../../src/backup/restore.ts';
import { ANNOTATION_RESTORE_IN_PROGRESS, ANNOTATION_SUSPEND_BEFORE, type RestorePass } from '../../src/backup/restore-pass.ts';
import { SNAPSHOT_STEPS, reconcileSnapshot } from '../../src/backup/snapshot.ts';
import type { SnapshotPass } from '../../src/backup/snapshot-support.ts';
import type { Step } from '../../src/reconcile/steps.ts';
import { backupDeps, boundClaim, settledCluster, snapshotClass } from './backup-fixtures.ts';
import { NOW } from './cluster-scenarios.ts';
import { FakeKube } from './fake-kube.ts';
import { settle, type Outcome } from './mutations.ts';

// One pass of a restore or a backup over a fake apiserver, from a state chosen so that a
// group of steps does visible work; the mutation check (backup-steps-order.test.ts) holds
// changed step lists to their golden files.

const VS = { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot' };
const AN_HOUR_AGO = rfc3339(NOW - 3_600_000);
const IN_AN_HOUR = rfc3339(NOW + 3_600_000);

const takenBackup = (): KubeObject =>
  ({
    ...clusterSnapshotFixture('b1', 'a'),
    metadata: { ...clusterSnapshotFixture('b1', 'a').metadata, annotations: { [ANNOTATION_CLUSTER_SPEC]: JSON.stringify(settledCluster().spec) } },
    status: { phase: 'Succeeded', volumeSnapshots: [{ volumeSnapshotName: 'b1-0', volumeName: 'qdrant-storage-qdrant-a-0', readyToUse: true }] },
  }) as unknown as KubeObject;
const volumeSnapshot = (ready: boolean, owner?: string, error?: string): KubeObject =>
  ({
    ...VS,
    metadata: {
      name: 'b1-0',
      namespace: 'qdrant',
      labels: { [LABEL_NODE_INDEX]: '0', 'cluster-id': 'a' },
      ...(owner ? { ownerReferences: [{ apiVersion: QDRANT_API_VERSION, kind: 'QdrantClusterSnapshot', name: 'b1', uid: owner }] } : {}),
    },
    status: { readyToUse: ready, ...(ready ? { restoreSize: '1Gi' } : {}), ...(error ? { error: { message: error } } : {}) },
  }) as KubeObject;
const restore = (spec: Record<string, unknown> = {}) => clusterRestoreFixture('r1', 'b1', 'a', spec, { uid: 'uid-r1' }) as unknown as KubeObject;
/** The destination as a restore in place left it: marked with the restore, suspended, in `phase`. */
const markedCluster = (phase: string) => {
  const cluster = settledCluster(phase, { suspend: true });
  const annotations = { ...cluster.metadata.annotations, [ANNOTATION_RESTORE_IN_PROGRESS]: 'uid-r1', [ANNOTATION_SUSPEND_BEFORE]: 'false' };
  return { ...cluster, metadata: { ...cluster.metadata, annotations } } as KubeObject;
};
const restoredClaim = (): KubeObject => {
  const claim = boundClaim(0);
  return { ...claim, metadata: { ...claim.metadata, annotations: { [ANNOTATION_RESTORED_BY]: 'uid-r1' } } } as KubeObject;
};
const healthyAtGeneration = (): KubeObject => {
  const cluster = settledCluster('Healthy');
  return { ...cluster, status: { phase: 'Healthy', observedGeneration: 1 } } as KubeObject;
};
const source = () => [takenBackup(), volumeSnapshot(true)];

export const RESTORE_SCENARIOS: Record<string, () => KubeObject[]> = {
  /** In place, first pass: the cluster is marked and suspended. */
  'restore starts': () => [settledCluster(), ...source(), boundClaim(0), restore()],
  /** Marked, but not Suspended yet: nothing is deleted. */
  'restore waits for suspend': () => [markedCluster('Healthy'), ...source(), boundClaim(0), restore()],
  /** Suspended: the old claim goes. */
  'restore replaces volumes': () => [markedCluster('Suspended'), ...source(), boundClaim(0), restore()],
  /** Every claim restored: the cluster is resumed. */
  'restore resumes': () => [markedCluster('Suspended'), ...source(), restoredClaim(), restore()],
  /** Resumed and Healthy: the restore succeeds (and the cluster is not suspended again). */
  'restore succeeds': () => [healthyAtGeneration(), ...source(), restoredClaim(), restore()],
  /** Into a new cluster: its claim and the cluster are created. */
  'restore creates': () => [...source(), restore({ destination: { name: 'qdrant-b', namespace: 'qdrant', create: true } }), boundClaim(0)],
  /** A spec that does not validate fails the restore. */
  'restore invalid': () => [...source(), restore({ source: { snapshotName: '', namespace: 'qdrant' } })],
};

const planned = (startedAt: string) => ({
  phase: 'Running',
  startedAt,
  volumeSnapshots: [{ volumeSnapshotName: 'b1-0', volumeName: 'qdrant-storage-qdrant-a-0', readyToUse: false }],
});
const backup = (status?: Record<string, unknown>, spec: Record<string, unknown> = {}) =>
  ({ ...clusterSnapshotFixture('b1', 'a', spec, { uid: 'uid-b1' }), ...(status ? { status } : {}) }) as unknown as KubeObject;
const cluster = () => [settledCluster(), boundClaim(0), snapshotClass];

export const SNAPSHOT_SCENARIOS: Record<string, () => KubeObject[]> = {
  /** Settled cluster: the VolumeSnapshots are planned and made. */
  'backup starts': () => [...cluster(), backup()],
  /** Not settled: skipped. */
  'backup skipped': () => [settledCluster('Scaling'), boundClaim(0), snapshotClass, backup()],
  /** Planned, not ready yet, within backupTimeout: progress, and back soon. */
  'backup in progress': () => [...cluster(), backup(planned(rfc3339(NOW - 60_000))), volumeSnapshot(false, 'uid-b1')],
  /** Planned, not ready after backupTimeout: failed. */
  'backup timed out': () => [...cluster(), backup(planned(rfc3339(NOW - 86_400_000))), volumeSnapshot(false, 'uid-b1')],
  /** Every VolumeSnapshot ready: succeeded. */
  'backup ready': () => [...cluster(), backup(planned(rfc3339(NOW - 60_000)), { retention: '2h' }), volumeSnapshot(true, 'uid-b1')],
  /** Ready, but only after backupTimeout: it still succeeds. */
  'backup ready late': () => [...cluster(), backup(planned(rfc3339(NOW - 86_400_000))), volumeSnapshot(true, 'uid-b1')],
  /** Ready, yet the snapshotter reports an error on it: failed. */
  'backup errored': () => [...cluster(), backup(planned(rfc3339(NOW - 60_000))), volumeSnapshot(true, 'uid-b1', 'snapshot content deleted')],
  /** A planned VolumeSnapshot gone within 30s of the backup point: made again. */
  'backup remakes': () => [...cluster(), backup(planned(rfc3339(NOW - 10_000)))],
  /** A planned VolumeSnapshot gone later: failed. */
  'backup lost': () => [...cluster(), backup(planned(rfc3339(NOW - 60_000)))],
  /** Succeeded, its cluster gone, retained another hour: it stays Succeeded. */
  'backup outlives cluster': () => [backup({ phase: 'Succeeded', completedAt: AN_HOUR_AGO, retainUntil: IN_AN_HOUR }), volumeSnapshot(true, 'uid-b1')],
  /** Succeeded and past its retention: deleted with its VolumeSnapshots. */
  'backup expires': () => [...cluster(), backup({ phase: 'Succeeded', completedAt: AN_HOUR_AGO, retainUntil: AN_HOUR_AGO }), volumeSnapshot(true, 'uid-b1')],
  /** A spec that does not validate: failed. */
  'backup invalid': () => [...cluster(), backup(undefined, { 'cluster-id': '' })],
};

export interface BackupOutcome extends Outcome {
  journal: string[];
  statuses: FakeKube['statuses'];
  events: FakeKube['events'];
  /** Every object left, as kind/name, and what the pass left on the cluster. */
  remaining: string[];
  clusters: unknown[];
}

async function run(objects: KubeObject[], pass: (kube: FakeKube) => Promise<Outcome['result']>): Promise<BackupOutcome> {
  const kube = new FakeKube(objects);
  const result = await pass(kube);
  const all = [
    ...new Set(objects.map((o) => `${o.apiVersion}|${o.kind}`)),
    'v1|PersistentVolumeClaim',
    `${QDRANT_API_VERSION}|QdrantCluster`,
    `${VS.apiVersion}|${VS.kind}`,
  ];
  const remaining = [...new Set(all)].flatMap((k) => {
    const [apiVersion, kind] = k.split('|') as [string, string];
    return kube.all({ apiVersion, kind }, undefined).map((o) => `${o.kind}/${o.metadata.name}`);
  });
  const clusters = kube
    .all({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' }, undefined)
    .map((c) => ({ metadata: { annotations: c.metadata.annotations }, spec: (c as { spec?: unknown }).spec }));
  return { result, journal: kube.journal, statuses: kube.statuses, events: kube.events, remaining: remaining.toSorted(), clusters };
}

export const runRestoreScenario = (name: string, steps: readonly Step<RestorePass>[] = RESTORE_STEPS) =>
  run(RESTORE_SCENARIOS[name]!(), (kube) => settle(() => reconcileRestore(backupDeps(kube), 'qdrant/r1', steps)));
export const runSnapshotScenario = (name: string, steps: readonly Step<SnapshotPass>[] = SNAPSHOT_STEPS) =>
  run(SNAPSHOT_SCENARIOS[name]!(), (kube) => settle(() => reconcileSnapshot(backupDeps(kube), 'qdrant/b1', steps)));

export const backupGoldenPath = (name: string) => new URL(`./golden/${name.replaceAll(' ', '-')}.json`, import.meta.url).pathname;
export const formatBackupOutcome = (outcome: BackupOutcome) => `${JSON.stringify(outcome, null, 2)}\n`;
