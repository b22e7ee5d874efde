import pg from 'pg';
import { sql } from 'kysely';
import type { Warn } from './db.ts';
import { Listeners, type RevisionFeed, type RevisionNotice } from './revision-feed.ts';

/** The one channel every replica listens on: a notice names the region and its new revision. */
export const REVISION_CHANNEL = 'qhc_region_revisions';

/** `<region id>:<revision>`, the revision empty when the region was deleted. */
export const noticePayload = (regionId: string, revision: number | null) => `${regionId}:${revision ?? ''}`;

export function parseNotice(payload: string | undefined): RevisionNotice | undefined {
  const at = payload?.lastIndexOf(':') ?? -1;
  if (!payload || at <= 0) return undefined;
  const revision = payload.slice(at + 1);
  return { regionId: payload.slice(0, at), revision: revision === '' ? null : Number(revision) };
}

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;
/**
 * A connection that listened this long before it broke was healthy: the next reconnect starts
 * from the shortest delay again. One that breaks sooner (a proxy or a server that cuts it at
 * once) keeps backing off: each loss and each reconnect wakes every waiting long-poll to look.
 */
const STABLE_MS = 30_000;

/**
 * PostgreSQL: NOTIFY in the transaction that moves a revision (delivered at its commit, to every
 * replica), and per replica one dedicated connection that LISTENs, outside the pool (a pooled
 * connection would be handed to queries and lose its LISTEN). When that connection breaks (the
 * server restarted), it connects again with a growing delay, and once listening again tells
 * every waiter to look: a notice sent meanwhile was lost.
 */
export function postgresRevisionFeed(connectionString: string, log: Warn): RevisionFeed {
  const listeners = new Listeners(log);
  let client: pg.Client | undefined;
  let live = false;
  let liveSince = 0;
  let closed = false;
  let started = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;

  const lost = (which: pg.Client, error?: Error) => {
    if (which !== client) return;
    client = undefined;
    const wasLive = live;
    if (live && Date.now() - liveSince >= STABLE_MS) failures = 0;
    live = false;
    which.end().catch(() => undefined);
    if (closed) return;
    // Waiting long-polls look once now and then fall back to polling until LISTEN is back: the
    // database may be down (each answers Unavailable at once, as the agent expects, instead of
    // sleeping to its deadline), or only this connection broke (notices would be missed).
    // Only when it goes from live to lost, so a flapping reconnect does not wake them each time.
    if (wasLive) listeners.emit('all');
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** failures++);
    log.warn('the database connection listening for revisions was lost; connecting again', { error: error?.message, retryMs: delay });
    retry = setTimeout(listen, delay);
  };
  const listen = async () => {
    const next = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000, keepAlive: true });
    client = next;
    next.on('notification', (message) => {
      const notice = message.channel === REVISION_CHANNEL ? parseNotice(message.payload) : undefined;
      if (notice) listeners.emit(notice);
    });
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${REVISION_CHANNEL}`);
    } catch (error) {
      lost(next, error as Error);
      return;
    }
    if (client !== next) return;
    live = true;
    liveSince = Date.now();
    // Level-based: whatever was announced while no connection listened, every waiter looks again.
    listeners.emit('all');
  };

  return {
    async moved(db, regionId, revision) {
      await sql`SELECT pg_notify(${REVISION_CHANNEL}, ${noticePayload(regionId, revision)})`.execute(db.q);
    },
    subscribe(listener) {
      const unsubscribe = listeners.add(listener);
      if (!started && !closed) {
        started = true;
        void listen();
      }
      return unsubscribe;
    },
    get live() {
      return live;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const last = client;
      client = undefined;
      live = false;
      await last?.end().catch(() => undefined);
    },
  };
}
