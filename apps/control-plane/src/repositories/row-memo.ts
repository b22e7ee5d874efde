// What a read builds from a stored row, kept for the next read of the same row. A row's whole
// content is its version: an entry is used only when every column read is what it was built
// from (a status report, a rename, a deletion, another replica's write all change a column), so
// it needs no invalidation and is right on any replica. Comparing the columns costs a fraction
// of parsing and checking their JSON again (a ListClusters page reads 100 rows on every call).

/** Freezes `value` and everything it holds: a value several requests share cannot be changed by one. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  return value;
}

const sameColumns = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Values built from rows, by row id, while the row reads the same; bounded, the least recently used go first. */
export class RowMemo<V> {
  private readonly entries = new Map<string, { columns: readonly unknown[]; value: V }>();
  readonly capacity: number;
  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** The value built from the row `id` with exactly these `columns`, else `build`'s (frozen, kept). */
  of(id: string, columns: readonly unknown[], build: () => V): V {
    const entry = this.entries.get(id);
    this.entries.delete(id);
    if (entry && sameColumns(entry.columns, columns)) {
      this.entries.set(id, entry);
      return entry.value;
    }
    const value = deepFreeze(build());
    this.entries.set(id, { columns, value });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
