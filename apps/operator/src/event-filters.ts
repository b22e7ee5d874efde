// Which watch events start a pass: what changed of an object, as a pass reads it.
import { PRIORITY, type InformerHandlers, type KubeObject } from '@qhc/kube';

type Routes = Required<InformerHandlers<KubeObject>>;
import { isReady, type ObservedPod } from './status.ts';
import { FINALIZER } from './reconcile/cluster.ts';

/** What a pass reads of an owned object changed (the cache keeps only that): not a resync, not a version bump alone. */
export function readChanged(now: KubeObject, old: KubeObject): boolean {
  if (now === old) return false;
  const { resourceVersion: _a, managedFields: _b, ...nowMeta } = now.metadata;
  const { resourceVersion: _c, managedFields: _d, ...oldMeta } = old.metadata;
  return JSON.stringify({ ...now, metadata: nowMeta }) !== JSON.stringify({ ...old, metadata: oldMeta });
}

/**
 * An owned object appearing with progress its creating pass could not have seen: a StatefulSet
 * its controller has already observed (a creation's own ADDED event has no observedGeneration).
 * Only a relist after the watch expired (410 Gone) delivers one so, once the informer has synced:
 * the rollout's updates happened while no watch was open, and no later event may come (the pods
 * all ready), so its cluster is woken here rather than at the next resync.
 */
export function addedWithProgress(object: KubeObject, synced: boolean): boolean {
  const status = (object as { status?: { observedGeneration?: number } }).status;
  return synced && object.kind === 'StatefulSet' && status?.observedGeneration !== undefined;
}

type ReportedClaim = KubeObject & { spec?: { storageClassName?: string }; status?: { phase?: string; capacity?: Record<string, string> } };

const claimReport = (o: ReportedClaim) => JSON.stringify([o.spec?.storageClassName, o.status?.phase, o.status?.capacity]);

/** What the nodes' details say of a claim (status.ts): its class, phase and capacity. */
export function claimReportChanged(now: KubeObject, old: KubeObject): boolean {
  return claimReport(now) !== claimReport(old);
}

/** A pod's status as the cluster's status reports it: readiness, phase, conditions, restarts. */
export function podStatusChanged(now: KubeObject, old: KubeObject): boolean {
  if (now.metadata.deletionTimestamp !== old.metadata.deletionTimestamp) return true;
  const [a, b] = [now as unknown as ObservedPod, old as unknown as ObservedPod];
  return isReady(a) !== isReady(b) || JSON.stringify(a.status) !== JSON.stringify(b.status);
}

/**
 * A change worth a pass: the spec (generation), or metadata the operator acts on. The
 * operator's own status writes are not: they would start a pass right after every pass, and
 * bypass the backoff that spaces out retries of a failing one.
 */
export function specOrMetaChanged(now: KubeObject, old: KubeObject): boolean {
  const a = now.metadata;
  const b = old.metadata;
  return (
    a.generation !== b.generation ||
    a.deletionTimestamp !== b.deletionTimestamp ||
    JSON.stringify(a.annotations ?? {}) !== JSON.stringify(b.annotations ?? {}) ||
    JSON.stringify(a.labels ?? {}) !== JSON.stringify(b.labels ?? {}) ||
    finalizersChanged(a.finalizers ?? [], b.finalizers ?? [])
  );
}

const othersFinalizers = (list: string[]) => JSON.stringify(list.filter((f) => f !== FINALIZER));

/** Another's finalizers: not the one of an earlier version coming or going (a pass removes it). */
function finalizersChanged(now: string[], old: string[]): boolean {
  return othersFinalizers(now) !== othersFinalizers(old);
}

/**
 * A spec no pass has acted on yet (its status has not observed this generation): a cluster
 * created, or changed, while no operator led; also one being deleted (the apiserver bumps the
 * generation of an object with finalizers when it marks it), whose pass is a request at most.
 */
export function specUnobserved(cluster: KubeObject): boolean {
  const observed = (cluster as { status?: { observedGeneration?: number } }).status?.observedGeneration;
  return observed === undefined || observed < (cluster.metadata.generation ?? 0);
}

/**
 * Which of a QdrantCluster's events queue it, and at which priority. What no change brought
 * goes behind what one did (controller-runtime's priority queue): the clusters of the first
 * list that the operator has already acted on, and a resync's (each re-delivered as it is: a
 * pass as a safety net). A cluster whose pod turns ready while thousands are resynced is
 * reported at once, not after them. A first-listed spec no pass has acted on is a change: it
 * goes ahead of its own pods' progress, so thousands created at once are all applied before
 * the passes that report how their first pods are doing (each of which would be a status
 * write, and whose pods move on meanwhile: one later pass reports several steps).
 */
export function clusterEventRoutes(
  enqueue: (cluster: KubeObject, priority?: number) => void,
  synced: () => boolean,
  forget: (cluster: KubeObject) => void,
): Routes {
  return {
    add: (o) => enqueue(o, synced() || specUnobserved(o) ? PRIORITY.normal : PRIORITY.low),
    update: (now, old) => {
      if (now === old) enqueue(now, PRIORITY.low);
      else if (specOrMetaChanged(now, old)) enqueue(now);
    },
    delete: (o) => {
      forget(o);
      enqueue(o);
    },
  };
}

/**
 * Which of an API-key Secret's events queue the clusters that take keys from it: any change of
 * it (their pods roll), at the normal priority; a resync (the Secret re-delivered as it is) at
 * the low one, behind the changes; a new resourceVersion alone, none.
 */
export function apiKeySecretRoutes(enqueueUsers: (secret: KubeObject, priority?: number) => void): Routes {
  return {
    add: (o) => enqueueUsers(o),
    update: (now, old) => {
      if (now === old) enqueueUsers(now, PRIORITY.low);
      else if (readChanged(now, old)) enqueueUsers(now);
    },
    delete: (o) => enqueueUsers(o),
  };
}
