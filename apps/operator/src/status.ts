import { clusterEndpoint, clusterSelectorLabels, type ClusterPhase, type Condition, type QdrantCluster } from '@qhc/schemas';

/** What the status is derived from: the cluster and what its StatefulSet reports. */
export interface ObservedState {
  cluster: QdrantCluster;
  statefulSet:
    | { metadata: { generation?: number }; spec: { replicas?: number; template?: { spec?: { containers?: Array<{ image?: string }> } } }; status?: { observedGeneration?: number; replicas?: number; readyReplicas?: number; updatedReplicas?: number; currentReplicas?: number } }
    | undefined;
  pods: Array<{ metadata: { name?: string }; status?: { phase?: string; startTime?: string; conditions?: Array<{ type: string; status: string }> } }>;
  /** The failure of this pass, if any (applying objects, building them). */
  failure?: { reason: string; message: string };
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
  const { cluster, statefulSet, pods } = observed;
  const size = cluster.spec.size;
  const previous = cluster.status?.phase;
  const ready = pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
  const selector = Object.entries(clusterSelectorLabels(cluster.spec.id)).map(([k, v]) => `${k}=${v}`).join(',');
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
  if (cluster.spec.suspend) return pods.length > 0 || statefulSet ? done('Suspending', 'removing everything but the volumes') : done('Suspended', 'suspended; volumes kept');
  if (observed.failure) {
    const failed: ClusterPhase = !previous || previous === 'Creating' || previous === 'FailedToCreate' ? 'FailedToCreate' : 'FailedToUpdate';
    return done(failed, `${observed.failure.reason}: ${observed.failure.message}`, cluster.status?.version);
  }
  if (!statefulSet) return done(previous === 'Suspended' || previous === 'Suspending' ? 'Resuming' : 'Creating', 'creating the cluster\'s objects');

  const stsStatus = statefulSet.status ?? {};
  const settled =
    (stsStatus.observedGeneration ?? 0) >= (statefulSet.metadata.generation ?? 0) &&
    (stsStatus.updatedReplicas ?? 0) === size &&
    (stsStatus.replicas ?? 0) === size &&
    (stsStatus.readyReplicas ?? 0) === size;
  const version = cluster.spec.version;
  if (settled && ready === size) return done('Healthy', `${ready} of ${size} nodes ready`, version);

  const rolledVersion = cluster.status?.version;
  if (previous === undefined || previous === 'Creating' || previous === 'FailedToCreate') return done('Creating', `${ready} of ${size} nodes ready`, version);
  if (previous === 'Suspended' || previous === 'Resuming') return done('Resuming', `${ready} of ${size} nodes ready`, version);
  if (rolledVersion && rolledVersion !== version) return done('Upgrading', `rolling from ${rolledVersion} to ${version}: ${ready} of ${size} ready`, rolledVersion);
  if ((statefulSet.spec.replicas ?? size) !== (stsStatus.replicas ?? 0) || pods.length !== size) return done('Scaling', `${pods.length} of ${size} nodes exist, ${ready} ready`, version);
  if ((stsStatus.updatedReplicas ?? 0) < size || (stsStatus.observedGeneration ?? 0) < (statefulSet.metadata.generation ?? 0)) {
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
