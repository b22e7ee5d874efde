import type { ClusterPhase, Condition, QdrantCluster } from '@qhc/schemas';
import { usesClusterManager } from '@qhc/manifests';
import { isSubset, type KubeObject } from '@qhc/kube';
import { deriveStatus, mergeConditions, nodeStatuses, type ObservedClaim, type ObservedState } from '../status.ts';
import { QDRANT_CLUSTER, STATUS_FIELD_MANAGER, type ClusterPass, type ManagerStatus } from './cluster-pass.ts';
import { databaseClaimName } from './volumes.ts';

export interface StatusExtra {
  claims: ObservedClaim[];
  deleting: number[];
  storage?: Pick<Condition, 'type' | 'status' | 'reason' | 'message'>;
  manager?: ManagerStatus;
}

/**
 * Writes the cluster's status when it differs from what is there (a converged resync writes
 * nothing), and records an event when the phase changed.
 */
export async function writeClusterStatus(
  pass: ClusterPass,
  cluster: QdrantCluster,
  observed: ObservedState,
  extra: StatusExtra,
): Promise<{ phase: ClusterPhase; reason: string }> {
  const { deps } = pass;
  const derived = deriveStatus(observed);
  const status = buildStatus(pass, cluster, derived, observed, extra);
  const previous = cluster.status;
  // Order-insensitive: the apiserver and zod may order keys differently than we build them.
  const unchanged = previous !== undefined && isSubset(status, previous) && Object.keys(previous).every((k) => k in status);
  if (!unchanged) {
    const written = await deps.client.applyStatus(
      { ...QDRANT_CLUSTER, metadata: { name: cluster.metadata.name, namespace: cluster.metadata.namespace }, status } as KubeObject,
      { fieldManager: STATUS_FIELD_MANAGER },
    );
    deps.cache.wrote?.(written);
  }
  if (previous?.phase !== derived.phase) {
    const warning = derived.phase.startsWith('FailedTo') || derived.phase === 'NotReady';
    await deps.recorder.record(cluster as unknown as KubeObject, {
      type: warning ? 'Warning' : 'Normal',
      reason: derived.phase,
      note: derived.reason,
      action: 'Reconcile',
    });
  }
  return { phase: derived.phase, reason: derived.reason };
}

function buildStatus(
  pass: ClusterPass,
  cluster: QdrantCluster,
  derived: ReturnType<typeof deriveStatus>,
  observed: ObservedState,
  extra: StatusExtra,
): Record<string, unknown> {
  const now = new Date(pass.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  const generation = (cluster.metadata.generation as number | undefined) ?? 0;
  const previousStorage = cluster.status?.conditions?.find((c) => c.type === 'StorageResize');
  const storage =
    extra.storage ??
    (previousStorage && { type: previousStorage.type, status: previousStorage.status, reason: previousStorage.reason, message: previousStorage.message });
  return {
    phase: derived.phase,
    reason: derived.reason,
    availableNodes: derived.availableNodes,
    availableNodeIndexes: Array.from({ length: derived.currentNodes }, (_, i) => i),
    ...(extra.deleting.length > 0 ? { deleteInProgressNodeIndexes: extra.deleting } : {}),
    currentNodes: derived.currentNodes,
    selector: derived.selector,
    endpoint: derived.endpoint,
    ...(cluster.status?.temporaryReplicas?.length ? { temporaryReplicas: cluster.status.temporaryReplicas } : {}),
    ...(derived.version ? { version: derived.version } : {}),
    observedGeneration: generation,
    // Kept between calls (and through writes that do not call the manager) while it is enabled.
    ...(extra.manager ??
      (usesClusterManager(cluster, pass.settings) && cluster.status?.clusterManagerResponse && cluster.status.nextClusterManagerInvocation
        ? { clusterManagerResponse: cluster.status.clusterManagerResponse, nextClusterManagerInvocation: cluster.status.nextClusterManagerInvocation }
        : {})),
    // Absent rather than empty: the CRD's structural schema reads an empty object as null.
    ...(observed.pods.length > 0
      ? { nodes: nodeStatuses(observed.pods, extra.claims, (pod) => databaseClaimName(cluster, Number(pod.slice(pod.lastIndexOf('-') + 1)))) }
      : {}),
    conditions: mergeConditions(cluster.status?.conditions, storage ? [...derived.conditionsWanted, storage] : derived.conditionsWanted, now, generation),
  };
}
