import type { Kysely } from 'kysely';
import type { KeyRing } from '../secrets/ring.ts';
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
  close(): Promise<void>;
}

/** A Db over `q`, whose transactions go through `transaction` (retried or not, by the dialect). */
export function kyselyDb(
  dialect: Db['dialect'],
  q: Kysely<Database>,
  transaction: <T>(fn: (db: Db) => Promise<T>) => Promise<T>,
  log: Warn,
  secrets: KeyRing,
  close: () => Promise<void> = () => q.destroy(),
): Db {
  return { dialect, q, tx: transaction, log, secrets, close };
}

/** One transaction of `q`: the Db its function is given, on which `tx` joins it. */
export function runTransaction<T>(outer: Pick<Db, 'dialect' | 'log' | 'secrets'>, q: Kysely<Database>, fn: (db: Db) => Promise<T>): Promise<T> {
  return q.transaction().execute((trx) => {
    const inTx: Db = { ...outer, q: trx, tx: (inner) => inner(inTx), close: async () => undefined };
    return fn(inTx);
  });
}

/** A unique or primary key violation, the same on both databases. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; errcode?: string; message?: string };
  return e?.code === '23505' || e?.errcode === '23505' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

/** Rows changed by an UPDATE or DELETE, as Kysely reports them (a bigint). */
export const changed = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint } | undefined) =>
  Number(result?.numUpdatedRows ?? result?.numDeletedRows ?? 0);
