import pg from 'pg';
import { sql } from 'kysely';
import type { Warn } from './db.ts';
import { Listeners, type RevisionFeed, type RevisionNotice } from './revision-feed.ts';

/** The channel every replica listens on for revisions: a notice names the region and its new revision. */
export const REVISION_CHANNEL = 'qhc_region_revisions';
/** The channel of revoked agent tokens: a notice names the region whose cached tokens must go. */
export const TOKENS_CHANNEL = 'qhc_agent_tokens';
/** The listening connection's application_name: how an operator (and a test) tells it in pg_stat_activity. */
export const FEED_APPLICATION_NAME = 'qhc-revision-feed';

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

export interface FeedOptions {
  /** How often the listening connection is checked with `SELECT 1`; default 30 s. */
  checkMs?: number;
  /** How long that check may take before the connection counts as lost; default 5 s. */
  checkTimeoutMs?: number;
}

/**
 * Rejects when `promise` has not settled within `ms`. A connection a NAT or firewall dropped
 * without a FIN never answers and never fails: only a deadline tells it is gone.
 */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the listening connection did not answer a check within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * PostgreSQL: NOTIFY in the transaction that moves a revision (delivered at its commit, to every
 * replica), and per replica one dedicated connection that LISTENs, outside the pool (a pooled
 * connection would be handed to queries and lose its LISTEN). When that connection breaks (the
 * server restarted), it connects again with a growing delay, and once listening again tells
 * every waiter to look: a notice sent meanwhile was lost.
 */
export function postgresRevisionFeed(connectionString: string, log: Warn, options: FeedOptions = {}): RevisionFeed {
  const listeners = new Listeners(log);
  const checkMs = options.checkMs ?? 30_000;
  const checkTimeoutMs = options.checkTimeoutMs ?? 5_000;
  let client: pg.Client | undefined;
  let live = false;
  let epoch = 0;
  let check: NodeJS.Timeout | undefined;
  let liveSince = 0;
  let closed = false;
  let started = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;

  const lost = (which: pg.Client, error?: Error) => {
    if (which !== client) return;
    client = undefined;
    clearTimeout(check);
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
  // TCP keepalive alone would notice a silently dropped connection only after the kernel's
  // probes (hours by default; its interval and count are not settable from Node): a periodic
  // cheap query bounds it to checkMs + checkTimeoutMs, and also catches a server that stopped answering.
  const watch = (which: pg.Client) => {
    check = setTimeout(() => {
      within(which.query('SELECT 1'), checkTimeoutMs).then(
        () => which === client && watch(which),
        (error: Error) => lost(which, error),
      );
    }, checkMs);
    check.unref();
  };
  const listen = async () => {
    const next = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000, keepAlive: true, application_name: FEED_APPLICATION_NAME });
    client = next;
    next.on('notification', (message) => {
      if (message.channel === TOKENS_CHANNEL && message.payload) return listeners.emit({ regionId: message.payload, tokens: true });
      const notice = message.channel === REVISION_CHANNEL ? parseNotice(message.payload) : undefined;
      if (notice) listeners.emit(notice);
    });
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${REVISION_CHANNEL}; LISTEN ${TOKENS_CHANNEL}`);
    } catch (error) {
      lost(next, error as Error);
      return;
    }
    if (client !== next) return;
    live = true;
    epoch++;
    liveSince = Date.now();
    watch(next);
    // Level-based: whatever was announced while no connection listened, every waiter looks again.
    listeners.emit('all');
  };

  return {
    async moved(db, regionId, revision) {
      await sql`SELECT pg_notify(${REVISION_CHANNEL}, ${noticePayload(regionId, revision)})`.execute(db.q);
    },
    async tokensChanged(db, regionId) {
      await sql`SELECT pg_notify(${TOKENS_CHANNEL}, ${regionId})`.execute(db.q);
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
    get epoch() {
      return epoch;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      clearTimeout(check);
      const last = client;
      client = undefined;
      live = false;
      await last?.end().catch(() => undefined);
    },
  };
}
