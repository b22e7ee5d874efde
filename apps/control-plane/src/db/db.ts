import type { Kysely, LogEvent } from 'kysely';
import type { KeyRing } from '../secrets/ring.ts';
import type { RevisionFeed } from './revision-feed.ts';
import type { Database } from './schema.ts';

export type { Database } from './schema.ts';

/** Where the database layer tells what it worked around (a stored row it could not fully read). */
export type Warn = { warn(message: string, fields?: Record<string, unknown>): void };

/**
 * The control plane's database, the same on SQLite and PostgreSQL: one typed query builder
 * (Kysely) over the tables of schema.ts, and transactions.
 */
export interface Db {
  readonly dialect: 'sqlite' | 'postgres';
  /** Outside a transaction each statement is its own; inside `tx`, the transaction's. */
  readonly q: Kysely<Database>;
  /** Runs `fn` in one transaction (serialisable on SQLite, read committed + row locks on PostgreSQL); nested calls join it. */
  tx<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  readonly log: Warn;
  /** The key ring secret columns are encrypted with (secrets/): the repositories encrypt and decrypt through it. */
  readonly secrets: KeyRing;
  /** Where a moved revision is announced, and heard (by any replica on PostgreSQL; in-process on SQLite). */
  readonly revisions: RevisionFeed;
  /** Runs `fn` once the transaction commits (at once outside one); dropped if it rolls back. */
  afterCommit(fn: () => void): void;
  /** Statements run since the database was opened: what the idle cost of long-polls is counted by. */
  readonly stats: QueryStats;
  /**
   * Once per request, before any work: throws BusyError (counted in `stats.busy`) while too many
   * wait for a connection. A request admitted is never refused later: its statements wait their turn.
   */
  admit(): void;
  close(): Promise<void>;
}

export interface QueryStats {
  queries: number;
  /** PostgreSQL: requests refused at once (BusyError) because too many already waited for a connection. */
  busy?: number;
  /** Sees every statement with its parameters: how a test finds the statements of a path (to EXPLAIN them). */
  onQuery?: (sql: string, parameters: readonly unknown[]) => void;
}

/** Kysely's log hook counting every statement (run or failed) into `stats`. */
export const countQueries = (stats: QueryStats) => (event: LogEvent) => {
  stats.queries++;
  stats.onQuery?.(event.query.sql, event.query.parameters);
};

/** A Db over `q`, whose transactions go through `transaction` (retried or not, by the dialect). */
export function kyselyDb(
  shared: DbShared,
  q: Kysely<Database>,
  transaction: <T>(fn: (db: Db) => Promise<T>) => Promise<T>,
  close: () => Promise<void> = () => q.destroy(),
): Db {
  return { ...shared, q, tx: transaction, afterCommit: (fn) => fn(), close };
}

/** What a database and each of its transactions share. */
export type DbShared = Pick<Db, 'dialect' | 'log' | 'secrets' | 'revisions' | 'stats' | 'admit'>;

/** One transaction of `q`: the Db its function is given, on which `tx` joins it. */
export async function runTransaction<T>(outer: DbShared, q: Kysely<Database>, fn: (db: Db) => Promise<T>): Promise<T> {
  const committed: Array<() => void> = [];
  const result = await q.transaction().execute((trx) => {
    const inTx: Db = { ...outer, q: trx, tx: (inner) => inner(inTx), afterCommit: (f) => committed.push(f), close: async () => undefined };
    return fn(inTx);
  });
  for (const f of committed) f();
  return result;
}

/** A unique or primary key violation, the same on both databases. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; errcode?: string; message?: string };
  return e?.code === '23505' || e?.errcode === '23505' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

/** Rows changed by an UPDATE or DELETE, as Kysely reports them (a bigint). */
export const changed = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint } | undefined) =>
  Number(result?.numUpdatedRows ?? result?.numDeletedRows ?? 0);
