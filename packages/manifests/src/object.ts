/** A wire-format Kubernetes object as the builders produce it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: OwnerReference[] };
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
  blockOwnerDeletion: boolean;
}

const HEAD = ['apiVersion', 'kind', 'metadata'];

/**
 * The one normalisation every builder ends with: undefined values are dropped, map keys
 * are sorted, and apiVersion/kind/metadata come first. Empty maps stay (`emptyDir: {}`,
 * `podSelector: {}` mean something). Arrays keep their order (it carries meaning:
 * containers, ports, rules). Same input, same bytes.
 */
export function normalize<T>(value: T): T {
  return normalizeValue(value, true) as T;
}

function normalizeValue(value: unknown, top: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => normalizeValue(v, false)).filter((v) => v !== undefined);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => [k, normalizeValue(v, false)] as const)
    .filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => {
    if (top) {
      const ia = HEAD.indexOf(a);
      const ib = HEAD.indexOf(b);
      if (ia >= 0 || ib >= 0) return (ia < 0 ? HEAD.length : ia) - (ib < 0 ? HEAD.length : ib);
    }
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return Object.fromEntries(entries);
}

/** Drops empty maps and lists that would only add noise (`labels: {}`). */
export function nonEmpty<T extends object>(value: T | undefined): T | undefined {
  if (value === undefined) return undefined;
  return Object.keys(value).length > 0 ? value : undefined;
}
