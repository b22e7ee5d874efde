import type { Db, Warn } from './db.ts';

/** A region's revision moved (to `revision`), or the region is gone (null). */
export interface RevisionNotice {
  regionId: string;
  revision: number | null;
}

/**
 * Agent tokens of the region were revoked: a replica's cached copies of them must go. Named by
 * id, so the notice (heard twice by the replica that made it: at its commit and back from
 * PostgreSQL) never drops the token issued in the same transaction; 'all': too many to name.
 */
export interface TokensNotice {
  regionId: string;
  tokens: string[] | 'all';
}

/** What a feed carries: a notice, or 'all': notices may have been missed (the listening connection was down), so every waiter looks again. */
export type FeedNotice = RevisionNotice | TokensNotice | 'all';
export type RevisionListener = (notice: FeedNotice) => void;

export const isTokensNotice = (notice: FeedNotice): notice is TokensNotice => notice !== 'all' && 'tokens' in notice;

/**
 * How a moved revision reaches the long-polls waiting for it: announced with the transaction that
 * moved it (delivered only once it commits), heard by every replica of the database.
 */
export interface RevisionFeed {
  /** Announces, with `db`'s transaction, that the region's revision moved (null: the region was deleted). */
  moved(db: Db, regionId: string, revision: number | null): Promise<void>;
  /** Announces, with `db`'s transaction, that these agent tokens of the region were revoked: replicas drop their cached copies. */
  tokensChanged(db: Db, regionId: string, revokedIds: string[]): Promise<void>;
  /** Calls `listener` for every notice from now on; answers the unsubscribe. */
  subscribe(listener: RevisionListener): () => void;
  /** Whether notices arrive now: false while PostgreSQL's listening connection is down. */
  readonly live: boolean;
  /**
   * Moves each time notices start arriving again (a new listening connection): what a replica
   * caches while live holds only as long as live stays true and this stays the same.
   */
  readonly epoch: number;
  close(): Promise<void>;
}

/**
 * The listeners of a feed, which may each throw without stopping the others: a notice is emitted
 * after a commit (a throw would fail a request whose change is made) or from the LISTEN
 * connection's parser (a throw would end the process). A throw is logged.
 */
export class Listeners {
  private readonly listeners = new Set<RevisionListener>();
  private readonly log: Warn;
  constructor(log: Warn) {
    this.log = log;
  }
  add(listener: RevisionListener): () => void {
    // Its own entry: one listener added twice is called twice, and each unsubscribe removes one.
    const entry: RevisionListener = (notice) => listener(notice);
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }
  emit(notice: FeedNotice): void {
    for (const listener of this.listeners) {
      try {
        listener(notice);
      } catch (error) {
        this.log.warn('a listener of revision notices failed', { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
}

/** SQLite: one replica, so the announcement stays in the process, made once the transaction commits. */
export function localRevisionFeed(log: Warn): RevisionFeed {
  const listeners = new Listeners(log);
  return {
    async moved(db, regionId, revision) {
      db.afterCommit(() => listeners.emit({ regionId, revision }));
    },
    async tokensChanged(db, regionId, revokedIds) {
      if (revokedIds.length > 0) db.afterCommit(() => listeners.emit({ regionId, tokens: revokedIds }));
    },
    subscribe: (listener) => listeners.add(listener),
    live: true,
    epoch: 0,
    close: async () => undefined,
  };
}
