import type { Db } from './db/db.ts';
import { LiveCache } from './db/live-cache.ts';
import { isTokensNotice } from './db/revision-feed.ts';
import { revisionAndFirstExpiry } from './repositories/database-api-keys.ts';

/** A region's revision and when its first database API key expires (ISO), read in one statement. */
export interface Seen {
  revision: number;
  firstExpiry: string | null;
}

/** How many regions' looks a replica keeps. */
export const LOOKED_REGIONS = 10_000;

/**
 * The first look of every agent long-poll, answered from memory while the revision feed is live:
 * idle agents re-polling cost the database nothing. An entry is the database's answer, dropped
 * by the region's next notice (a notice carries the revision but not the keys' first expiry, so
 * the next look reads both again) and by 'all'; the feed's epoch keeps an entry from outliving a
 * break in the notices. The caller still retires expired keys when the first expiry has passed.
 */
export class RegionLooks {
  private readonly cache: LiveCache<Seen>;
  private readonly db: Db;
  constructor(db: Db, capacity = LOOKED_REGIONS) {
    this.db = db;
    this.cache = new LiveCache(db.revisions, capacity);
    db.revisions.subscribe((notice) => {
      if (notice === 'all') this.cache.clear();
      // An entry at the notice's revision or later was read after that change committed: it stays.
      else if (!isTokensNotice(notice)) this.cache.drop(notice.regionId, (seen) => notice.revision !== null && seen.revision >= notice.revision);
    });
  }

  /** The region's revision and first expiry: from memory when it may be, otherwise read (and kept). */
  async seen(regionId: string): Promise<Seen | undefined> {
    return this.cache.get(regionId) ?? this.cache.load(regionId, () => revisionAndFirstExpiry(this.db, regionId));
  }

  /** Regions held now. */
  get size(): number {
    return this.cache.size;
  }
}
