import { parseQuantity, statefulSetName, type QdrantCluster } from '@qhc/schemas';
import { STORAGE_VOLUME } from '@qhc/manifests';
import type { KubeClient, KubeObject } from '@qhc/kube';

export const STORAGE_CONDITION = 'StorageResize';

export function databaseClaimName(cluster: QdrantCluster, node: number): string {
  return databaseClaimNameOf(cluster.spec.id, node);
}

/** `qdrant-storage-qdrant-<id>-<node>`: the StatefulSet's claim of a node's database volume. */
export function databaseClaimNameOf(clusterId: string, node: number): string {
  return `${STORAGE_VOLUME}-${statefulSetName(clusterId)}-${node}`;
}

export interface Claim extends KubeObject {
  spec: { storageClassName?: string; resources?: { requests?: { storage?: string } } };
  status?: { phase?: 'Pending' | 'Bound' | 'Lost'; capacity?: Record<string, string> };
}

interface ClaimTemplate {
  metadata?: { name?: string };
  spec?: { resources?: { requests?: { storage?: string } } };
}

/**
 * A StatefulSet's volumeClaimTemplates cannot change after creation, so the desired
 * StatefulSet keeps the live templates' sizes; growth goes to the PVCs themselves.
 */
export function pinClaimTemplates(desired: KubeObject, live: { spec?: { volumeClaimTemplates?: ClaimTemplate[] } } | undefined): void {
  const liveTemplates = live?.spec?.volumeClaimTemplates;
  const templates = (desired as { spec?: { volumeClaimTemplates?: ClaimTemplate[] } }).spec?.volumeClaimTemplates;
  if (!liveTemplates || !templates) return;
  for (const template of templates) {
    const size = liveTemplates.find((t) => t.metadata?.name === template.metadata?.name)?.spec?.resources?.requests?.storage;
    if (size && template.spec?.resources?.requests) template.spec.resources.requests.storage = size;
  }
}

const condition = (status: 'True' | 'False', reason: string, message: string): StorageOutcome['condition'] => ({
  type: STORAGE_CONDITION,
  status,
  reason,
  message,
});

export interface StorageOutcome {
  condition: { type: string; status: 'True' | 'False'; reason: string; message: string };
  /** PVCs patched in this pass. */
  expanded: string[];
}

/**
 * Grows the database volumes of the nodes that exist to the spec's size when their storage
 * class allows expansion; otherwise (or to shrink, which Kubernetes cannot do) it changes
 * nothing and says why in the StorageResize condition.
 */
export async function reconcileStorage(client: KubeClient, cluster: QdrantCluster, allClaims: Claim[], replicas: number): Promise<StorageOutcome> {
  // Present: the StatefulSet was built, and building it requires spec.resources.storage.
  const wanted = cluster.spec.resources!.storage!;
  const wantedBytes = parseQuantity(wanted);
  const namespace = cluster.metadata.namespace;
  const names = new Set(Array.from({ length: replicas }, (_, node) => databaseClaimName(cluster, node)));
  const claims = allClaims.filter((c) => names.has(c.metadata.name ?? ''));
  const requested = (c: Claim) => parseQuantity(c.spec.resources?.requests?.storage ?? '0');

  const larger = claims.filter((c) => requested(c) > wantedBytes);
  if (larger.length > 0) {
    return {
      expanded: [],
      condition: condition(
        'False',
        'ShrinkNotSupported',
        `volumes cannot shrink: ${larger.map((c) => c.metadata.name).join(', ')} ask ${larger[0]!.spec.resources?.requests?.storage}, the spec asks ${wanted}; they stay as they are`,
      ),
    };
  }
  const smaller = claims.filter((c) => requested(c) < wantedBytes);
  const expanded: string[] = [];
  for (const claim of smaller) {
    const className = claim.spec.storageClassName;
    const storageClass = className
      ? await client.get<KubeObject & { allowVolumeExpansion?: boolean }>({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', name: className })
      : undefined;
    if (storageClass?.allowVolumeExpansion !== true) {
      return {
        expanded,
        condition: condition(
          'False',
          'StorageClassNotExpandable',
          `storage class ${className ?? '(none)'} does not allow volume expansion: the volumes stay at ${claim.spec.resources?.requests?.storage}, the spec asks ${wanted}`,
        ),
      };
    }
    // Not bound yet: the apiserver refuses to resize it (422), every pass; it grows once bound.
    if (claim.status?.phase !== 'Bound') continue;
    await client.patch(
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name: claim.metadata.name! },
      { spec: { resources: { requests: { storage: wanted } } } },
    );
    expanded.push(claim.metadata.name!);
  }
  // A claim not provisioned yet (no capacity) gets the size it asks: that is a node being
  // created, not an expansion to wait for (nor an event to record), unless it asks less.
  const pending = claims.filter((c) => {
    const capacity = c.status?.capacity?.['storage'];
    return capacity === undefined ? requested(c) < wantedBytes : parseQuantity(capacity) < wantedBytes;
  });
  if (pending.length > 0 || expanded.length > 0) {
    return {
      expanded,
      condition: condition(
        'False',
        'Expanding',
        `${claims.length - pending.length} of ${claims.length} volumes have ${wanted}; waiting for the storage driver`,
      ),
    };
  }
  return { expanded, condition: condition('True', 'AtRequestedSize', `all ${claims.length} database volumes have ${wanted}`) };
}
