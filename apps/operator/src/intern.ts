// Strings repeat across cached objects: every object of a cluster carries its namespace, its
// labels (`qhc-operator`, the cluster id), its owner's apiVersion, kind, name and uid, the
// images and names of its containers. JSON.parse makes a new copy of each per event; a heap
// snapshot at 1000 clusters held "qhc-operator" 17,764 times. Interning keeps one copy.
//
// The table is V8's own string table: a property key is always an internalized string, so
// the key of a one-property object is the one canonical copy of its text. That table is weak
// (a full GC drops the strings nothing else holds), so churn (deleted clusters, rotated
// uids) cannot grow it, with no cap to size or tune. A Map would hold its strings strongly
// (neither WeakRef nor FinalizationRegistry takes a string) and need a cap, which at
// thousands of clusters either evicts strings still shared or holds dead ones.

/** The canonical copy of `value`: equal strings interned give the same string. */
export function intern(value: string): string {
  return Object.keys({ [value]: 0 })[0]!;
}

/**
 * Replaces every string under `value` by its interned copy, in place (objects and lists are
 * not copied); `skip` names keys of `value` itself whose strings are left as they are.
 */
export function internStrings<T>(value: T, skip?: ReadonlySet<string>): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = internValue(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) if (!skip?.has(key)) record[key] = internValue(record[key]);
  return value;
}

function internValue(value: unknown): unknown {
  return typeof value === 'string' ? intern(value) : internStrings(value);
}
