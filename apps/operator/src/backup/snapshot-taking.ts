import { proceed, requeue, step } from '../reconcile/steps.ts';
import { POLL_MS, databaseClaims, discard, finish, loaded, volumeSnapshotOf, writeSnapshotStatus, type SnapshotPass } from './snapshot-support.ts';
import { rfc3339 } from './common.ts';

// The steps of a backup once its VolumeSnapshots are planned: each pass compares what exists
// with the plan and ends at the first verdict (made again, failed, succeeded, timed out, waiting).

/** What observeVolumeSnapshots found; a step run before it is a wrong step order. */
function observedOf(pass: SnapshotPass): { observed: NonNullable<SnapshotPass['observed']>; missing: NonNullable<SnapshotPass['missing']> } {
  if (!pass.observed || !pass.missing) throw new Error(`backup ${pass.ref.namespace}/${pass.ref.name}: a step ran before its VolumeSnapshots were observed`);
  return { observed: pass.observed, missing: pass.missing };
}

export const observeVolumeSnapshots = step<SnapshotPass>('observeVolumeSnapshots', (pass) => {
  const byName = new Map(pass.existing.map((vs) => [vs.metadata.name!, vs]));
  pass.observed = pass.planned.map((p) => {
    const vs = byName.get(p.volumeSnapshotName);
    const error = vs?.status?.error?.message
      ? { error: { message: vs.status.error.message, ...(vs.status.error.time ? { time: vs.status.error.time } : {}) } }
      : {};
    return {
      volumeSnapshotName: p.volumeSnapshotName,
      volumeName: p.volumeName,
      readyToUse: vs?.status?.readyToUse === true,
      ...(vs?.status?.boundVolumeSnapshotContentName ? { snapshotHandle: vs.status.boundVolumeSnapshotContentName } : {}),
      ...error,
    };
  });
  pass.missing = pass.planned.filter((p) => !byName.has(p.volumeSnapshotName));
  return proceed;
});

/** A planned VolumeSnapshot that is not there (a cut-off pass) is made now, within 30s of the backup point. */
export const recreateMissing = step<SnapshotPass>('recreateMissing', async (pass) => {
  const { snapshot, cluster } = loaded(pass);
  const { missing } = observedOf(pass);
  if (missing.length === 0 || pass.now - pass.startedAt >= 30_000) return proceed;
  const claims = await databaseClaims(pass.deps, cluster);
  for (const m of missing) {
    const claim = claims.find((c) => c.metadata.name === m.volumeName);
    if (claim) await pass.deps.client.apply(volumeSnapshotOf(snapshot, claim, pass.className ?? '', pass.status.startedAt ?? rfc3339(pass.now)));
  }
  return requeue(POLL_MS, `${missing.length} volume snapshot(s) made again`);
});

export const failLost = step<SnapshotPass>('failLost', async (pass) => {
  const { missing, observed } = observedOf(pass);
  const failed = observed.filter((o) => o.error);
  if (missing.length === 0 && failed.length === 0) return proceed;
  const why = [
    ...missing.map((m) => `${m.volumeSnapshotName} (${m.volumeName}): the VolumeSnapshot is gone`),
    ...failed.map((f) => `${f.volumeSnapshotName} (${f.volumeName}): ${f.error!.message}`),
  ].join('; ');
  await discard(pass.deps, pass.existing);
  const reason = missing.length > 0 ? 'VolumeSnapshotMissing' : 'VolumeSnapshotFailed';
  return finish(pass, { status: { ...pass.status, volumeSnapshots: pass.observed }, phase: 'Failed', reason, message: why });
});

export const succeedWhenReady = step<SnapshotPass>('succeedWhenReady', (pass) => {
  const { snapshot } = loaded(pass);
  const { observed } = observedOf(pass);
  if (!observed.every((o) => o.readyToUse)) return proceed;
  const message = `${observed.length} volume snapshot(s) ready`;
  return finish(pass, {
    status: { ...pass.status, volumeSnapshots: observed },
    phase: 'Succeeded',
    reason: 'Completed',
    message,
    retention: snapshot.spec.retention,
  });
});

export const failOnTimeout = step<SnapshotPass>('failOnTimeout', async (pass) => {
  const { observed } = observedOf(pass);
  if (pass.now - pass.startedAt < pass.timeoutMs) return proceed;
  const waiting = observed.filter((o) => !o.readyToUse).map((o) => o.volumeSnapshotName);
  await discard(pass.deps, pass.existing);
  const message = `${waiting.length} of ${observed.length} volume snapshot(s) not ready after backupTimeout (${pass.settings.settings.backupTimeout}s): ${waiting.join(', ')}`;
  return finish(pass, { status: { ...pass.status, volumeSnapshots: observed }, phase: 'Failed', reason: 'BackupTimeout', message });
});

export const reportProgress = step<SnapshotPass>('reportProgress', async (pass) => {
  const { observed } = observedOf(pass);
  const message = `${observed.filter((o) => o.readyToUse).length} of ${observed.length} volume snapshot(s) ready`;
  await writeSnapshotStatus(pass.deps, pass.object!, { ...pass.status, phase: 'Running', volumeSnapshots: observed, message });
  return requeue(Math.min(POLL_MS, pass.startedAt + pass.timeoutMs - pass.now + 50), message);
});
