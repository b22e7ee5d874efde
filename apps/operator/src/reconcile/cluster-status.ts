import type { ClusterPhase, Condition, QdrantCluster } from '@qhc/schemas';
import { usesClusterManager } from '@qhc/manifests';
import { isSubset, type KubeObject } from '@qhc/kube';
import { deriveStatus, mergeConditions, nodeStatuses, type ObservedClaim, type ObservedState } from '../status.ts';
import { QDRANT_CLUSTER, STATUS_FIELD_MANAGER, type ClusterPass, type ManagerStatus } from './cluster-pass.ts';
import { databaseClaimName } from './volumes.ts';

/**
 * How long a phase in progress goes before a change of its progress alone is written: the
 * nodes' details (status.nodes), the node counts, the reason and conditions' messages that
 * count them, and AcceptingConnection (whether a node is ready). A single-node cluster's pod
 * goes through several states while it is created (scheduled, initialized, running, ready
 * before its StatefulSet says so): each would be a status write, at a thousand clusters
 * thousands of writes that the next phase (Healthy) reports anyway. A creation that takes
 * longer than this (a pod that cannot be scheduled) has its progress written, at most once per
 * this long (longer with many clusters in progress: nodeDetailsDelayMs) from the last write (as
 * this process remembers it): what is wrong is in the nodes' details, that late at most, without
 * a write at each step (a claim bound, then Lost and bound again by the PersistentVolume
 * controller, a pod scheduled, started, ready). A change of phase, of a condition's status or
 * reason, or of anything else is written at once.
 */
export const NODE_DETAILS_DELAY_MS = 30_000;

/**
 * About how many such writes of progress alone the operator makes a second, all clusters
 * together: each cluster waits longer than NODE_DETAILS_DELAY_MS when more are in progress
 * (nodeDetailsDelayMs). Thousands of clusters created at once each report every step of their
 * pod, each a status apply, which the apiserver shares with the cluster's own controllers (the
 * PersistentVolume binder works one claim at a time, so the apiserver's latency is its pace):
 * at 3,000 clusters they came 40 a second, the apiserver's most frequent write.
 */
export const NODE_DETAILS_WRITES_PER_SECOND = 5;

/** How long a change of the nodes' details alone waits, with `inProgress` clusters in a phase in progress. */
export function nodeDetailsDelayMs(inProgress: number): number {
  return Math.max(NODE_DETAILS_DELAY_MS, Math.ceil((inProgress * 1000) / NODE_DETAILS_WRITES_PER_SECOND));
}

export interface StatusExtra {
  claims: ObservedClaim[];
  deleting: number[];
  storage?: Pick<Condition, 'type' | 'status' | 'reason' | 'message'>;
  manager?: ManagerStatus;
  /** The copies of a guarded restart to record (default: the status's); compared with what the status has. */
  temporaryReplicas?: NonNullable<QdrantCluster['status']>['temporaryReplicas'];
}

export interface WrittenStatus {
  phase: ClusterPhase;
  reason: string;
  /** The status as it now is (the one written, or the one left): what a later write in the pass compares with. */
  status: QdrantCluster['status'];
  detailsDueInMs?: number;
}

/**
 * Writes the cluster's status when it differs from what is there (a converged resync writes
 * nothing), and records an event when the phase changed. A change of the nodes' details alone
 * in a young phase in progress waits (nodeDetailsDelayMs): `detailsDueInMs` says when the
 * pass should come back to write it.
 */
export async function writeClusterStatus(pass: ClusterPass, cluster: QdrantCluster, observed: ObservedState, extra: StatusExtra): Promise<WrittenStatus> {
  const { deps } = pass;
  const derived = deriveStatus(observed);
  const status = buildStatus(pass, cluster, derived, observed, extra);
  const previous = cluster.status;
  // Order-insensitive: the apiserver and zod may order keys differently than we build them.
  const unchanged = previous !== undefined && sameStatus(status, previous);
  const key = `${cluster.metadata.namespace ?? ''}/${cluster.metadata.name}`;
  const delayMs = nodeDetailsDelayMs(deps.inProgress?.() ?? 0);
  const detailsDueInMs = unchanged ? undefined : nodeDetailsDueInMs(status, previous, pass.now(), delayMs, deps.progressWrites?.get(key));
  let current = previous;
  if (!unchanged && detailsDueInMs === undefined) {
    const written = await deps.client.applyStatus(
      { ...QDRANT_CLUSTER, metadata: { name: cluster.metadata.name, namespace: cluster.metadata.namespace }, status } as KubeObject,
      { fieldManager: STATUS_FIELD_MANAGER },
    );
    deps.cache.wrote?.(written);
    current = ((written as QdrantCluster).status ?? status) as QdrantCluster['status'];
    rememberProgressWrite(deps.progressWrites, key, current, pass.now());
  }
  if (previous?.phase !== derived.phase) {
    const warning = derived.phase.startsWith('FailedTo') || derived.phase === 'NotReady';
    deps.recorder.record(cluster as unknown as KubeObject, {
      type: warning ? 'Warning' : 'Normal',
      reason: derived.phase,
      note: derived.reason,
      action: 'Reconcile',
    });
  }
  return { phase: derived.phase, reason: derived.reason, status: current, ...(detailsDueInMs !== undefined ? { detailsDueInMs } : {}) };
}

// Order-insensitive: the apiserver and zod may order keys differently than we build them.
const sameStatus = (status: object, previous: object) => isSubset(status, previous) && Object.keys(previous).every((k) => k in status);

/** The status without its progress (nodeDetailsDelayMs): what a young phase in progress is written for. */
function essentials(status: Record<string, unknown>): Record<string, unknown> {
  const { nodes: _n, currentNodes: _c, availableNodes: _v, availableNodeIndexes: _a, reason: _r, conditions, ...rest } = status;
  // AcceptingConnection says whether a node is ready, as availableNodes counts them.
  const kept = (conditions as Condition[] | undefined)
    ?.filter((c) => c.type !== 'AcceptingConnection')
    .map(({ type, status: s, reason, observedGeneration }) => ({ type, status: s, reason, observedGeneration }));
  return { ...rest, conditions: kept };
}

export const inProgressSince = (status: QdrantCluster['status']) =>
  status?.conditions?.find((c) => c.type === 'Progressing' && c.status === 'True')?.lastTransitionTime;

/**
 * When a change of the nodes' details alone is due, in a phase in progress: `delayMs`
 * (nodeDetailsDelayMs) after the phase began or after the last write in it, whichever is later;
 * undefined: now.
 */
function nodeDetailsDueInMs(
  status: Record<string, unknown>,
  previous: QdrantCluster['status'],
  now: number,
  delayMs: number,
  lastWrite?: number,
): number | undefined {
  const since = inProgressSince(previous);
  if (!since || !sameStatus(essentials(status), essentials(previous as Record<string, unknown>))) return undefined;
  const dueInMs = Math.max(Date.parse(since), lastWrite ?? 0) + delayMs - now;
  return dueInMs > 0 ? dueInMs : undefined;
}

/** A write while a phase is in progress is remembered; once none is, the cluster is forgotten. */
function rememberProgressWrite(writes: Map<string, number> | undefined, key: string, written: QdrantCluster['status'], now: number): void {
  if (inProgressSince(written)) writes?.set(key, now);
  else writes?.delete(key);
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
  const temporaryReplicas = extra.temporaryReplicas ?? cluster.status?.temporaryReplicas;
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
    ...(temporaryReplicas?.length ? { temporaryReplicas } : {}),
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
