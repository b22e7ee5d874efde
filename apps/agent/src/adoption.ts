import { AGENT_MANAGED_BY_LABELS, ANNOTATION_ORIGIN_CLUSTER, ANNOTATION_ORIGIN_RESTORE, ANNOTATION_ORIGIN_SNAPSHOT } from '@qhc/manifests';
import { LABEL_CLUSTER_ID, type ClusterOrigin } from '@qhc/schemas';
import type { KubeObject } from '@qhc/kube';

/** The label the agent puts on every object it applies: a QdrantCluster without it was made by someone else. */
export const MANAGED_BY = AGENT_MANAGED_BY_LABELS;

type Restore = KubeObject & { spec?: { source?: { snapshotName?: string }; destination?: { name?: string; create?: boolean } }; status?: { phase?: string } };
type Cluster = KubeObject & { spec?: Record<string, unknown> };

/**
 * For a QdrantCluster the agent did not apply: the restore that made it, or undefined when no
 * restore did (made with kubectl, or by another tool). Read from the annotations the operator
 * puts on a cluster it restores into; for one restored before those existed, from a
 * QdrantClusterRestore still in the namespace that created it, succeeded, and is no younger than it.
 */
export function restoreOrigin(cluster: Cluster, restores: Restore[]): ClusterOrigin | undefined {
  const labels = cluster.metadata.labels ?? {};
  if (labels['app.kubernetes.io/managed-by'] === MANAGED_BY['app.kubernetes.io/managed-by']) return undefined;
  const a = cluster.metadata.annotations ?? {};
  if (a[ANNOTATION_ORIGIN_RESTORE] && a[ANNOTATION_ORIGIN_SNAPSHOT]) {
    return {
      restore: a[ANNOTATION_ORIGIN_RESTORE],
      snapshot: a[ANNOTATION_ORIGIN_SNAPSHOT],
      ...(a[ANNOTATION_ORIGIN_CLUSTER] ? { sourceCluster: a[ANNOTATION_ORIGIN_CLUSTER] } : {}),
    };
  }
  // Only a restore that succeeded (the operator's phase) and a cluster made no earlier than it: a
  // cluster of that name made with kubectl while a restore is still waiting is not the restore's.
  const made = restores.find(
    (r) =>
      r.spec?.destination?.create === true &&
      r.spec.destination.name === cluster.metadata.name &&
      r.status?.phase === 'Succeeded' &&
      r.spec.source?.snapshotName &&
      notEarlier(cluster.metadata.creationTimestamp, r.metadata.creationTimestamp),
  );
  if (!made) return undefined;
  const source = made.metadata.labels?.[LABEL_CLUSTER_ID];
  return { restore: made.metadata.name!, snapshot: made.spec!.source!.snapshotName!, ...(source ? { sourceCluster: source } : {}) };
}

function notEarlier(cluster: string | undefined, restore: string | undefined): boolean {
  if (!cluster || !restore) return false;
  return Date.parse(cluster) >= Date.parse(restore);
}

/** What the control plane needs to adopt a restored cluster: its origin and its spec without `id` (the record's name). */
export function adoptionFields(cluster: Cluster, restores: Restore[]): { origin: ClusterOrigin; spec: Record<string, unknown> } | undefined {
  const origin = restoreOrigin(cluster, restores);
  if (!origin) return undefined;
  const { id: _id, ...spec } = cluster.spec ?? {};
  return { origin, spec };
}

/**
 * A QdrantCluster a restore made that the control plane has not adopted as that restore's: a
 * record of the same name made otherwise must not be applied over it (the control plane
 * reports the clash on the record instead).
 */
export function isOtherRestore(live: Cluster | undefined, desired: ClusterOrigin | undefined): boolean {
  if (!live) return false;
  const origin = restoreOrigin(live, []);
  return origin !== undefined && origin.restore !== desired?.restore;
}
