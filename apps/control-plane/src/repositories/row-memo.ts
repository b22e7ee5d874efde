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

type Row = Readonly<Record<string, unknown>>;

/** Whether `row` has the columns of `kept` with the same values, `skip` aside. */
function sameRow(kept: Row, row: Row, skip: string | undefined): boolean {
  let n = 0;
  for (const column in row) {
    if (column === skip) continue;
    if (row[column] !== kept[column]) return false;
    n++;
  }
  return n === Object.keys(kept).length;
}

/** Values built from rows, by row id, while the row reads the same; bounded, the least recently used go first. */
export class RowMemo<V> {
  private readonly entries = new Map<string, { row: Row; value: V }>();
  readonly capacity: number;
  /** A column that is not the row's (a page's count): neither compared nor kept. */
  private readonly skip: string | undefined;
  constructor(capacity: number, skip?: string) {
    this.capacity = capacity;
    this.skip = skip;
  }

  /** The value built from `row` (id `id`) when every column reads as it did then, else `build`'s (frozen, kept). */
  of(id: string, row: Row, build: () => V): V {
    const entry = this.entries.get(id);
    this.entries.delete(id);
    if (entry && sameRow(entry.row, row, this.skip)) {
      this.entries.set(id, entry);
      return entry.value;
    }
    const value = deepFreeze(build());
    const kept = { ...row };
    if (this.skip !== undefined) delete kept[this.skip];
    this.entries.set(id, { row: kept, value });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
