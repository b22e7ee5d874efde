import {
  LABEL_CLUSTER_ID,
  safeValidateQdrantCluster,
  type ClusterPhase,
  type OperatorSettings,
  type QdrantCluster,
} from '@qhc/schemas';
import { MANAGED_BY, ManifestError, buildClusterObjects, podSelector } from '@qhc/manifests';
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
import { deriveStatus, mergeConditions, type ObservedState } from '../status.ts';
import { applyIfChanged, isSubset } from './apply-if-changed.ts';

export const FINALIZER = 'qhc.dev/cluster';
export const FIELD_MANAGER = 'qhc-operator';
export const STATUS_FIELD_MANAGER = 'qhc-operator-status';

/** The kinds a cluster owns, pruned when no longer desired. */
const OWNED_KINDS: Array<{ apiVersion: string; kind: string }> = [
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
];

export interface ClusterReconcilerDeps {
  client: KubeClient;
  settings: () => OperatorSettings;
  recorder: EventRecorder;
  logger: Logger;
  /** How long to wait before looking again at a cluster that is still converging. */
  progressRequeueMs?: number;
}

/**
 * One pass over one QdrantCluster, level-based: read what is, apply what should be, prune
 * what should not, write the status. Any step may fail or the process may die at any
 * line; the next pass starts again from what it reads.
 */
export async function reconcileCluster(deps: ClusterReconcilerDeps, key: string): Promise<ReconcileResult> {
  const { client } = deps;
  const { namespace, name } = splitKey(key);
  const ref = { apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', namespace, name };
  const log = deps.logger.with({ namespace, name });
  let object = await client.get(ref);
  if (!object) return;

  if (object.metadata.deletionTimestamp) {
    // Owned objects go by their owner references (the garbage collector); the volumes stay,
    // retained by the StatefulSet's policy, so data is only ever deleted on purpose.
    if (hasFinalizer(object, FINALIZER)) await removeFinalizer(client, object, FINALIZER);
    log.info('cluster deleted; finalizer removed');
    return;
  }

  const parsed = safeValidateQdrantCluster(object);
  if (!parsed.success) {
    await writeStatus(deps, object as unknown as QdrantCluster, { cluster: object as unknown as QdrantCluster, statefulSet: undefined, pods: [], failure: { reason: 'InvalidSpec', message: parsed.error.message } });
    await deps.recorder.record(object, { type: 'Warning', reason: 'InvalidSpec', note: parsed.error.message, action: 'Validate' });
    return;
  }
  if (!hasFinalizer(object, FINALIZER)) object = await addFinalizer(client, object, FINALIZER);
  const cluster = { ...parsed.data, metadata: { ...parsed.data.metadata, uid: object.metadata.uid, resourceVersion: object.metadata.resourceVersion } } as QdrantCluster;

  let failure: ObservedState['failure'];
  if (!cluster.spec.pauses?.length) {
    try {
      const desired = buildClusterObjects(cluster, deps.settings());
      for (const item of desired) await applyIfChanged(client, item as unknown as KubeObject, FIELD_MANAGER);
      await prune(deps, cluster, new Set(desired.map((d) => `${d.kind}/${d.metadata.name}`)));
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      failure = { reason: 'InvalidCombination', message: error.message };
      await deps.recorder.record(object, { type: 'Warning', reason: 'InvalidCombination', note: error.message, action: 'Build' });
    }
  }

  const observed = await observe(deps, cluster, failure);
  const phase = await writeStatus(deps, cluster, observed);
  return phase === 'Healthy' || phase === 'Suspended' || phase === 'ManualMaintenance' || phase.startsWith('FailedTo')
    ? undefined
    : { requeueAfterMs: deps.progressRequeueMs ?? 5_000 };
}

/** Deletes objects of this cluster (by label and owner uid) that the desired set no longer has. */
async function prune(deps: ClusterReconcilerDeps, cluster: QdrantCluster, keep: Set<string>): Promise<void> {
  const selector = `${LABEL_CLUSTER_ID}=${cluster.spec.id},app.kubernetes.io/managed-by=${MANAGED_BY}`;
  for (const kind of OWNED_KINDS) {
    const list = await deps.client.list(kind, { namespace: cluster.metadata.namespace, labelSelector: selector });
    for (const item of list.items) {
      const owned = item.metadata.ownerReferences?.some((o) => o.uid === cluster.metadata.uid);
      if (!owned || keep.has(`${kind.kind}/${item.metadata.name}`)) continue;
      await deps.client.delete({ ...kind, namespace: item.metadata.namespace, name: item.metadata.name! }, { propagationPolicy: 'Background', preconditions: { uid: item.metadata.uid } });
      deps.logger.info('pruned', { namespace: cluster.metadata.namespace, name: cluster.metadata.name, object: `${kind.kind}/${item.metadata.name}` });
    }
  }
}

async function observe(deps: ClusterReconcilerDeps, cluster: QdrantCluster, failure: ObservedState['failure']): Promise<ObservedState> {
  const namespace = cluster.metadata.namespace;
  const statefulSet = await deps.client.get({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace, name: `qdrant-${cluster.spec.id}` });
  const selector = Object.entries(podSelector(cluster)).map(([k, v]) => `${k}=${v}`).join(',');
  const pods = await deps.client.list({ apiVersion: 'v1', kind: 'Pod' }, { namespace, labelSelector: selector });
  return { cluster, statefulSet: statefulSet as ObservedState['statefulSet'], pods: pods.items as ObservedState['pods'], failure };
}

async function writeStatus(deps: ClusterReconcilerDeps, cluster: QdrantCluster, observed: ObservedState): Promise<ClusterPhase> {
  const derived = deriveStatus(observed);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const generation = (cluster.metadata.generation as number | undefined) ?? 0;
  const status = {
    phase: derived.phase,
    reason: derived.reason,
    availableNodes: derived.availableNodes,
    availableNodeIndexes: Array.from({ length: derived.currentNodes }, (_, i) => i),
    currentNodes: derived.currentNodes,
    selector: derived.selector,
    endpoint: derived.endpoint,
    ...(derived.version ? { version: derived.version } : {}),
    observedGeneration: generation,
    conditions: mergeConditions(cluster.status?.conditions, derived.conditionsWanted, now, generation),
  };
  const previous = cluster.status;
  // Order-insensitive: the apiserver and zod may order keys differently than we build them.
  const unchanged = previous !== undefined && isSubset(status, previous) && Object.keys(previous).every((k) => k in status);
  if (!unchanged) {
    await deps.client.applyStatus(
      { apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', metadata: { name: cluster.metadata.name, namespace: cluster.metadata.namespace }, status } as KubeObject,
      { fieldManager: STATUS_FIELD_MANAGER },
    );
  }
  if (previous?.phase !== derived.phase) {
    const warning = derived.phase.startsWith('FailedTo') || derived.phase === 'NotReady';
    await deps.recorder.record(cluster as unknown as KubeObject, { type: warning ? 'Warning' : 'Normal', reason: derived.phase, note: derived.reason, action: 'Reconcile' });
  }
  return derived.phase;
}
