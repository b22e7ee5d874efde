import type { RevisionFeed } from './revision-feed.ts';

interface Entry<V> {
  value: V;
  epoch: number;
}

interface Load<V> {
  key: string;
  /** A notice of everything came while it read: its answer may be older than the notice. */
  stale: boolean;
  /** What its answer must pass to be kept: one test per notice of the key that came while it read. */
  tests: Array<(value: V) => boolean>;
}

/**
 * What a replica may answer from memory instead of the database: entries kept only while the
 * revision feed is live, and used only if it has stayed live since they were stored (the feed's
 * epoch is the same). A notice may have been missed otherwise, so the database is asked again.
 * The owner drops entries on the notices that change them; a read that was under way when such a
 * notice came is kept only if its answer would have stayed (it may have read the row before the
 * change). Bounded: the least
 * recently used entries go first.
 */
export class LiveCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly loads = new Set<Load<V>>();
  private readonly feed: Pick<RevisionFeed, 'live' | 'epoch'>;
  readonly capacity: number;
  constructor(feed: Pick<RevisionFeed, 'live' | 'epoch'>, capacity: number) {
    this.feed = feed;
    this.capacity = capacity;
  }

  /** The value stored since the feed has been live without a break, or undefined. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (!this.feed.live || entry.epoch !== this.feed.epoch) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  /** The value held now, whether or not it may be used (to compare a notice with it). */
  peek(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  /**
   * Reads `key` from the database and keeps the answer when `keep` allows it, the feed was live
   * before the read began and still is (same epoch), and no notice of the key came meanwhile.
   */
  async load(key: string, read: () => Promise<V | undefined>, keep: (value: V) => boolean = () => true): Promise<V | undefined> {
    const epoch = this.feed.epoch;
    const load: Load<V> = { key, stale: !this.feed.live, tests: [] };
    this.loads.add(load);
    try {
      const value = await read();
      const kept = value !== undefined && keep(value) && !load.stale && load.tests.every((test) => test(value));
      if (kept && this.feed.live && this.feed.epoch === epoch) this.set(key, value, epoch);
      return value;
    } finally {
      this.loads.delete(load);
    }
  }

  /** Drops the key's entry unless `stays` holds for it; a read of the key under way is kept only if its answer passes `stays` too. */
  drop(key: string, stays: (value: V) => boolean = () => false): void {
    const entry = this.entries.get(key);
    if (entry && !stays(entry.value)) this.entries.delete(key);
    for (const load of this.loads) if (load.key === key) load.tests.push(stays);
  }

  /** Drops every entry `which` names; no read under way is kept (what it reads is not known yet). */
  dropWhere(which: (value: V) => boolean): void {
    for (const [key, entry] of this.entries) if (which(entry.value)) this.entries.delete(key);
    for (const load of this.loads) load.stale = true;
  }

  clear(): void {
    this.dropWhere(() => true);
  }

  get size(): number {
    return this.entries.size;
  }

  private set(key: string, value: V, epoch: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, epoch });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
