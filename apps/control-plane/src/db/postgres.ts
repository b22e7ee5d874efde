import pg from 'pg';
import type { Logger } from '@qhc/kube';
import { ApiError, BusyError } from '../errors.ts';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import { countQueries, kyselyDb, runTransaction, type Db, type DbShared, type QueryStats } from './db.ts';
import { postgresRevisionFeed } from './postgres-feed.ts';
import type { Database } from './schema.ts';
import { ephemeralKeyRing, type KeyRing } from '../secrets/ring.ts';

// BIGINT comes back as a string by default; our counters fit a double.
pg.types.setTypeParser(20, (value) => Number(value));

type Warn = Pick<Logger, 'warn'>;

// Errors that say "the database is not reachable now" (down, restarting, shutting down, out of
// connections), not "this request is wrong": the API answers 503 and the pool reconnects later.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
// 'timeout expired': pg's own bound on opening a connection (CONNECT_TIMEOUT_MS).
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|^timeout expired$|not queryable|Client was closed/i;

export function isUnavailable(error: unknown): boolean {
  if (error instanceof ApiError) return error.status === 503;
  const e = error as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  return UNAVAILABLE_CODES.has(code) || code.startsWith('08') || UNAVAILABLE_MESSAGES.test(typeof e?.message === 'string' ? e.message : '');
}

// Text PostgreSQL cannot store (a NUL byte, an invalid sequence) is the client's mistake; SQLite takes it.
const UNSTORABLE_TEXT_CODES = new Set(['22021', '22P05']);

/** A 503 naming the database, for an error that means it cannot be reached; other errors as they are. */
function translate(error: unknown, log: Warn): unknown {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && UNSTORABLE_TEXT_CODES.has(code))
    return new ApiError(400, 'Invalid', 'the request holds text the database cannot store (a NUL byte or an invalid character); remove it');
  if (error instanceof ApiError || !isUnavailable(error)) return error;
  // The cause (host, port, PostgreSQL's words) goes to the log, not to the client.
  log.warn('the database is unavailable', { error: error instanceof Error ? error.message : String(error) });
  return new ApiError(503, 'Unavailable', 'the database is unavailable (PostgreSQL cannot be reached or is restarting); try again shortly', undefined);
}

// A deadlock or serialization failure aborts a whole transaction, which is safe to run again:
// writers that lock the region and a cluster in opposite orders (a status report and a cluster
// change) otherwise fail one of them with 500 "deadlock detected".
const RETRYABLE_CODES = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;

const isRetryable = (error: unknown) => {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && RETRYABLE_CODES.has(code);
};
/** Jittered, growing: the transactions that collided should not collide again. */
const backOff = (tries: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * tries));

// Kysely's own transaction statements: inside one, a failed statement fails the transaction
// (retried whole by `tx`), never alone.
const TX_START = new Set(['begin']);
const TX_END = new Set(['commit', 'rollback']);

/**
 * The pool Kysely draws connections from, guarded: errors translated (503, 400), a statement
 * outside a transaction run again after a deadlock, a connection's 'error' event logged rather
 * than fatal, and a connection that broke leaving the pool instead of serving the next request.
 */
function guardedPool(pool: pg.Pool, log: Warn): PostgresPool {
  // Between its queries a checked-out client has no pool listener: its 'error' must not crash.
  const onError = (error: Error) => log.warn('a database connection was closed during a transaction', { error: error.message });
  const connect = async (): Promise<PostgresPoolClient> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw translate(error, log);
    }
    client.on('error', onError);
    let inTx = false;
    let broken: unknown;
    const query = async (text: string, params: ReadonlyArray<unknown>) => {
      if (TX_START.has(text)) inTx = true;
      for (let tries = 1; ; tries++) {
        try {
          return await client.query(text, [...params]);
        } catch (error) {
          if (isUnavailable(error)) broken = error;
          if (inTx || !isRetryable(error) || tries >= MAX_ATTEMPTS) throw translate(error, log);
          await backOff(tries);
        } finally {
          if (TX_END.has(text)) inTx = false;
        }
      }
    };
    const release = (discard?: boolean) => {
      client.removeListener('error', onError);
      client.release(broken instanceof Error ? broken : broken || discard ? true : undefined);
    };
    return { query, release } as unknown as PostgresPoolClient;
  };
  return { connect, end: () => pool.end(), options: pool.options };
}

/** The most connections a replica's pool opens (--database-pool-size): 3 replicas and their LISTEN connections stay well under PostgreSQL's default max_connections (100). */
export const DEFAULT_POOL_SIZE = 10;
export const MAX_POOL_SIZE = 1000;
// Opening a connection to an unreachable server fails after 5 s (503) instead of hanging the
// request. Waiting for one of the pool's connections while all are busy is not an outage: a
// burst (a thousand agents reconnecting at once) queues for up to 30 s rather than failing.
const CONNECT_TIMEOUT_MS = 5_000;
const POOL_WAIT_MS = 30_000;
/**
 * How many requests may wait for a connection, per connection of the pool (--database-pool-queue's
 * default). Not fewer: a thousand agents on three replicas long-poll at once after a restart, and
 * at 8 per connection (80) the bench's replicas refused them; each came back a second later.
 */
export const QUEUE_PER_CONNECTION = 64;
export const MAX_POOL_QUEUE = 100_000;
/** What a refused request is told to wait: a busy pool's line moves in well under a second per connection. */
const BUSY_RETRY_AFTER_S = 1;
const BUSY_WARN_EVERY_MS = 10_000;

/** The pool's client: its own connection attempt bounded by CONNECT_TIMEOUT_MS (the pool's bound is the wait for a free one). */
class BoundedClient extends pg.Client {
  constructor(config?: pg.ClientConfig) {
    super({ ...config, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  }
}

/** A validated --database-pool-size (QHC_DATABASE_POOL_SIZE). */
export function poolSizeOf(text: string): number {
  const size = /^\d{1,4}$/.test(text.trim()) ? Number(text) : NaN;
  if (!(size >= 1 && size <= MAX_POOL_SIZE))
    throw new Error(`--database-pool-size: expected a whole number from 1 to ${MAX_POOL_SIZE}, got ${JSON.stringify(text)}`);
  return size;
}

/** A validated --database-pool-queue (QHC_DATABASE_POOL_QUEUE): 0 refuses every request that would wait. */
export function poolQueueOf(text: string): number {
  const size = /^\d{1,6}$/.test(text.trim()) ? Number(text) : NaN;
  if (!(size >= 0 && size <= MAX_POOL_QUEUE))
    throw new Error(`--database-pool-queue: expected a whole number from 0 to ${MAX_POOL_QUEUE}, got ${JSON.stringify(text)}`);
  return size;
}

/**
 * Refuses a request at once (BusyError) while `queue` others already wait for a connection: a
 * flood (junk credentials, a retry storm) then costs its own requests a refusal instead of
 * costing everyone a wait of up to POOL_WAIT_MS. Counted in `stats.busy`; told once a while.
 * Asked once per request at its entry (server.ts), never per connection: a request refused
 * halfway (its change committed, its answer or audit event not) would tell the client a lie.
 */
function admission(pool: pg.Pool, queue: number, stats: QueryStats, log: Warn): () => void {
  let toldAt = -Infinity;
  return () => {
    const waits = pool.idleCount === 0 && pool.totalCount >= (pool.options.max ?? DEFAULT_POOL_SIZE);
    if (!waits || pool.waitingCount < queue) return;
    stats.busy = (stats.busy ?? 0) + 1;
    if (performance.now() - toldAt >= BUSY_WARN_EVERY_MS) {
      toldAt = performance.now();
      log.warn('requests refused: too many wait for a database connection', { waiting: pool.waitingCount, poolSize: pool.options.max, refused: stats.busy });
    }
    throw new BusyError(
      `the control plane is busy: ${pool.waitingCount} requests wait for a database connection; retry after ${BUSY_RETRY_AFTER_S}s`,
      BUSY_RETRY_AFTER_S,
    );
  };
}

/** PostgreSQL through a connection pool of `poolSize` connections: what several control-plane replicas share. */
export function openPostgres(
  connectionString: string,
  log: Warn = { warn: () => undefined },
  secrets: KeyRing = ephemeralKeyRing(),
  poolSize = DEFAULT_POOL_SIZE,
  /** The most requests that wait for a connection (--database-pool-queue); default QUEUE_PER_CONNECTION per connection. */
  poolQueue = poolSize * QUEUE_PER_CONNECTION,
): Db {
  const pgPool = new pg.Pool({ connectionString, max: poolSize, connectionTimeoutMillis: POOL_WAIT_MS, Client: BoundedClient });
  // An idle connection cut by the server (a restart, a fast shutdown) is dropped from the pool and
  // reported here; unhandled, the 'error' event would end the process.
  pgPool.on('error', (error) => log.warn('a database connection was closed; the pool opens a new one when needed', { error: error.message }));
  const stats: QueryStats = { queries: 0, busy: 0 };
  const pool = guardedPool(pgPool, log);
  const q = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: countQueries(stats) });
  const revisions = postgresRevisionFeed(connectionString, log);
  const shared: DbShared = { dialect: 'postgres', log, secrets, revisions, stats, admit: admission(pgPool, poolQueue, stats, log) };
  const transaction = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    for (let tries = 1; ; tries++) {
      try {
        return await runTransaction(shared, q, fn);
      } catch (error) {
        if (!isRetryable(error) || tries >= MAX_ATTEMPTS) throw error;
        await backOff(tries);
      }
    }
  };
  return kyselyDb(shared, q, transaction, async () => {
    await revisions.close();
    await q.destroy();
  });
}
