import {
  LABEL_CLUSTER_ID,
  dueCronTime,
  nextCronTime,
  safeValidateQdrantClusterScheduledSnapshot,
  type QdrantClusterScheduledSnapshotStatus,
} from '@qhc/schemas';
import { LABEL_SCHEDULE_ID, buildScheduledSnapshot } from '@qhc/manifests';
import { KubeApiError, splitKey, type KubeObject, type ReconcileResult } from '@qhc/kube';
import { CLUSTER_SNAPSHOT, STATUS_FIELD_MANAGER, rfc3339, type BackupDeps } from './common.ts';

/** On a QdrantClusterScheduledSnapshot: the schedule time of the last snapshot it took (RFC 3339). */
export const ANNOTATION_LAST_SCHEDULE_TIME = 'qhc.dev/last-schedule-time';

const SCHEDULE = { apiVersion: 'qdrant.io/v1', kind: 'QdrantClusterScheduledSnapshot' } as const;
/** Look again at least this often: a clock that jumps (or a missed timer) is noticed. */
const MAX_WAIT_MS = 60_000;

/**
 * One pass over a QdrantClusterScheduledSnapshot: if a schedule time has passed since the
 * last snapshot it took, take one QdrantClusterSnapshot, for the latest such time only:
 * an operator that was down across several schedule times catches up once, not in a burst.
 * The snapshot's name comes from its time, so a pass cut off after creating it does not
 * make a second. Retention is the snapshots' own (spec.retention, then deleted with their
 * VolumeSnapshots).
 */
export async function reconcileSchedule(deps: BackupDeps, key: string): Promise<ReconcileResult> {
  const { client } = deps;
  const { namespace = 'default', name } = splitKey(key);
  const ref = { ...SCHEDULE, namespace, name };
  const object = await client.get(ref);
  if (!object || object.metadata.deletionTimestamp) return;
  const status = (object as { status?: QdrantClusterScheduledSnapshotStatus }).status;
  const parsed = safeValidateQdrantClusterScheduledSnapshot(object);
  if (!parsed.success) {
    await writeStatus(deps, object, status, { phase: 'Disabled', message: parsed.error.message });
    return;
  }
  const schedule = parsed.data;
  const now = deps.now();
  const anchor = Date.parse(object.metadata.creationTimestamp ?? rfc3339(now));
  const recorded = object.metadata.annotations?.[ANNOTATION_LAST_SCHEDULE_TIME];
  // Also the newest snapshot it took: the annotation may not have been written yet.
  const taken = await client.list<KubeObject & { spec?: { 'creation-timestamp'?: number } }>(CLUSTER_SNAPSHOT, {
    namespace,
    labelSelector: `${LABEL_CLUSTER_ID}=${schedule.spec['cluster-id']},${LABEL_SCHEDULE_ID}=${schedule.spec.scheduleShortId}`,
  });
  const newest = Math.max(0, ...taken.items.map((s) => (s.spec?.['creation-timestamp'] ?? 0) * 1000));
  const lastRun = Math.max(recorded ? Date.parse(recorded) : anchor, newest);

  const due = dueCronTime(schedule.spec.schedule, lastRun, now, anchor);
  if (due) {
    const snapshot = buildScheduledSnapshot(schedule, due.at);
    try {
      await client.create(snapshot);
      const catchUp = now - due.at > MAX_WAIT_MS || due.missed > 0;
      deps.metrics.scheduledSnapshots.inc({ kind: catchUp ? 'catch_up' : 'on_time' });
      const note = `took ${snapshot.metadata.name} for ${rfc3339(due.at)}${due.missed > 0 ? `; ${due.missed} earlier schedule time(s) were missed and are not made up` : ''}`;
      await deps.recorder.record(object, {
        type: due.missed > 0 ? 'Warning' : 'Normal',
        reason: due.missed > 0 ? 'MissedSchedules' : 'SnapshotScheduled',
        note,
        action: 'Schedule',
      });
      deps.logger.info('scheduled snapshot taken', { namespace, name, snapshot: snapshot.metadata.name, at: rfc3339(due.at), missed: due.missed });
    } catch (error) {
      if (!(error instanceof KubeApiError && error.isConflict)) throw error;
    }
    await client.patch(ref, { metadata: { annotations: { [ANNOTATION_LAST_SCHEDULE_TIME]: rfc3339(due.at) } } });
  }
  const next = nextCronTime(schedule.spec.schedule, Math.max(now, due?.at ?? 0), anchor);
  if (next === undefined) {
    await writeStatus(deps, object, status, { phase: 'Disabled', message: `the schedule ${JSON.stringify(schedule.spec.schedule)} never fires` });
    return;
  }
  await writeStatus(deps, object, status, { phase: 'Active', scheduled: rfc3339(next) });
  return { requeueAfterMs: Math.max(100, Math.min(next - now, MAX_WAIT_MS)) };
}

async function writeStatus(
  deps: BackupDeps,
  object: KubeObject,
  previous: QdrantClusterScheduledSnapshotStatus | undefined,
  status: QdrantClusterScheduledSnapshotStatus,
): Promise<void> {
  if (previous && previous.phase === status.phase && previous.scheduled === status.scheduled && previous.message === status.message) return;
  await deps.client.applyStatus({ ...SCHEDULE, metadata: { name: object.metadata.name, namespace: object.metadata.namespace }, status } as KubeObject, {
    fieldManager: STATUS_FIELD_MANAGER,
  });
  if (previous?.phase !== status.phase) {
    await deps.recorder.record(object, {
      type: status.phase === 'Disabled' ? 'Warning' : 'Normal',
      reason: status.phase ?? 'Active',
      note: status.message ?? `next snapshot at ${status.scheduled}`,
      action: 'Schedule',
    });
  }
}
