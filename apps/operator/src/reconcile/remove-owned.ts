import type { KubeClient, KubeObject } from '@qhc/kube';

interface ManagedFieldsEntry {
  manager?: string;
  subresource?: string;
}

/**
 * Who besides `ours` wrote the object's spec or metadata, per its managedFields. Status
 * writers (an ingress controller filling status.loadBalancer, the disruption controller)
 * do not count: they report on an object, they did not write it.
 */
export function otherWriters(object: KubeObject, ours: string): string[] {
  const entries = (object.metadata.managedFields as ManagedFieldsEntry[] | undefined) ?? [];
  return [...new Set(entries.filter((e) => e.subresource !== 'status' && e.manager && e.manager !== ours).map((e) => e.manager!))];
}

export type RemoveOutcome = { outcome: 'deleted' } | { outcome: 'released' } | { outcome: 'release-failed'; error: string };

/**
 * Removes an object the operator no longer wants. Only an object under one of the names an
 * earlier operator used (`releasable`: legacyOperatorObjectNames, names users also write,
 * e.g. a NetworkPolicy `qdrant-<id>` as the seed shows) that others wrote too is released:
 * an empty apply under qhc's manager drops the fields only qhc owned (its labels, owner
 * reference, rules) and leaves the user's, so it survives the cluster. Everything else, under
 * qhc's own names, is deleted even when someone annotated or labelled it: an empty apply of
 * e.g. an Ingress is refused (its spec needs rules), which would fail every pass.
 * Both carry the listed uid as precondition: a delete never hits a new object of the same
 * name, and a release of an object deleted since it was listed is refused (uid mismatch)
 * instead of creating an empty object (for a NetworkPolicy, a namespace-wide deny-all).
 * A refused release is reported, not thrown: the cluster's pass goes on.
 */
export async function removeOrRelease(client: KubeClient, object: KubeObject, fieldManager: string, releasable: boolean): Promise<RemoveOutcome> {
  const { apiVersion, kind } = object;
  const { name, namespace, uid } = object.metadata;
  if (releasable && otherWriters(object, fieldManager).length > 0) {
    try {
      await client.apply({ apiVersion, kind, metadata: { name, namespace, uid } }, { fieldManager, force: true });
      return { outcome: 'released' };
    } catch (error) {
      return { outcome: 'release-failed', error: error instanceof Error ? error.message : String(error) };
    }
  }
  await client.delete({ apiVersion, kind, namespace, name: name! }, { propagationPolicy: 'Background', preconditions: { uid } });
  return { outcome: 'deleted' };
}
