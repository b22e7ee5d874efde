import { createHash } from 'node:crypto';
import type { KubeClient, KubeObject } from '@qhc/kube';

/** The hash of what the operator last applied, kept on the object itself. */
export const APPLIED_HASH_ANNOTATION = 'qhc.dev/applied-hash';

/** Every field `desired` sets has the same value in `live` (lists: same length, item by item). */
export function isSubset(desired: unknown, live: unknown): boolean {
  if (Array.isArray(desired)) {
    return Array.isArray(live) && desired.length === live.length && desired.every((item, i) => isSubset(item, live[i]));
  }
  if (desired !== null && typeof desired === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) return false;
    return Object.entries(desired as Record<string, unknown>).every(([key, value]) => isSubset(value, (live as Record<string, unknown>)[key]));
  }
  return desired === live;
}

/**
 * Server-side apply only when something would change, so a resync of a converged cluster
 * writes nothing. "Nothing would change" needs both: the hash of the desired object equals
 * the one stamped at the last apply (so fields the operator stopped setting get removed by
 * a new apply), and every desired field still has its value (so drift is put back). `live`
 * is what the cache holds. Returns the object the apiserver returned when it applied.
 */
export async function applyIfChanged(
  client: KubeClient,
  desired: KubeObject,
  fieldManager: string,
  live: KubeObject | undefined,
): Promise<KubeObject | undefined> {
  const hash = createHash('sha256').update(JSON.stringify(desired)).digest('hex').slice(0, 20);
  if (live && live.metadata.annotations?.[APPLIED_HASH_ANNOTATION] === hash && isSubset(desired, live)) return undefined;
  const stamped: KubeObject = {
    ...desired,
    metadata: { ...desired.metadata, annotations: { ...desired.metadata.annotations, [APPLIED_HASH_ANNOTATION]: hash } },
  };
  return client.apply(stamped, { fieldManager });
}
