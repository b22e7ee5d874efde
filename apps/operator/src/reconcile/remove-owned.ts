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

/**
 * Removes an object the operator no longer wants, unless someone else also wrote it. An
 * object only qhc's field manager wrote is deleted (its uid as precondition, so a new
 * object under the same name is never hit). One that others wrote too, e.g. a user's
 * NetworkPolicy named as the seed shows (`qdrant-<id>`) that an earlier operator applied
 * over, is released instead: an empty apply under qhc's manager drops the fields only qhc
 * owned (its labels, owner reference, rules) and leaves the user's, so it survives the
 * cluster and this operator never touches it again.
 */
export async function removeOrRelease(client: KubeClient, object: KubeObject, fieldManager: string): Promise<'deleted' | 'released'> {
  const { apiVersion, kind } = object;
  const { name, namespace, uid } = object.metadata;
  if (otherWriters(object, fieldManager).length > 0) {
    await client.apply({ apiVersion, kind, metadata: { name, namespace } }, { fieldManager, force: true });
    return 'released';
  }
  await client.delete({ apiVersion, kind, namespace, name: name! }, { propagationPolicy: 'Background', preconditions: { uid } });
  return 'deleted';
}
