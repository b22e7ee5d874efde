import type { KubeClient } from './client.ts';
import { KubeApiError } from './errors.ts';
import type { KubeObject } from './objects.ts';

function ref(object: KubeObject) {
  return { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name!, namespace: object.metadata.namespace };
}

/**
 * Adds a finalizer with a JSON patch that first tests the resourceVersion, so it never
 * overwrites another controller's finalizers written meanwhile; a 409/422 means "re-read
 * and retry", which the reconcile loop does anyway. Returns the updated object.
 */
export async function addFinalizer<T extends KubeObject>(client: KubeClient, object: T, finalizer: string): Promise<T> {
  const finalizers = object.metadata.finalizers ?? [];
  if (finalizers.includes(finalizer)) return object;
  const ops = [
    { op: 'test', path: '/metadata/resourceVersion', value: object.metadata.resourceVersion },
    finalizers.length === 0 && !object.metadata.finalizers
      ? { op: 'add', path: '/metadata/finalizers', value: [finalizer] }
      : { op: 'add', path: '/metadata/finalizers/-', value: finalizer },
  ];
  return client.patch<T>(ref(object), ops, { contentType: 'application/json-patch+json' });
}

/** Removes a finalizer (same precondition); a missing object counts as done. */
export async function removeFinalizer<T extends KubeObject>(client: KubeClient, object: T, finalizer: string): Promise<T | undefined> {
  const finalizers = object.metadata.finalizers ?? [];
  const index = finalizers.indexOf(finalizer);
  if (index < 0) return object;
  const ops = [
    { op: 'test', path: '/metadata/resourceVersion', value: object.metadata.resourceVersion },
    { op: 'remove', path: `/metadata/finalizers/${index}` },
  ];
  try {
    return await client.patch<T>(ref(object), ops, { contentType: 'application/json-patch+json' });
  } catch (error) {
    if (error instanceof KubeApiError && error.isNotFound) return undefined;
    throw error;
  }
}

export function hasFinalizer(object: KubeObject, finalizer: string): boolean {
  return object.metadata.finalizers?.includes(finalizer) ?? false;
}
