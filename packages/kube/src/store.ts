/** Index functions by name: each gives the keys an object is filed under (none: not indexed). */
export type Indexers<T> = Record<string, (object: T) => string[]>;

/** What shapes an informer's cache; separate from InformerOptions because they are typed by T. */
export interface InformerStoreOptions<T> {
  /**
   * Applied to every object before it is stored and handed to handlers, on list and watch
   * (controller-runtime's cache transform): drop what no reader needs (managedFields, …) so
   * the cache holds what is read, not what the apiserver sent. It may change its argument.
   */
  transform?: (object: T) => T;
  /** Indexes of the cache, by name (see byIndex). */
  indexers?: Indexers<T>;
}

/**
 * An informer's cache: objects by key, and by any number of indexes (client-go's Indexer), so
 * a controller asks "the objects of this namespace / of this cluster" without scanning a kind.
 * Indexes hold keys, not copies: an object is stored once.
 */
export class IndexedStore<T> {
  private readonly items = new Map<string, T>();
  private readonly indexers: Indexers<T>;
  /** index name → index key → object keys */
  private readonly indexes = new Map<string, Map<string, Set<string>>>();
  /**
   * object key → the index keys it was filed under, per index (in the indexes' order): an
   * update or delete unfiles what was filed, even when the stored object was changed in place
   * since (a transform or a handler mutating it) or an indexer would now answer otherwise.
   */
  private readonly filed = new Map<string, string[][]>();

  constructor(indexers: Indexers<T> = {}) {
    this.indexers = indexers;
    for (const name of Object.keys(indexers)) this.indexes.set(name, new Map());
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  values(): IterableIterator<T> {
    return this.items.values();
  }

  keys(): IterableIterator<string> {
    return this.items.keys();
  }

  entries(): IterableIterator<[string, T]> {
    return this.items.entries();
  }

  set(key: string, object: T): void {
    if (this.indexes.size === 0) return void this.items.set(key, object);
    // Every indexer first: one that throws leaves the store as it was, not half filed.
    const filed = [...this.indexes.keys()].map((name) => this.indexers[name]!(object));
    this.unindex(key);
    this.items.set(key, object);
    let i = 0;
    for (const index of this.indexes.values()) {
      const values = filed[i++]!;
      for (const value of values) {
        let keys = index.get(value);
        if (!keys) index.set(value, (keys = new Set()));
        keys.add(key);
      }
    }
    this.filed.set(key, filed);
  }

  delete(key: string): void {
    if (!this.items.has(key)) return;
    this.unindex(key);
    this.items.delete(key);
  }

  /** The objects filed under `value` in index `name`; throws for an index that was never declared. */
  byIndex(name: string, value: string): T[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`no index ${name}`);
    const keys = index.get(value);
    if (!keys) return [];
    const objects: T[] = [];
    for (const key of keys) objects.push(this.items.get(key)!);
    return objects;
  }

  /** How many objects are filed under `value` in index `name`, without listing them. */
  countByIndex(name: string, value: string): number {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`no index ${name}`);
    return index.get(value)?.size ?? 0;
  }

  private unindex(key: string): void {
    const filed = this.filed.get(key);
    if (!filed) return;
    this.filed.delete(key);
    let i = 0;
    for (const index of this.indexes.values()) {
      for (const value of filed[i++]!) {
        const keys = index.get(value);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }
}
