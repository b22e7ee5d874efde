import {
  LABEL_CLUSTER_ID,
  legacyOperatorObjectNames,
  safeValidateQdrantCluster,
  statefulSetName,
  type ClusterPhase,
  type Condition,
  type OperatorSettings,
  type QdrantCluster,
} from '@qhc/schemas';
import { MANAGED_BY, ManifestError, buildClusterObjects, onDemandReplicationMode, podSelector, rebalanceStrategyOf, usesClusterManager } from '@qhc/manifests';
import {
  addFinalizer,
  hasFinalizer,
  removeFinalizer,
  splitKey,
  type EventRecorder,
  type KubeClient,
  type KubeObject,
  type Logger,
  type ReconcileResult,
} from '@qhc/kube';
import type { DrainStep } from '@qhc/qdrant';
import { MANAGED_KINDS, type Kind, type ObjectCache } from '../cache.ts';
import type { QdrantAccess } from '../qdrant/access.ts';
import { deriveStatus, isReady, mergeConditions, nodeStatuses, type ObservedClaim, type ObservedState } from '../status.ts';
import { applyIfChanged, isSubset } from './apply-if-changed.ts';
import { recreateAnnotatedNodes } from './recreate-node.ts';
import { otherWriters, removeOrRelease } from './remove-owned.ts';
import { isTraefikObject, reconcileTraefik } from './traefik.ts';
import { inProcessRestartGuard, stepGuardedRestart, type RecordedReplica } from './guarded-restart.ts';
import { inProcessDrainer, stepScaleDown, type LiveStatefulSet } from './scale-down.ts';
import type { ClusterManagerLink } from '../cluster-manager.ts';
import { databaseClaimName, pinClaimTemplates, reconcileStorage, type Claim, type StorageOutcome } from './volumes.ts';

export const FINALIZER = 'qhc.dev/cluster';
export const FIELD_MANAGER = 'qhc-operator';
export const STATUS_FIELD_MANAGER = 'qhc-operator-status';

/** The kinds a cluster owns, pruned when no longer desired (pods and volumes are the StatefulSet's). */
const OWNED_KINDS: Kind[] = MANAGED_KINDS.filter((k) => k.kind !== 'Pod' && k.kind !== 'PersistentVolumeClaim');
const STATEFUL_SET: Kind = { apiVersion: 'apps/v1', kind: 'StatefulSet' };
const POD: Kind = { apiVersion: 'v1', kind: 'Pod' };
const CLAIM: Kind = { apiVersion: 'v1', kind: 'PersistentVolumeClaim' };

export interface ClusterReconcilerDeps {
  client: KubeClient;
  settings: () => OperatorSettings;
  recorder: EventRecorder;
  logger: Logger;
  qdrant: QdrantAccess;
  /** The managed objects, from informers; the cluster itself is always read fresh. */
  cache: ObjectCache;
  /** How long to wait before looking again at a cluster that is still converging. */
  progressRequeueMs?: number;
  /** Aborted when the pass overruns handlerTimeout. */
  signal?: AbortSignal;
  now?: () => number;
  /** The cluster manager, for clusters that use it (spec.clusterManager, else the settings' clusterManager.enable). */
  clusterManager?: ClusterManagerLink;
  /** Consecutive failed manage calls per cluster key, for their backoff. */
  managerFailures?: Map<string, number>;
  /** Observes drain steps (metrics, tests). */
  onDrainStep?: (cluster: QdrantCluster, node: number, step: DrainStep) => void;
}

/** A pass that wrote a failure to the status and wants the work queue's backoff before the next. */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
}

type Sts = KubeObject & LiveStatefulSet & ObservedState['statefulSet'];

/**
 * One pass over one QdrantCluster, level-based: read what is, apply what should be, prune
 * what should not, write the status. Any step may fail or the process may die at any
 * line; the next pass starts again from what it reads.
 */
export async function reconcileCluster(deps: ClusterReconcilerDeps, key: string): Promise<ReconcileResult> {
  const { client } = deps;
  const now = deps.now ?? Date.now;
  const { namespace, name } = splitKey(key);
  const ref = { apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', namespace, name };
  const log = deps.logger.with({ namespace, name });
  let object = await client.get(ref);
  if (!object) return;

  if (object.metadata.deletionTimestamp) {
    // Owned objects go by their owner references (the garbage collector); the volumes follow
    // the StatefulSet's retention policy: kept unless the cluster's qhc.dev/volume-retention
    // annotation says Delete, so data is only ever deleted on purpose.
    if (hasFinalizer(object, FINALIZER)) await removeFinalizer(client, object, FINALIZER);
    log.info('cluster deleted; finalizer removed');
    return;
  }

  const parsed = safeValidateQdrantCluster(object);
  if (!parsed.success) {
    await writeStatus(
      deps,
      object as unknown as QdrantCluster,
      { cluster: object as unknown as QdrantCluster, statefulSet: undefined, pods: [], failure: { reason: 'InvalidSpec', message: parsed.error.message } },
      { claims: [], deleting: [] },
    );
    await deps.recorder.record(object, { type: 'Warning', reason: 'InvalidSpec', note: parsed.error.message, action: 'Validate' });
    return;
  }
  if (!hasFinalizer(object, FINALIZER)) object = await addFinalizer(client, object, FINALIZER);
  let cluster = {
    ...parsed.data,
    metadata: { ...parsed.data.metadata, uid: object.metadata.uid, resourceVersion: object.metadata.resourceVersion },
  } as QdrantCluster;
  const settings = deps.settings().settings;
  const managed = usesClusterManager(cluster, deps.settings()) && deps.clusterManager !== undefined;

  let failure: ObservedState['failure'];
  let deleting = cluster.status?.deleteInProgressNodeIndexes ?? [];
  let storage: StorageOutcome | undefined;
  let busy = false;
  let restarting = false;
  let appliedSts: KubeObject | undefined;
  // From the cache, once: claims appear through the StatefulSet controller, never within this pass.
  const claims = listClaims(deps, cluster);
  if (!cluster.spec.pauses?.length) {
    try {
      const desired = buildClusterObjects(cluster, deps.settings());
      const live = deps.cache.get<Sts>(STATEFUL_SET, namespace, statefulSetName(cluster.spec.id));
      const desiredSts = desired.find((o) => o.kind === 'StatefulSet') as unknown as (KubeObject & { spec: { replicas: number } }) | undefined;
      if (desiredSts) {
        pinClaimTemplates(desiredSts, live);
        const scale = await stepScaleDown({
          client,
          drain:
            managed && deps.clusterManager
              ? deps.clusterManager.drainer
              : inProcessDrainer(deps.qdrant, (job, step) => deps.onDrainStep?.(job.cluster, job.node, step)),
          logger: deps.logger,
          cluster,
          live,
          // Fresh, not cached: whether a node's pod exists decides whether it is drained.
          pods: async () => new Set((await listPodsFresh(deps, cluster)).map((p) => p.metadata.name!)),
          // Short of handlerTimeout, so the drain stops on its own terms (aborting its transfer)
          // and the failure reaches the status before the pass itself is cut off.
          deadline: Math.min(now() + settings.handlerTimeout * 800, operationDeadline(cluster, settings.operationTimeout, now())),
          signal: deps.signal,
          markDeleting: async (indexes) => {
            const { phase } = await writeStatus(
              deps,
              cluster,
              { cluster, statefulSet: live, pods: await listPodsFresh(deps, cluster), deleting: indexes },
              { claims: [], deleting: indexes },
            );
            cluster = withStatus(cluster, { deleteInProgressNodeIndexes: indexes, phase });
          },
        });
        desiredSts.spec.replicas = scale.replicas;
        deleting = scale.deleting;
        busy = scale.deleting.length > 0;
        if (scale.failure) {
          failure = { ...scale.failure, retry: true };
          await deps.recorder.record(object, { type: 'Warning', reason: scale.failure.reason, note: scale.failure.message, action: 'ScaleDown' });
        } else if (scale.done) {
          await deps.recorder.record(object, { type: 'Normal', reason: 'NodeRemoved', note: scale.done, action: 'ScaleDown' });
        }
      }
      if (live && desiredSts) {
        await recreateAnnotatedNodes({
          client,
          recorder: deps.recorder,
          logger: deps.logger,
          cluster,
          object,
          pods: deps.cache.list(POD, namespace, podSelector(cluster)),
          claimTemplates: (live.spec.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? '').filter(Boolean),
        });
      }
      for (const item of desired) {
        if (isTraefikObject(item)) continue;
        const cached = deps.cache.get(item as Kind, namespace, item.metadata.name!);
        const applied = await applyIfChanged(client, item as unknown as KubeObject, FIELD_MANAGER, cached);
        if (applied && item.kind === 'StatefulSet') appliedSts = applied;
      }
      await prune(deps, object, cluster, new Set(desired.map((d) => `${d.kind}/${d.metadata.name}`)));
      const traefik = await reconcileTraefik({
        client,
        fieldManager: FIELD_MANAGER,
        cluster,
        desired: desired.filter(isTraefikObject) as KubeObject[],
        now: now(),
      });
      if (traefik) {
        failure = { ...traefik, retry: true };
        await deps.recorder.record(object, { type: 'Warning', reason: traefik.reason, note: traefik.message, action: 'Apply' });
      }
      if (desiredSts && deleting.length === 0) {
        const restart = await stepGuardedRestart({
          client,
          guard: managed && deps.clusterManager ? deps.clusterManager.restartGuard : inProcessRestartGuard(deps.qdrant),
          logger: deps.logger,
          cluster,
          mode: onDemandReplicationMode(cluster),
          statefulSet: (appliedSts ?? live) as Parameters<typeof stepGuardedRestart>[0]['statefulSet'],
          pods: () => listPodsFresh(deps, cluster),
          deadline: Math.min(now() + settings.handlerTimeout * 800, operationDeadline(cluster, settings.operationTimeout, now())),
          signal: deps.signal,
          record: async (replicas: RecordedReplica[]) => {
            cluster = withStatus(cluster, { temporaryReplicas: replicas });
            await writeStatus(deps, cluster, observe(deps, cluster, undefined, appliedSts), { claims, deleting });
          },
        });
        restarting = restart.busy;
        if (restart.failure) {
          failure = { ...restart.failure, retry: true };
          await deps.recorder.record(object, { type: 'Warning', reason: restart.failure.reason, note: restart.failure.message, action: 'Restart' });
        } else if (restart.restarted) {
          await deps.recorder.record(object, {
            type: 'Normal',
            reason: 'NodeRestarted',
            note: `node ${restart.restarted.node} restarted after its shards were secured: ${restart.restarted.detail}`,
            action: 'Restart',
          });
        }
      }
      if (desiredSts) {
        storage = await reconcileStorage(client, cluster, claims, desiredSts.spec.replicas);
        if (
          storage.condition.status === 'False' &&
          cluster.status?.conditions?.find((c) => c.type === storage!.condition.type)?.reason !== storage.condition.reason
        ) {
          await deps.recorder.record(object, {
            type: storage.condition.reason === 'Expanding' ? 'Normal' : 'Warning',
            reason: storage.condition.reason,
            note: storage.condition.message,
            action: 'ResizeStorage',
          });
        }
      }
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      failure = { reason: 'InvalidCombination', message: error.message };
      await deps.recorder.record(object, { type: 'Warning', reason: 'InvalidCombination', note: error.message, action: 'Build' });
    }
  }

  // Just applied: the apiserver's answer is fresher than the cache.
  const observed = observe(deps, cluster, failure, appliedSts);
  observed.now = now();
  observed.deleting = deleting;
  observed.operationTimeoutMs = settings.operationTimeout * 1000;
  const operation = busy || deleting.length > 0 ? 'a scale-down is in progress' : restarting ? 'a restart is in progress' : undefined;
  const manager = await invokeClusterManager(deps, object, cluster, observed, operation, now(), settings.clusterManager.pullInterval);
  const { phase, reason } = await writeStatus(deps, cluster, observed, { claims, deleting, storage: storage?.condition, manager });
  // A failed drain and an overrun operation are retried, spaced by the work queue's backoff.
  if (failure?.retry) throw new RetryLaterError(`${failure.reason}: ${failure.message}`);
  if (reason.startsWith('OperationTimeout')) throw new RetryLaterError(reason);
  const settledPhase =
    (phase === 'Healthy' && !busy && !restarting && storage?.condition.reason !== 'Expanding') || phase === 'Suspended' || phase === 'ManualMaintenance';
  if (!settledPhase) return { requeueAfterMs: deps.progressRequeueMs ?? 5_000 };
  // With the cluster manager, a settled cluster still comes back every pullInterval.
  return manager ? { requeueAfterMs: Math.max(1_000, Date.parse(manager.nextClusterManagerInvocation) - now()) } : undefined;
}

interface ManagerStatus {
  clusterManagerResponse: { status: string; description: string };
  nextClusterManagerInvocation: string;
}

/**
 * For a cluster that uses the cluster manager, once every pullInterval: the manage call, told to do
 * nothing while the cluster is paused, suspended or in another operation. Returns what the
 * status should say (the previous answer when no call was due).
 */
async function invokeClusterManager(
  deps: ClusterReconcilerDeps,
  object: KubeObject,
  cluster: QdrantCluster,
  observed: ObservedState,
  operation: string | undefined,
  now: number,
  pullIntervalSeconds: number,
): Promise<ManagerStatus | undefined> {
  if (!usesClusterManager(cluster, deps.settings()) || !deps.clusterManager) return undefined;
  const previous = cluster.status;
  const next = previous?.nextClusterManagerInvocation;
  if (next && Date.parse(next) > now && previous?.clusterManagerResponse) {
    return {
      clusterManagerResponse: { status: previous.clusterManagerResponse.status ?? '', description: previous.clusterManagerResponse.description ?? '' },
      nextClusterManagerInvocation: next,
    };
  }
  const phase = previous?.phase;
  const blockedBy = cluster.spec.pauses?.length
    ? `the cluster is paused (${cluster.spec.pauses.map((p) => p.owner ?? 'someone').join(', ')})`
    : cluster.spec.suspend
      ? 'the cluster is suspended'
      : operation
        ? operation
        : phase && phase !== 'Healthy'
          ? `the cluster is ${phase}`
          : undefined;
  const nodes = observed.pods
    .map((p) => ({ index: Number(p.metadata.name!.slice(p.metadata.name!.lastIndexOf('-') + 1)), ready: isReady(p) }))
    .toSorted((a, b) => a.index - b.index);
  const response = await deps.clusterManager.invoke(cluster, nodes, blockedBy, rebalanceStrategyOf(cluster, deps.settings()));
  if (response.status !== previous?.clusterManagerResponse?.status || response.status === 'Rebalanced' || response.status === 'Recovered') {
    const note = response.description.length > 0 ? response.description : response.status;
    await deps.recorder.record(object, {
      type: response.status === 'Failed' ? 'Warning' : 'Normal',
      reason: `ClusterManager${response.status}`,
      note,
      action: 'Manage',
    });
  }
  // A failed call is retried under the settings' backoff (minDelay, then + increment each
  // time, up to maxDelay), never sooner than pullInterval; a success resets it.
  const key = `${cluster.metadata.namespace}/${cluster.metadata.name}`;
  const failures = response.status === 'Failed' ? (deps.managerFailures?.get(key) ?? 0) + 1 : 0;
  if (failures > 0) deps.managerFailures?.set(key, failures);
  else deps.managerFailures?.delete(key);
  const backOff = deps.settings().settings.backOff;
  const delaySeconds =
    failures > 0 ? Math.max(pullIntervalSeconds, Math.min(backOff.maxDelay, backOff.minDelay + backOff.increment * (failures - 1))) : pullIntervalSeconds;
  return {
    clusterManagerResponse: { status: response.status, description: response.description },
    nextClusterManagerInvocation: new Date(now + delaySeconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

/** When the operation in progress must be done: operationTimeout after Progressing became True. */
function operationDeadline(cluster: QdrantCluster, timeoutSeconds: number, now: number): number {
  const since = cluster.status?.conditions?.find((c) => c.type === 'Progressing' && c.status === 'True')?.lastTransitionTime;
  return (since ? Date.parse(since) : now) + timeoutSeconds * 1000;
}

function withStatus(cluster: QdrantCluster, status: Partial<NonNullable<QdrantCluster['status']>>): QdrantCluster {
  return { ...cluster, status: { ...cluster.status, ...status } };
}

/**
 * Removes objects of this cluster (by label and owner uid) that the desired set no longer
 * has, after the desired ones were applied: an object that moved to a new name (the
 * NetworkPolicy and Ingress left `qdrant-<id>`, which users write themselves) exists under
 * its new name before the old one goes, so the pods are never without their policy.
 */
async function prune(deps: ClusterReconcilerDeps, object: KubeObject, cluster: QdrantCluster, keep: Set<string>): Promise<void> {
  const labels = { [LABEL_CLUSTER_ID]: cluster.spec.id, 'app.kubernetes.io/managed-by': MANAGED_BY };
  for (const kind of OWNED_KINDS) {
    for (const item of deps.cache.list(kind, cluster.metadata.namespace, labels)) {
      const owned = item.metadata.ownerReferences?.some((o) => o.uid === cluster.metadata.uid);
      if (!owned || keep.has(`${kind.kind}/${item.metadata.name}`) || item.metadata.deletionTimestamp) continue;
      // A list's items may lack apiVersion and kind; the request needs them.
      await removeUnwanted(deps, object, cluster, { ...item, apiVersion: kind.apiVersion, kind: kind.kind });
    }
  }
}

async function removeUnwanted(deps: ClusterReconcilerDeps, object: KubeObject, cluster: QdrantCluster, item: KubeObject): Promise<void> {
  const what = `${item.kind}/${item.metadata.name}`;
  // Only the names an earlier operator used (which users write too) may be released.
  const releasable = legacyOperatorObjectNames(cluster.spec.id).some((l) => l.kind === item.kind && l.name === item.metadata.name);
  const result = await removeOrRelease(deps.client, item, FIELD_MANAGER, releasable);
  if (result.outcome === 'release-failed') {
    deps.logger.warn('release failed', { namespace: cluster.metadata.namespace, name: cluster.metadata.name, object: what, error: result.error });
    await deps.recorder.record(object, { type: 'Warning', reason: 'ReleaseFailed', note: `${what} could not be released: ${result.error}`, action: 'Prune' });
    return;
  }
  deps.logger.info(result.outcome === 'deleted' ? 'pruned' : 'released', { namespace: cluster.metadata.namespace, name: cluster.metadata.name, object: what });
  if (result.outcome === 'released') {
    const writers = otherWriters(item, FIELD_MANAGER).join(', ');
    await deps.recorder.record(object, {
      type: 'Normal',
      reason: 'Released',
      note: `${what} is no longer the operator's; ${writers} also wrote it, so it was left in place without the operator's fields`,
      action: 'Prune',
    });
  }
}

async function listPodsFresh(deps: ClusterReconcilerDeps, cluster: QdrantCluster): Promise<ObservedState['pods']> {
  const selector = Object.entries(podSelector(cluster))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = await deps.client.list({ apiVersion: 'v1', kind: 'Pod' }, { namespace: cluster.metadata.namespace, labelSelector: selector });
  return pods.items as ObservedState['pods'];
}

function listClaims(deps: ClusterReconcilerDeps, cluster: QdrantCluster): Claim[] {
  return deps.cache.list<Claim>(CLAIM, cluster.metadata.namespace, { [LABEL_CLUSTER_ID]: cluster.spec.id });
}

function observe(deps: ClusterReconcilerDeps, cluster: QdrantCluster, failure: ObservedState['failure'], appliedSts: KubeObject | undefined): ObservedState {
  const statefulSet = appliedSts ?? deps.cache.get(STATEFUL_SET, cluster.metadata.namespace, statefulSetName(cluster.spec.id));
  const pods = deps.cache.list(POD, cluster.metadata.namespace, podSelector(cluster)).filter((p) => !p.metadata.deletionTimestamp);
  return { cluster, statefulSet: statefulSet as ObservedState['statefulSet'], pods: pods as ObservedState['pods'], failure };
}

async function writeStatus(
  deps: ClusterReconcilerDeps,
  cluster: QdrantCluster,
  observed: ObservedState,
  extra: { claims: ObservedClaim[]; deleting: number[]; storage?: Pick<Condition, 'type' | 'status' | 'reason' | 'message'>; manager?: ManagerStatus },
): Promise<{ phase: ClusterPhase; reason: string }> {
  const derived = deriveStatus(observed);
  const now = new Date(deps.now?.() ?? Date.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  const generation = (cluster.metadata.generation as number | undefined) ?? 0;
  const previousStorage = cluster.status?.conditions?.find((c) => c.type === 'StorageResize');
  const storage =
    extra.storage ??
    (previousStorage && { type: previousStorage.type, status: previousStorage.status, reason: previousStorage.reason, message: previousStorage.message });
  const status = {
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
      (usesClusterManager(cluster, deps.settings()) && cluster.status?.clusterManagerResponse && cluster.status.nextClusterManagerInvocation
        ? { clusterManagerResponse: cluster.status.clusterManagerResponse, nextClusterManagerInvocation: cluster.status.nextClusterManagerInvocation }
        : {})),
    // Absent rather than empty: the CRD's structural schema reads an empty object as null.
    ...(observed.pods.length > 0
      ? { nodes: nodeStatuses(observed.pods, extra.claims, (pod) => databaseClaimName(cluster, Number(pod.slice(pod.lastIndexOf('-') + 1)))) }
      : {}),
    conditions: mergeConditions(cluster.status?.conditions, storage ? [...derived.conditionsWanted, storage] : derived.conditionsWanted, now, generation),
  };
  const previous = cluster.status;
  // Order-insensitive: the apiserver and zod may order keys differently than we build them.
  const unchanged = previous !== undefined && isSubset(status, previous) && Object.keys(previous).every((k) => k in status);
  if (!unchanged) {
    await deps.client.applyStatus(
      {
        apiVersion: 'qdrant.io/v1',
        kind: 'QdrantCluster',
        metadata: { name: cluster.metadata.name, namespace: cluster.metadata.namespace },
        status,
      } as KubeObject,
      { fieldManager: STATUS_FIELD_MANAGER },
    );
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
