import { LABEL_CLUSTER_ID, QDRANT_API_VERSION, statefulSetName, type OperatorSettings, type QdrantCluster } from '@qhc/schemas';
import { podSelector } from '@qhc/manifests';
import type { EventRecorder, KubeClient, KubeObject, Logger } from '@qhc/kube';
import type { DrainStep } from '@qhc/qdrant';
import type { Kind, ObjectCache } from '../cache.ts';
import type { ClusterManagerLink } from '../cluster-manager.ts';
import type { QdrantAccess } from '../qdrant/access.ts';
import type { ObservedState } from '../status.ts';
import type { LiveStatefulSet } from './scale-down.ts';
import type { Claim, StorageOutcome } from './volumes.ts';

/** The finalizer earlier versions added to every cluster; a pass now removes it (cluster-read-steps.ts). */
export const FINALIZER = 'qhc.dev/cluster';
export const FIELD_MANAGER = 'qhc-operator';
export const STATUS_FIELD_MANAGER = 'qhc-operator-status';

export const QDRANT_CLUSTER: Kind = { apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' };
export const STATEFUL_SET: Kind = { apiVersion: 'apps/v1', kind: 'StatefulSet' };
export const POD: Kind = { apiVersion: 'v1', kind: 'Pod' };
const CLAIM: Kind = { apiVersion: 'v1', kind: 'PersistentVolumeClaim' };

export interface ClusterReconcilerDeps {
  client: KubeClient;
  settings: () => OperatorSettings;
  recorder: EventRecorder;
  logger: Logger;
  qdrant: QdrantAccess;
  /** The managed objects and the cluster itself, from informers (the cluster's with the operator's own writes in). */
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
  /** When each cluster's status was last written while a phase was in progress (nodeDetailsDelayMs), by key. */
  progressWrites?: Map<string, number>;
  /** How many clusters are in a phase in progress, as the clusters' cache has them (nodeDetailsDelayMs). */
  inProgress?: () => number;
  /** Observes drain steps (metrics, tests). */
  onDrainStep?: (cluster: QdrantCluster, node: number, step: DrainStep) => void;
}

export type Sts = KubeObject & LiveStatefulSet & ObservedState['statefulSet'];
export type DesiredSts = KubeObject & { spec: { replicas: number } };

export interface ManagerStatus {
  clusterManagerResponse: { status: string; description: string };
  nextClusterManagerInvocation: string;
}

/**
 * What one pass over one cluster read and decided so far. The settings are read once, when
 * the pass starts: a reload while it runs applies from the next pass, never to half of this one.
 */
export interface ClusterPass {
  readonly deps: ClusterReconcilerDeps;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly log: Logger;
  readonly settings: OperatorSettings;
  readonly now: () => number;
  /** The object as read (then with the finalizer), and the validated cluster (set by the first steps). */
  object?: KubeObject;
  parsed?: QdrantCluster;
  cluster?: QdrantCluster;
  /** Uses the cluster manager (and it is configured). */
  managed: boolean;
  /** When a drain or a restart must give up: short of handlerTimeout and within operationTimeout. */
  deadline: number;
  /** From the cache, once: claims appear through the StatefulSet controller, never within this pass. */
  claims: Claim[];
  /** What should exist; undefined while paused or when the spec cannot be built. */
  desired?: KubeObject[];
  desiredSts?: DesiredSts;
  live?: Sts;
  appliedSts?: KubeObject;
  deleting: number[];
  busy: boolean;
  restarting: boolean;
  failure?: ObservedState['failure'];
  storage?: StorageOutcome;
  observed?: ObservedState;
  manager?: ManagerStatus;
  /** What the status step wrote. */
  written?: { phase: string; reason: string; detailsDueInMs?: number };
}

export function newClusterPass(deps: ClusterReconcilerDeps, namespace: string | undefined, name: string): ClusterPass {
  return {
    deps,
    namespace,
    name,
    log: deps.logger.with({ namespace, name }),
    settings: deps.settings(),
    now: deps.now ?? Date.now,
    managed: false,
    deadline: 0,
    claims: [],
    deleting: [],
    busy: false,
    restarting: false,
  };
}

/** The pass's object and cluster; a step run before they were read is a wrong step order. */
export function loaded(pass: ClusterPass): { object: KubeObject; cluster: QdrantCluster } {
  if (!pass.object || !pass.cluster) throw new Error(`cluster ${pass.namespace}/${pass.name}: a step ran before the cluster was read and adopted`);
  return { object: pass.object, cluster: pass.cluster };
}

/** When the operation in progress must be done: operationTimeout after Progressing became True. */
export function operationDeadline(cluster: QdrantCluster, timeoutSeconds: number, now: number): number {
  const since = cluster.status?.conditions?.find((c) => c.type === 'Progressing' && c.status === 'True')?.lastTransitionTime;
  return (since ? Date.parse(since) : now) + timeoutSeconds * 1000;
}

export async function listPodsFresh(deps: ClusterReconcilerDeps, cluster: QdrantCluster): Promise<ObservedState['pods']> {
  const selector = Object.entries(podSelector(cluster))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = await deps.client.list(POD, { namespace: cluster.metadata.namespace, labelSelector: selector });
  return pods.items as ObservedState['pods'];
}

export function listClaims(deps: ClusterReconcilerDeps, cluster: QdrantCluster): Claim[] {
  return deps.cache.list<Claim>(CLAIM, cluster.metadata.namespace, { [LABEL_CLUSTER_ID]: cluster.spec.id });
}

export function observe(
  deps: ClusterReconcilerDeps,
  cluster: QdrantCluster,
  failure: ObservedState['failure'],
  appliedSts: KubeObject | undefined,
): ObservedState {
  const statefulSet = appliedSts ?? deps.cache.get(STATEFUL_SET, cluster.metadata.namespace, statefulSetName(cluster.spec.id));
  const pods = deps.cache.list(POD, cluster.metadata.namespace, podSelector(cluster)).filter((p) => !p.metadata.deletionTimestamp);
  return { cluster, statefulSet: statefulSet as ObservedState['statefulSet'], pods: pods as ObservedState['pods'], failure };
}
