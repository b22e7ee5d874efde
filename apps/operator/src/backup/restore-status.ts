import type { QdrantClusterRestoreStatus, RestorePhase } from '@qhc/schemas';
import type { KubeObject } from '@qhc/kube';
import { requeue, stop, type StepResult } from '../reconcile/steps.ts';
import { CLUSTER_RESTORE, STATUS_FIELD_MANAGER, rfc3339, type BackupDeps } from './common.ts';

const POLL_MS = 2_000;

async function writeStatus(deps: BackupDeps, object: KubeObject, status: QdrantClusterRestoreStatus): Promise<void> {
  const full = { ...status, observedGeneration: (object.metadata.generation as number | undefined) ?? 0 };
  await deps.client.applyStatus(
    { ...CLUSTER_RESTORE, metadata: { name: object.metadata.name, namespace: object.metadata.namespace }, status: full } as KubeObject,
    { fieldManager: STATUS_FIELD_MANAGER },
  );
}

export async function progress(
  deps: BackupDeps,
  object: KubeObject,
  status: QdrantClusterRestoreStatus,
  phase: RestorePhase,
  reason: string,
  message: string,
): Promise<StepResult> {
  const previous = (object as { status?: QdrantClusterRestoreStatus }).status;
  await writeStatus(deps, object, { ...status, phase, reason, message });
  if (previous?.phase !== phase || previous.reason !== reason) deps.recorder.record(object, { type: 'Normal', reason, note: message, action: 'Restore' });
  return requeue(POLL_MS, message);
}

export async function finish(
  deps: BackupDeps,
  object: KubeObject,
  status: QdrantClusterRestoreStatus,
  phase: RestorePhase,
  reason: string,
  message: string,
  now: number,
): Promise<StepResult> {
  await writeStatus(deps, object, { ...status, phase, reason, message, completedAt: rfc3339(now) });
  deps.metrics.restores.inc({ result: phase, reason });
  deps.recorder.record(object, {
    type: phase === 'Succeeded' ? 'Normal' : 'Warning',
    reason: phase === 'Succeeded' ? 'RestoreSucceeded' : reason,
    note: message,
    action: 'Restore',
  });
  deps.logger.info('restore finished', { namespace: object.metadata.namespace, name: object.metadata.name, phase, reason, message });
  return stop;
}
