import { createHash } from 'node:crypto';
import type { ApplyOptions, KubeClient } from './client.ts';
import type { KubeObject } from './objects.ts';

/** The default annotation that keeps, on the object itself, the hash of what was last applied. */
export const APPLIED_HASH_ANNOTATION = 'qhc.dev/applied-hash';

/**
 * Every field `desired` sets has the same value in `live` (lists: same length, item by item).
 * A `null` in `desired` matches a missing field: server-side apply stores none. So does an
 * empty list: built-in kinds drop one (`args: []`, a NetworkPolicy's `ingress: []`).
 */
export function isSubset(desired: unknown, live: unknown): boolean {
  if (desired === null) return live === null || live === undefined;
  if (Array.isArray(desired)) {
    if (desired.length === 0 && live === undefined) return true;
    return Array.isArray(live) && desired.length === live.length && desired.every((item, i) => isSubset(item, live[i]));
  }
  if (typeof desired === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) return false;
    return Object.entries(desired as Record<string, unknown>).every(([key, value]) => isSubset(value, (live as Record<string, unknown>)[key]));
  }
  return desired === live;
}

/** JSON with map keys sorted: the same object hashes the same whatever order its keys came in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .toSorted(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A short hash of an object as it would be applied. */
export function appliedHash(object: unknown): string {
  return createHash('sha256').update(canonical(object)).digest('hex').slice(0, 20);
}

/** `object` without the named annotations (fields that may change without being a change). */
export function withoutAnnotations(object: KubeObject, names: readonly string[]): KubeObject {
  const annotations = object.metadata.annotations;
  if (!annotations || !names.some((name) => name in annotations)) return object;
  const kept = Object.fromEntries(Object.entries(annotations).filter(([key]) => !names.includes(key)));
  return { ...object, metadata: { ...object.metadata, annotations: kept } };
}

export interface ApplyIfChangedOptions extends ApplyOptions {
  /** Where the hash is kept; default APPLIED_HASH_ANNOTATION. Two managers of one object need two names. */
  hashAnnotation?: string;
  /**
   * Annotations left out of the comparison (a revision stamped on every object): an object
   * that differs only there is not written, and keeps the value of its last write.
   */
  ignoreAnnotations?: readonly string[];
}

/**
 * Whether applying `desired` would change nothing: the hash of the desired object equals the
 * one stamped at the last apply (so a field no longer set is removed by a new apply), and
 * every desired field still has its value in `live` (so drift, a deleted object, or an edited
 * hash annotation is put back).
 */
export function unchanged(desired: KubeObject, live: KubeObject | undefined, options: ApplyIfChangedOptions = {}): boolean {
  return sameAsLive(withoutAnnotations(desired, options.ignoreAnnotations ?? []), live, options.hashAnnotation);
}

function sameAsLive(compared: KubeObject, live: KubeObject | undefined, hashAnnotation = APPLIED_HASH_ANNOTATION, hash = appliedHash(compared)): boolean {
  return live !== undefined && live.metadata.annotations?.[hashAnnotation] === hash && isSubset(asStored(compared), live);
}

/**
 * `object` as the apiserver keeps it, where that differs from what is sent: a core Secret's
 * `stringData` is merged into `data` (base64) and never read back, so a Secret written with it
 * would otherwise never look as desired (and be written on every pass).
 */
function asStored(object: KubeObject): KubeObject {
  const { stringData, data, ...rest } = object as KubeObject & { stringData?: Record<string, string>; data?: Record<string, string> };
  if (object.apiVersion !== 'v1' || object.kind !== 'Secret' || stringData === undefined) return object;
  const encoded = Object.fromEntries(Object.entries(stringData).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')]));
  return { ...rest, data: { ...data, ...encoded } } as KubeObject;
}

/**
 * Server-side apply only when something would change, so re-applying a converged state writes
 * nothing (see `unchanged`). `live` is what a cache or a LIST holds. Returns the object the
 * apiserver returned when it applied, undefined when nothing was sent.
 */
export async function applyIfChanged<T extends KubeObject>(
  client: KubeClient,
  desired: T,
  live: KubeObject | undefined,
  options: ApplyIfChangedOptions = {},
): Promise<T | undefined> {
  const { hashAnnotation = APPLIED_HASH_ANNOTATION, ignoreAnnotations = [], ...apply } = options;
  const compared = withoutAnnotations(desired, ignoreAnnotations);
  const hash = appliedHash(compared);
  if (sameAsLive(compared, live, hashAnnotation, hash)) return undefined;
  const stamped = { ...desired, metadata: { ...desired.metadata, annotations: { ...desired.metadata.annotations, [hashAnnotation]: hash } } };
  return client.apply(stamped, apply);
}
