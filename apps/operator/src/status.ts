import { clusterEndpoint, clusterSelectorLabels, type ClusterPhase, type Condition, type NodeStatus, type QdrantCluster } from '@qhc/schemas';

/** What the status is derived from: the cluster and what its StatefulSet reports. */
export interface ObservedState {
  cluster: QdrantCluster;
  statefulSet:
    | {
        metadata: { generation?: number };
        spec: { replicas?: number; template?: { spec?: { containers?: Array<{ image?: string }> } } };
        status?: {
          observedGeneration?: number;
          replicas?: number;
          readyReplicas?: number;
          updatedReplicas?: number;
          currentReplicas?: number;
          currentRevision?: string;
          updateRevision?: string;
        };
      }
    | undefined;
  pods: ObservedPod[];
  /** The failure of this pass, if any (applying objects, building them, draining a node). */
  failure?: { reason: string; message: string; retry?: boolean };
  /** deleteInProgressNodeIndexes after this pass (default: the status's). */
  deleting?: number[];
  /** For operationTimeout: an operation in progress longer than this fails. */
  now?: number;
  operationTimeoutMs?: number;
}

export interface ObservedPod {
  metadata: { name?: string; labels?: Record<string, string> };
  spec?: { containers?: Array<{ name?: string; image?: string }> };
  status?: {
    phase?: string;
    startTime?: string;
    reason?: string;
    message?: string;
    conditions?: Array<{ type: string; status: string }>;
    containerStatuses?: Array<{ name: string; restartCount?: number }>;
  };
}

export interface ObservedClaim {
  metadata: { name?: string };
  spec: { storageClassName?: string };
  status?: { phase?: 'Pending' | 'Bound' | 'Lost'; capacity?: Record<string, string> };
}

export interface DerivedStatus {
  phase: ClusterPhase;
  reason: string;
  availableNodes: number;
  currentNodes: number;
  selector: string;
  endpoint: string;
  version?: string;
  conditionsWanted: Array<Pick<Condition, 'type' | 'status' | 'reason' | 'message'>>;
}

const PROGRESSING: ReadonlySet<ClusterPhase> = new Set(['Creating', 'Updating', 'Scaling', 'Upgrading', 'Suspending', 'Resuming']);

/**
 * The phase in Qdrant's vocabulary, from what is observed now (level-based: no memory of
 * earlier passes but the status already written). Pure, so every branch is unit-tested.
 */
export function deriveStatus(observed: ObservedState): DerivedStatus {
  return withOperationTimeout(observed, derivePhase(observed));
}

const FAILED_OF: Partial<Record<ClusterPhase, ClusterPhase>> = { Creating: 'FailedToCreate', Resuming: 'FailedToResume', Suspending: 'FailedToSuspend' };

/**
 * An operation (a phase in progress) that has run longer than operationTimeout, counted
 * from when the Progressing condition last became True, is reported failed. The pass after
 * that starts it again, so the timer restarts: a stuck operation alternates between failed
 * and retried, spaced by the work queue's backoff.
 */
function withOperationTimeout(observed: ObservedState, derived: DerivedStatus): DerivedStatus {
  const previous = observed.cluster.status;
  if (observed.now === undefined || observed.operationTimeoutMs === undefined) return derived;
  if (!PROGRESSING.has(derived.phase) || !previous?.phase || !PROGRESSING.has(previous.phase)) return derived;
  const since = previous.conditions?.find((c) => c.type === 'Progressing' && c.status === 'True')?.lastTransitionTime;
  if (!since || observed.now - Date.parse(since) <= observed.operationTimeoutMs) return derived;
  const phase = FAILED_OF[derived.phase] ?? 'FailedToUpdate';
  const reason = `OperationTimeout: ${derived.phase} did not finish within ${observed.operationTimeoutMs / 1000}s (${derived.reason})`;
  return { ...derived, phase, reason, conditionsWanted: conditionsFor(phase, reason, derived.availableNodes) };
}

function derivePhase(observed: ObservedState): DerivedStatus {
  const { cluster, statefulSet, pods } = observed;
  const size = cluster.spec.size;
  const previous = cluster.status?.phase;
  const ready = pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
  const selector = Object.entries(clusterSelectorLabels(cluster.spec.id))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const base = {
    availableNodes: ready,
    currentNodes: pods.length,
    selector,
    endpoint: clusterEndpoint(cluster.spec.id, cluster.metadata.namespace ?? 'default'),
  };
  const done = (phase: ClusterPhase, reason: string, version?: string): DerivedStatus => ({
    ...base,
    phase,
    reason,
    version,
    conditionsWanted: conditionsFor(phase, reason, ready),
  });

  if (cluster.spec.pauses && cluster.spec.pauses.length > 0) {
    return done('ManualMaintenance', `paused by ${cluster.spec.pauses.map((p) => p.owner ?? 'someone').join(', ')}`, cluster.status?.version);
  }
  if (cluster.spec.suspend)
    return pods.length > 0 || statefulSet ? done('Suspending', 'removing everything but the volumes') : done('Suspended', 'suspended; volumes kept');
  if (observed.failure) {
    const failed: ClusterPhase = !previous || previous === 'Creating' || previous === 'FailedToCreate' ? 'FailedToCreate' : 'FailedToUpdate';
    return done(failed, `${observed.failure.reason}: ${observed.failure.message}`, cluster.status?.version);
  }
  if (!statefulSet) return done(previous === 'Suspended' || previous === 'Suspending' ? 'Resuming' : 'Creating', "creating the cluster's objects");

  const stsStatus = statefulSet.status ?? {};
  const settled =
    (stsStatus.observedGeneration ?? 0) >= (statefulSet.metadata.generation ?? 0) &&
    (stsStatus.updatedReplicas ?? 0) === size &&
    (stsStatus.replicas ?? 0) === size &&
    (stsStatus.readyReplicas ?? 0) === size;
  const version = cluster.spec.version;
  const deleting = cluster.status?.deleteInProgressNodeIndexes ?? [];
  if (observed.deleting ? observed.deleting.length > 0 : deleting.length > 0) {
    return done(
      'Scaling',
      `removing node ${(observed.deleting ?? deleting).join(', ')}: ${ready} of ${size} nodes ready`,
      cluster.status?.version ?? cluster.spec.version,
    );
  }
  if (settled && ready === size) return done('Healthy', `${ready} of ${size} nodes ready`, version);

  const rolledVersion = cluster.status?.version;
  if (previous === undefined || previous === 'Creating' || previous === 'FailedToCreate') return done('Creating', `${ready} of ${size} nodes ready`, version);
  if (previous === 'Suspended' || previous === 'Resuming') return done('Resuming', `${ready} of ${size} nodes ready`, version);
  if (rolledVersion && rolledVersion !== version)
    return done('Upgrading', `rolling from ${rolledVersion} to ${version}: ${ready} of ${size} ready`, rolledVersion);
  // A pod replaced by a rollout is briefly missing: that is an update, not a scale. So the
  // pod count is not a signal; the StatefulSet's replicas (wanted, then counted) are.
  const rolling = stsStatus.updateRevision !== undefined && stsStatus.currentRevision !== undefined && stsStatus.updateRevision !== stsStatus.currentRevision;
  if (!rolling && ((statefulSet.spec.replicas ?? size) !== size || (stsStatus.replicas ?? 0) !== size)) {
    return done('Scaling', `${pods.length} of ${size} nodes exist, ${ready} ready`, version);
  }
  if (rolling || (stsStatus.updatedReplicas ?? 0) < size || (stsStatus.observedGeneration ?? 0) < (statefulSet.metadata.generation ?? 0)) {
    return done('Updating', `${stsStatus.updatedReplicas ?? 0} of ${size} nodes updated`, version);
  }
  return done('NotReady', `${ready} of ${size} nodes ready`, version);
}

const bool = (value: boolean) => (value ? 'True' : 'False');

function conditionsFor(phase: ClusterPhase, reason: string, ready: number): DerivedStatus['conditionsWanted'] {
  return [
    { type: 'Ready', status: bool(phase === 'Healthy'), reason: phase, message: reason },
    { type: 'Progressing', status: bool(PROGRESSING.has(phase)), reason: phase, message: reason },
    { type: 'Degraded', status: bool(phase === 'NotReady' || phase.startsWith('FailedTo')), reason: phase, message: reason },
    { type: 'AcceptingConnection', status: bool(ready > 0), reason: ready > 0 ? 'NodesReady' : 'NoNodeReady', message: `${ready} node(s) ready` },
    { type: 'RecoveryMode', status: 'False', reason: 'NotInRecovery', message: 'no node is in recovery mode' },
  ];
}

/** Conditions with lastTransitionTime kept when a condition's status did not change. */
export function mergeConditions(previous: Condition[] | undefined, wanted: DerivedStatus['conditionsWanted'], now: string, generation: number): Condition[] {
  return wanted.map((c) => {
    const old = previous?.find((p) => p.type === c.type);
    return {
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      observedGeneration: generation,
      lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : now,
    };
  });
}

const isReady = (pod: ObservedPod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** status.nodes: one entry per pod, keyed by pod name, with its database volume. */
export function nodeStatuses(pods: ObservedPod[], claims: ObservedClaim[], claimOf: (podName: string) => string): Record<string, NodeStatus> {
  const nodes: Record<string, NodeStatus> = {};
  for (const pod of pods) {
    const name = pod.metadata.name!;
    const image = pod.spec?.containers?.find((c) => c.name === 'qdrant')?.image;
    const claim = claims.find((c) => c.metadata.name === claimOf(name));
    nodes[name] = {
      name,
      ...(pod.status?.startTime ? { started_at: pod.status.startTime } : {}),
      ...(pod.status?.conditions?.length
        ? { state: Object.fromEntries(pod.status.conditions.map((c) => [c.type, c.status as 'True' | 'False' | 'Unknown'])) }
        : {}),
      ...(image?.includes(':') ? { version: image.slice(image.lastIndexOf(':') + 1) } : {}),
      ...(pod.status?.phase ? { podPhase: pod.status.phase as NodeStatus['podPhase'] } : {}),
      ...(pod.status?.reason ? { podReason: pod.status.reason } : {}),
      ...(pod.status?.message ? { podMessage: pod.status.message } : {}),
      restartCount: pod.status?.containerStatuses?.find((c) => c.name === 'qdrant')?.restartCount ?? 0,
      ...(claim
        ? {
            databasePVCStatus: {
              ...(claim.spec.storageClassName ? { storageClassName: claim.spec.storageClassName } : {}),
              ...(claim.status?.phase ? { phase: claim.status.phase } : {}),
              ...(claim.status?.capacity ? { capacity: claim.status.capacity } : {}),
            },
          }
        : {}),
    };
  }
  return nodes;
}

export { isReady };
