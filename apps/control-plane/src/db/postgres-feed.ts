import pg from 'pg';
import { sql } from 'kysely';
import type { Db, Warn } from './db.ts';
import { Listeners, type FeedNotice, type RevisionFeed, type RevisionListener, type RevisionNotice } from './revision-feed.ts';

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
 * server restarted) or stops answering its periodic check, it connects again with a growing
 * delay, and once listening again tells every waiter to look: a notice sent meanwhile was lost.
 */
export function postgresRevisionFeed(connectionString: string, log: Warn, options: FeedOptions = {}): RevisionFeed {
  return new PostgresFeed(connectionString, log, options);
}

class PostgresFeed implements RevisionFeed {
  private readonly listeners: Listeners;
  private readonly connectionString: string;
  private readonly log: Warn;
  private readonly checkMs: number;
  private readonly checkTimeoutMs: number;
  private client: pg.Client | undefined;
  private isLive = false;
  private liveEpoch = 0;
  private liveSince = 0;
  private closed = false;
  private started = false;
  private failures = 0;
  private retry: NodeJS.Timeout | undefined;
  private check: NodeJS.Timeout | undefined;

  constructor(connectionString: string, log: Warn, options: FeedOptions) {
    this.listeners = new Listeners(log);
    this.connectionString = connectionString;
    this.log = log;
    this.checkMs = options.checkMs ?? 30_000;
    this.checkTimeoutMs = options.checkTimeoutMs ?? 5_000;
  }

  get live(): boolean {
    return this.isLive;
  }

  get epoch(): number {
    return this.liveEpoch;
  }

  async moved(db: Db, regionId: string, revision: number | null): Promise<void> {
    await sql`SELECT pg_notify(${REVISION_CHANNEL}, ${noticePayload(regionId, revision)})`.execute(db.q);
    // This replica hears its own change at its commit, not a moment later when the NOTIFY comes
    // back: what it answers next (from memory too) already holds it. Hearing it twice is harmless.
    db.afterCommit(() => this.listeners.emit({ regionId, revision }));
  }

  async tokensChanged(db: Db, regionId: string, revokedIds: string[]): Promise<void> {
    // Nothing revoked (a region's first registration): nothing to announce.
    if (revokedIds.length === 0) return;
    await sql`SELECT pg_notify(${TOKENS_CHANNEL}, ${tokensPayload(regionId, revokedIds)})`.execute(db.q);
    db.afterCommit(() => this.listeners.emit({ regionId, tokens: revokedIds }));
  }

  subscribe(listener: RevisionListener): () => void {
    const unsubscribe = this.listeners.add(listener);
    if (!this.started && !this.closed) {
      this.started = true;
      void this.listen();
    }
    return unsubscribe;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    clearTimeout(this.check);
    const last = this.client;
    this.client = undefined;
    this.isLive = false;
    await last?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const next = new pg.Client({
      connectionString: this.connectionString,
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
      application_name: FEED_APPLICATION_NAME,
    });
    this.client = next;
    next.on('notification', (message) => {
      const notice = noticeOf(message.channel, message.payload);
      if (notice) this.listeners.emit(notice);
    });
    next.on('error', (error) => this.lost(next, error));
    next.on('end', () => this.lost(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${REVISION_CHANNEL}; LISTEN ${TOKENS_CHANNEL}`);
    } catch (error) {
      this.lost(next, error as Error);
      return;
    }
    if (this.client !== next) return;
    this.isLive = true;
    this.liveEpoch++;
    this.liveSince = Date.now();
    this.watch(next);
    // Level-based: whatever was announced while no connection listened, every waiter looks again.
    this.listeners.emit('all');
  }

  // TCP keepalive alone would notice a silently dropped connection only after the kernel's
  // probes (two hours and more by default; Node sets the idle time, not their interval or
  // count): a periodic cheap query bounds it to checkMs + checkTimeoutMs, and also catches a
  // server that holds the connection but no longer answers.
  private watch(which: pg.Client): void {
    this.check = setTimeout(() => {
      within(which.query('SELECT 1'), this.checkTimeoutMs).then(
        () => which === this.client && this.watch(which),
        (error: Error) => this.lost(which, error),
      );
    }, this.checkMs);
    this.check.unref();
  }

  private lost(which: pg.Client, error?: Error): void {
    if (which !== this.client) return;
    this.client = undefined;
    clearTimeout(this.check);
    const wasLive = this.isLive;
    if (wasLive && Date.now() - this.liveSince >= STABLE_MS) this.failures = 0;
    this.isLive = false;
    which.end().catch(() => undefined);
    if (this.closed) return;
    // Waiting long-polls look once now and then fall back to polling until LISTEN is back: the
    // database may be down (each answers Unavailable at once, as the agent expects, instead of
    // sleeping to its deadline), or only this connection broke (notices would be missed).
    // Only when it goes from live to lost, so a flapping reconnect does not wake them each time.
    if (wasLive) this.listeners.emit('all');
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.failures++);
    this.log.warn('the database connection listening for revisions was lost; connecting again', { error: error?.message, retryMs: delay });
    this.retry = setTimeout(() => void this.listen(), delay);
  }
}

/** The notice a NOTIFY on one of the feed's channels carries, if it is one. */
function noticeOf(channel: string, payload: string | undefined): FeedNotice | undefined {
  if (channel === TOKENS_CHANNEL) return parseTokensNotice(payload);
  return channel === REVISION_CHANNEL ? parseNotice(payload) : undefined;
}

/** NOTIFY's payload is at most 8000 bytes: past this many ids the notice names none ('all' of the region's). */
const MAX_NAMED_TOKENS = 100;

/** `<region id>:<id>,<id>…`, or `<region id>:*` for all of the region's tokens. */
export const tokensPayload = (regionId: string, revokedIds: string[]) => `${regionId}:${revokedIds.length > MAX_NAMED_TOKENS ? '*' : revokedIds.join(',')}`;

export function parseTokensNotice(payload: string | undefined): FeedNotice | undefined {
  const at = payload?.lastIndexOf(':') ?? -1;
  if (!payload || at <= 0 || at === payload.length - 1) return undefined;
  const ids = payload.slice(at + 1);
  return { regionId: payload.slice(0, at), tokens: ids === '*' ? 'all' : ids.split(',') };
}
