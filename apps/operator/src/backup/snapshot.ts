import { LABEL_CLUSTER_ID, safeValidateQdrantClusterSnapshot, type SnapshotPhase } from '@qhc/schemas';
import { ANNOTATION_CLUSTER_SPEC } from '@qhc/manifests';
import { splitKey, type ReconcileResult } from '@qhc/kube';
import { proceed, requeue, runSteps, step, stop, type Step } from '../reconcile/steps.ts';
import { CLUSTER_SNAPSHOT, VOLUME_SNAPSHOT, findCluster, ownedBy, rfc3339, type BackupDeps, type VolumeSnapshotObject } from './common.ts';
import { observeVolumeSnapshots, recreateMissing, failLost, succeedWhenReady, failOnTimeout, reportProgress } from './snapshot-taking.ts';
import {
  POLL_MS,
  databaseClaims,
  discard,
  finish,
  loaded,
  transfersInFlight,
  volumeSnapshotOf,
  whyNotNow,
  writeSnapshotStatus,
  type SnapshotPass,
} from './snapshot-support.ts';

const FINISHED: ReadonlySet<string> = new Set<SnapshotPhase>(['Succeeded', 'Failed', 'Skipped']);

/** A step run before the one that sets what it needs is a wrong step order. */
function needs<T>(value: T | undefined, pass: SnapshotPass, what: string): T {
  if (value === undefined) throw new Error(`backup ${pass.ref.namespace}/${pass.ref.name}: a step ran before ${what}`);
  return value;
}

const readBackup = step<SnapshotPass>('readBackup', async (pass) => {
  const object = await pass.deps.client.get(pass.ref);
  if (!object || object.metadata.deletionTimestamp) return stop;
  pass.object = object;
  pass.now = pass.deps.now();
  return proceed;
});

const validateBackup = step<SnapshotPass>('validateBackup', async (pass) => {
  const object = needs(pass.object, pass, 'the backup was read');
  const parsed = safeValidateQdrantClusterSnapshot(object);
  if (!parsed.success) {
    if ((object as { status?: { phase?: string } }).status?.phase !== 'Failed')
      await finish(pass, { status: {}, phase: 'Failed', reason: 'InvalidSpec', message: parsed.error.message });
    return stop;
  }
  pass.snapshot = { ...parsed.data, metadata: { ...parsed.data.metadata, uid: object.metadata.uid } } as SnapshotPass['snapshot'];
  pass.status = pass.snapshot!.status ?? {};
  return proceed;
});

/** A finished backup is deleted with its VolumeSnapshots when its retention ends (Failed and Skipped ones after backupHistoryRetentionDays). */
const expireFinished = step<SnapshotPass>('expireFinished', async (pass) => {
  const { status, now, deps, ref } = pass;
  if (!status.phase || !FINISHED.has(status.phase)) return proceed;
  const expiry =
    status.phase === 'Succeeded'
      ? status.retainUntil
        ? Date.parse(status.retainUntil)
        : undefined
      : Date.parse(status.completedAt ?? rfc3339(now)) + pass.settings.settings.backupHistoryRetentionDays * 86_400_000;
  if (expiry === undefined) return stop;
  // Negated, not `now < expiry`: an unparsable date (NaN) keeps the backup, as it always did.
  if (!(now >= expiry)) return requeue(Math.min(expiry - now, 3_600_000), 'the retention of a finished backup');
  // The VolumeSnapshots (and through them the storage's snapshots) first, by hand: the
  // garbage collector would get there too, but only once it has discovered their kind.
  const labelSelector = `${LABEL_CLUSTER_ID}=${pass.snapshot!.spec['cluster-id']}`;
  const owned = ownedBy(
    (await deps.client.list<VolumeSnapshotObject>(VOLUME_SNAPSHOT, { namespace: ref.namespace, labelSelector })).items,
    pass.object!.metadata.uid,
  );
  await discard(deps, owned);
  await deps.client.delete(ref, { preconditions: { uid: pass.object!.metadata.uid } });
  deps.metrics.backupsExpired.inc();
  deps.logger.info('backup expired and deleted', { namespace: ref.namespace, name: ref.name, phase: status.phase, until: rfc3339(expiry) });
  return stop;
});

const findBackedUpCluster = step<SnapshotPass>('findBackedUpCluster', async (pass) => {
  const { deps, ref, status, now } = pass;
  const clusterId = needs(pass.snapshot, pass, 'the backup was validated').spec['cluster-id'];
  const cluster = await findCluster(deps.client, ref.namespace, clusterId);
  if (!cluster)
    return finish(pass, {
      status,
      phase: 'Failed',
      reason: 'ClusterNotFound',
      message: `no QdrantCluster with spec.id ${clusterId} in namespace ${ref.namespace}`,
    });
  pass.cluster = cluster;
  pass.startedAt = status.startedAt ? Date.parse(status.startedAt) : now;
  pass.timeoutMs = pass.settings.settings.backupTimeout * 1000;
  const labelSelector = `${LABEL_CLUSTER_ID}=${clusterId}`;
  pass.existing = ownedBy(
    (await deps.client.list<VolumeSnapshotObject>(VOLUME_SNAPSHOT, { namespace: ref.namespace, labelSelector })).items,
    pass.object!.metadata.uid,
  );
  pass.planned = status.volumeSnapshots ?? [];
  return proceed;
});

/** Not planned yet: the cluster must be settled (Healthy or Suspended, no scale-down, restart copies or shard transfers). */
const awaitSettledCluster = step<SnapshotPass>('awaitSettledCluster', async (pass) => {
  const { cluster } = loaded(pass);
  const { status, startedAt, now } = pass;
  if (pass.planned.length > 0) return proceed;
  const blocker = whyNotNow(cluster);
  if (blocker) return finish(pass, { status, phase: 'Skipped', reason: 'ClusterNotSettled', message: `not taken: ${blocker}` });
  const transfers = await transfersInFlight(pass.deps, cluster);
  if (!transfers) return proceed;
  if (now - startedAt >= pass.timeoutMs) {
    const message = `shard transfers were still running after backupTimeout (${pass.settings.settings.backupTimeout}s): ${transfers}`;
    return finish(pass, { status: { ...status, startedAt: rfc3339(startedAt) }, phase: 'Failed', reason: 'BackupTimeout', message });
  }
  const waiting = `waiting for shard transfers to end: ${transfers}`;
  await writeSnapshotStatus(pass.deps, pass.object!, { ...status, phase: 'Running', startedAt: rfc3339(startedAt), message: waiting });
  return requeue(POLL_MS, waiting);
});

const resolveSnapshotClass = step<SnapshotPass>('resolveSnapshotClass', async (pass) => {
  const { cluster } = loaded(pass);
  const { status } = pass;
  pass.className = cluster.spec.storage?.volumeSnapshotClassName ?? pass.settings.settings.storage.snapshot_class;
  if (pass.planned.length > 0) return proceed;
  const className = pass.className;
  if (!className) {
    const message = 'neither the cluster (spec.volumeSnapshotClassName) nor the operator settings (storage.snapshot_class) name a VolumeSnapshotClass';
    return finish(pass, { status, phase: 'Failed', reason: 'NoSnapshotClass', message });
  }
  const snapshotClass = await pass.deps.client
    .get({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', name: className })
    .catch(() => undefined);
  if (snapshotClass) return proceed;
  const message = `VolumeSnapshotClass ${className} does not exist (is a CSI snapshotter installed?)`;
  return finish(pass, { status, phase: 'Failed', reason: 'SnapshotClassNotFound', message });
});

/** One burst, sharing one backup point, so the volumes are captured as close together as the storage allows. */
const startBackup = step<SnapshotPass>('startBackup', async (pass) => {
  const { object, snapshot, cluster } = loaded(pass);
  const { deps, status, now } = pass;
  if (pass.planned.length > 0) return proceed;
  const clusterId = cluster.spec.id;
  const claims = await databaseClaims(deps, cluster);
  if (claims.length === 0)
    return finish(pass, { status, phase: 'Skipped', reason: 'NoVolumes', message: `cluster ${clusterId} has no bound database volumes` });
  const point = rfc3339(now);
  const volumeSnapshots = claims.map((claim) => volumeSnapshotOf(snapshot, claim, pass.className!, point));
  const planned = volumeSnapshots.map((vs) => ({
    volumeSnapshotName: vs.metadata.name,
    volumeName: (vs.spec as { source: { persistentVolumeClaimName: string } }).source.persistentVolumeClaimName,
    readyToUse: false,
  }));
  // The plan and the cluster's spec first: a pass cut off after this creates what is missing.
  await deps.client.patch(pass.ref, { metadata: { annotations: { [ANNOTATION_CLUSTER_SPEC]: JSON.stringify({ ...cluster.spec, size: claims.length }) } } });
  const message = `taking ${planned.length} volume snapshot(s) of cluster ${clusterId}`;
  await writeSnapshotStatus(deps, object, { ...status, phase: 'Running', startedAt: point, volumeSnapshots: planned, message });
  const note = `${planned.length} volume snapshot(s) of cluster ${clusterId} at ${point}`;
  deps.recorder.record(object, { type: 'Normal', reason: 'BackupStarted', note, action: 'Backup' });
  await Promise.all(volumeSnapshots.map((vs) => deps.client.apply(vs)));
  deps.logger.info('volume snapshots created', { namespace: pass.ref.namespace, name: pass.ref.name, cluster: clusterId, count: planned.length, point });
  return requeue(POLL_MS, message);
});

export const SNAPSHOT_STEPS: readonly Step<SnapshotPass>[] = [
  readBackup,
  validateBackup,
  expireFinished,
  findBackedUpCluster,
  awaitSettledCluster,
  resolveSnapshotClass,
  startBackup,
  observeVolumeSnapshots,
  recreateMissing,
  failLost,
  succeedWhenReady,
  failOnTimeout,
  reportProgress,
];

/**
 * One pass over a QdrantClusterSnapshot. The backup is one VolumeSnapshot per node's
 * database volume, all created in one burst while the cluster is settled, sharing one
 * backup point; then it waits for all of them to be ready, up to backupTimeout. A finished
 * backup is deleted with its VolumeSnapshots when its retention ends.
 */
/** `steps` is for the mutation check (test/steps/backup-steps-order.test.ts); the controller runs SNAPSHOT_STEPS. */
export async function reconcileSnapshot(deps: BackupDeps, key: string, steps: readonly Step<SnapshotPass>[] = SNAPSHOT_STEPS): Promise<ReconcileResult> {
  const { namespace = 'default', name } = splitKey(key);
  const pass: SnapshotPass = {
    deps,
    ref: { ...CLUSTER_SNAPSHOT, namespace, name },
    settings: deps.settings(),
    now: 0,
    status: {},
    startedAt: 0,
    timeoutMs: 0,
    existing: [],
    planned: [],
  };
  return runSteps(steps, pass);
}
