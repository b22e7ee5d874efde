import { EventEmitter } from 'node:events';
import type { Db } from './db.ts';

/** A region's revision moved (to `revision`), or the region is gone (null). */
export interface RevisionNotice {
  regionId: string;
  revision: number | null;
}

/** A notice, or 'all': notices may have been missed (the listening connection was down), so every waiter looks again. */
export type RevisionListener = (notice: RevisionNotice | 'all') => void;

/**
 * How a moved revision reaches the long-polls waiting for it: announced with the transaction that
 * moved it (delivered only once it commits), heard by every replica of the database.
 */
export interface RevisionFeed {
  /** Announces, with `db`'s transaction, that the region's revision moved (null: the region was deleted). */
  moved(db: Db, regionId: string, revision: number | null): Promise<void>;
  /** Calls `listener` for every notice from now on; answers the unsubscribe. */
  subscribe(listener: RevisionListener): () => void;
  /** Whether notices arrive now: false while PostgreSQL's listening connection is down. */
  readonly live: boolean;
  close(): Promise<void>;
}

/** The listeners of a feed, which may each throw without stopping the others. */
export class Listeners {
  private readonly events = new EventEmitter().setMaxListeners(0);
  add(listener: RevisionListener): () => void {
    this.events.on('notice', listener);
    return () => this.events.off('notice', listener);
  }
  emit(notice: RevisionNotice | 'all'): void {
    this.events.emit('notice', notice);
  }
}

/** SQLite: one replica, so the announcement stays in the process, made once the transaction commits. */
export function localRevisionFeed(): RevisionFeed {
  const listeners = new Listeners();
  return {
    async moved(db, regionId, revision) {
      db.afterCommit(() => listeners.emit({ regionId, revision }));
    },
    subscribe: (listener) => listeners.add(listener),
    live: true,
    close: async () => undefined,
  };
}
