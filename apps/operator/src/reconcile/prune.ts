import { LABEL_CLUSTER_ID, legacyOperatorObjectNames, type QdrantCluster } from '@qhc/schemas';
import { MANAGED_BY } from '@qhc/manifests';
import type { KubeObject } from '@qhc/kube';
import { MANAGED_KINDS, type Kind } from '../cache.ts';
import { FIELD_MANAGER, type ClusterReconcilerDeps } from './cluster-pass.ts';
import { otherWriters, removeOrRelease } from './remove-owned.ts';

/** The kinds a cluster owns, pruned when no longer desired (pods and volumes are the StatefulSet's). */
const OWNED_KINDS: Kind[] = MANAGED_KINDS.filter((k) => k.kind !== 'Pod' && k.kind !== 'PersistentVolumeClaim');

/**
 * Removes objects of this cluster (by label and owner uid) that the desired set no longer
 * has, after the desired ones were applied: an object that moved to a new name (the
 * NetworkPolicy and Ingress left `qdrant-<id>`, which users write themselves) exists under
 * its new name before the old one goes, so the pods are never without their policy.
 */
export async function prune(deps: ClusterReconcilerDeps, object: KubeObject, cluster: QdrantCluster, keep: Set<string>): Promise<void> {
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
    deps.recorder.record(object, { type: 'Warning', reason: 'ReleaseFailed', note: `${what} could not be released: ${result.error}`, action: 'Prune' });
    return;
  }
  deps.logger.info(result.outcome === 'deleted' ? 'pruned' : 'released', { namespace: cluster.metadata.namespace, name: cluster.metadata.name, object: what });
  if (result.outcome === 'released') {
    const writers = otherWriters(item, FIELD_MANAGER).join(', ');
    deps.recorder.record(object, {
      type: 'Normal',
      reason: 'Released',
      note: `${what} is no longer the operator's; ${writers} also wrote it, so it was left in place without the operator's fields`,
      action: 'Prune',
    });
  }
}
