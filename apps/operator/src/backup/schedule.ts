import {
  LABEL_CLUSTER_ID,
  dueCronTime,
  nextCronTime,
  safeValidateQdrantClusterScheduledSnapshot,
  type QdrantClusterScheduledSnapshot,
  type QdrantClusterScheduledSnapshotStatus,
} from '@qhc/schemas';
import { LABEL_SCHEDULE_ID, buildScheduledSnapshot } from '@qhc/manifests';
import { KubeApiError, splitKey, type KubeObject, type ReconcileResult } from '@qhc/kube';
import { proceed, requeue, runSteps, step, stop, type Step } from '../reconcile/steps.ts';
import { CLUSTER_SNAPSHOT, SCHEDULED_SNAPSHOT, STATUS_FIELD_MANAGER, rfc3339, type BackupDeps } from './common.ts';

/** On a QdrantClusterScheduledSnapshot: the schedule time of the last snapshot it took (RFC 3339). */
export const ANNOTATION_LAST_SCHEDULE_TIME = 'qhc.dev/last-schedule-time';

/** Look again at least this often: a clock that jumps (or a missed timer) is noticed. */
const MAX_WAIT_MS = 60_000;

interface SchedulePass {
  readonly deps: BackupDeps;
  readonly ref: { apiVersion: string; kind: string; namespace: string; name: string };
  /** One clock reading for the whole pass, taken once the schedule is read. */
  now: number;
  object?: KubeObject;
  status?: QdrantClusterScheduledSnapshotStatus;
  schedule?: QdrantClusterScheduledSnapshot;
  /** When the schedule started counting (its creation). */
  anchor: number;
  due?: { at: number; missed: number };
}

function loaded(pass: SchedulePass): { object: KubeObject; schedule: QdrantClusterScheduledSnapshot } {
  if (!pass.object || !pass.schedule) throw new Error(`schedule ${pass.ref.namespace}/${pass.ref.name}: a step ran before it was read and validated`);
  return { object: pass.object, schedule: pass.schedule };
}

const readSchedule = step<SchedulePass>('readSchedule', async (pass) => {
  const object = await pass.deps.client.get(pass.ref);
  if (!object || object.metadata.deletionTimestamp) return stop;
  pass.object = object;
  pass.now = pass.deps.now();
  pass.status = (object as { status?: QdrantClusterScheduledSnapshotStatus }).status;
  return proceed;
});

const validateSchedule = step<SchedulePass>('validateSchedule', async (pass) => {
  const object = pass.object!;
  const parsed = safeValidateQdrantClusterScheduledSnapshot(object);
  if (!parsed.success) {
    await writeStatus(pass, { phase: 'Disabled', message: parsed.error.message });
    return stop;
  }
  pass.schedule = parsed.data;
  pass.anchor = Date.parse(object.metadata.creationTimestamp ?? rfc3339(pass.now));
  return proceed;
});

/**
 * The latest schedule time passed since the last snapshot it took, if any. The last one is
 * the annotation or the newest snapshot it took, whichever is later: the annotation may not
 * have been written yet.
 */
const findDueTime = step<SchedulePass>('findDueTime', async (pass) => {
  const { object, schedule } = loaded(pass);
  const recorded = object.metadata.annotations?.[ANNOTATION_LAST_SCHEDULE_TIME];
  const taken = await pass.deps.client.list<KubeObject & { spec?: { 'creation-timestamp'?: number } }>(CLUSTER_SNAPSHOT, {
    namespace: pass.ref.namespace,
    labelSelector: `${LABEL_CLUSTER_ID}=${schedule.spec['cluster-id']},${LABEL_SCHEDULE_ID}=${schedule.spec.scheduleShortId}`,
  });
  const newest = Math.max(0, ...taken.items.map((s) => (s.spec?.['creation-timestamp'] ?? 0) * 1000));
  const lastRun = Math.max(recorded ? Date.parse(recorded) : pass.anchor, newest);
  pass.due = dueCronTime(schedule.spec.schedule, lastRun, pass.now, pass.anchor);
  return proceed;
});

/** The snapshot's name comes from its time, so a pass cut off after creating it does not make a second. */
const takeSnapshot = step<SchedulePass>('takeSnapshot', async (pass) => {
  const { object, schedule } = loaded(pass);
  const { deps, due, now } = pass;
  if (!due) return proceed;
  const snapshot = buildScheduledSnapshot(schedule, due.at);
  try {
    await deps.client.create(snapshot);
    const catchUp = now - due.at > MAX_WAIT_MS || due.missed > 0;
    deps.metrics.scheduledSnapshots.inc({ kind: catchUp ? 'catch_up' : 'on_time' });
    const missed = due.missed > 0 ? `; ${due.missed} earlier schedule time(s) were missed and are not made up` : '';
    deps.recorder.record(object, {
      type: due.missed > 0 ? 'Warning' : 'Normal',
      reason: due.missed > 0 ? 'MissedSchedules' : 'SnapshotScheduled',
      note: `took ${snapshot.metadata.name} for ${rfc3339(due.at)}${missed}`,
      action: 'Schedule',
    });
    const { namespace, name } = pass.ref;
    deps.logger.info('scheduled snapshot taken', { namespace, name, snapshot: snapshot.metadata.name, at: rfc3339(due.at), missed: due.missed });
  } catch (error) {
    if (!(error instanceof KubeApiError && error.isConflict)) throw error;
  }
  await deps.client.patch(pass.ref, { metadata: { annotations: { [ANNOTATION_LAST_SCHEDULE_TIME]: rfc3339(due.at) } } });
  return proceed;
});

const scheduleNext = step<SchedulePass>('scheduleNext', async (pass) => {
  const { schedule } = loaded(pass);
  const next = nextCronTime(schedule.spec.schedule, Math.max(pass.now, pass.due?.at ?? 0), pass.anchor);
  if (next === undefined) {
    await writeStatus(pass, { phase: 'Disabled', message: `the schedule ${JSON.stringify(schedule.spec.schedule)} never fires` });
    return stop;
  }
  await writeStatus(pass, { phase: 'Active', scheduled: rfc3339(next) });
  return requeue(Math.max(100, Math.min(next - pass.now, MAX_WAIT_MS)), `next snapshot at ${rfc3339(next)}`);
});

export const SCHEDULE_STEPS: readonly Step<SchedulePass>[] = [readSchedule, validateSchedule, findDueTime, takeSnapshot, scheduleNext];

/**
 * One pass over a QdrantClusterScheduledSnapshot: if a schedule time has passed since the
 * last snapshot it took, take one QdrantClusterSnapshot, for the latest such time only:
 * an operator that was down across several schedule times catches up once, not in a burst.
 * Retention is the snapshots' own (spec.retention, then deleted with their VolumeSnapshots).
 */
export async function reconcileSchedule(deps: BackupDeps, key: string): Promise<ReconcileResult> {
  const { namespace = 'default', name } = splitKey(key);
  return runSteps(SCHEDULE_STEPS, { deps, ref: { ...SCHEDULED_SNAPSHOT, namespace, name }, now: 0, anchor: 0 });
}

async function writeStatus(pass: SchedulePass, status: QdrantClusterScheduledSnapshotStatus): Promise<void> {
  const { deps, object, status: previous } = pass;
  if (previous && previous.phase === status.phase && previous.scheduled === status.scheduled && previous.message === status.message) return;
  await deps.client.applyStatus(
    { ...SCHEDULED_SNAPSHOT, metadata: { name: object!.metadata.name, namespace: object!.metadata.namespace }, status } as KubeObject,
    { fieldManager: STATUS_FIELD_MANAGER },
  );
  if (previous?.phase !== status.phase) {
    deps.recorder.record(object!, {
      type: status.phase === 'Disabled' ? 'Warning' : 'Normal',
      reason: status.phase ?? 'Active',
      note: status.message ?? `next snapshot at ${status.scheduled}`,
      action: 'Schedule',
    });
  }
}
