/**
 * The little the control plane asks of a SQL database, the same on SQLite and PostgreSQL.
 * Statements use PostgreSQL's `$1` placeholders and portable SQL (TEXT, INTEGER, BIGINT).
 */
export type Row = Record<string, unknown>;

export interface Db {
  readonly dialect: 'sqlite' | 'postgres';
  all<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  one<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T | undefined>;
  /** Rows changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
  /** Runs `fn` in one transaction (serialisable on SQLite, read committed + row locks on PostgreSQL). */
  tx<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A unique or primary key violation, the same on both databases. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; errcode?: string; message?: string };
  return e?.code === '23505' || e?.errcode === '23505' || /UNIQUE constraint failed/.test(e?.message ?? '');
}
