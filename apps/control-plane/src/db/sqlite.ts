import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import { countQueries, kyselyDb, runTransaction, type Db, type DbShared, type Warn } from './db.ts';
import { localRevisionFeed } from './revision-feed.ts';
import type { Database } from './schema.ts';
import { ephemeralKeyRing, type KeyRing } from '../secrets/ring.ts';

const bind = (params: ReadonlyArray<unknown>) => params.map((p) => (p === undefined ? null : typeof p === 'boolean' ? Number(p) : p)) as SQLInputValue[];

// Statements prepared once per SQL text: preparing cost more than running the Cloud API's reads.
// Kysely's SQL text holds no values (they are bound), so the texts are few; the bound keeps a
// generated one (an IN list of varying length) from growing the cache without end.
const MAX_STATEMENTS = 1_000;

/**
 * Kysely's SqliteDialect over Node's built-in `node:sqlite` (it expects better-sqlite3's
 * shape). A transaction begins IMMEDIATE: it takes the write lock up front, so another process
 * on the file makes it wait (busy_timeout) at BEGIN rather than fail it half-way.
 */
export function nodeSqliteDatabase(database: DatabaseSync): SqliteDatabase {
  const prepared = new Map<string, { statement: StatementSync; reader: boolean }>();
  const prepare = (sql: string) => {
    let found = prepared.get(sql);
    if (!found) {
      const statement = database.prepare(sql === 'begin' ? 'BEGIN IMMEDIATE' : sql);
      found = { statement, reader: statement.columns().length > 0 };
      if (prepared.size >= MAX_STATEMENTS) prepared.clear();
      prepared.set(sql, found);
    }
    return found;
  };
  return {
    close: () => {
      prepared.clear();
      database.close();
    },
    prepare: (sql) => {
      const { statement, reader } = prepare(sql);
      return {
        reader,
        all: (params) => statement.all(...bind(params)),
        run: (params) => statement.run(...bind(params)),
        iterate: (params) => statement.iterate(...bind(params)),
      };
    },
  };
}

/**
 * SQLite through Node's built-in `node:sqlite`: no server, one file. One connection, which
 * Kysely hands to one query or one transaction at a time (its SQLite adapter has no second
 * connection), so a transaction's async function never interleaves with other statements.
 */
export function openSqlite(path: string, log: Warn = { warn: () => undefined }, secrets: KeyRing = ephemeralKeyRing()): Db {
  // Loaded at run time: bundlers rewrite `node:sqlite` to `sqlite`, which does not exist.
  const { DatabaseSync: Sqlite } = process.getBuiltinModule('node:sqlite');
  const database = new Sqlite(path);
  database.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
  const stats = { queries: 0 };
  const q = new Kysely<Database>({ dialect: new SqliteDialect({ database: nodeSqliteDatabase(database) }), log: countQueries(stats) });
  const shared: DbShared = { dialect: 'sqlite', log, secrets, revisions: localRevisionFeed(log), stats, admit: () => undefined };
  // Kysely's destroy closes the file without the connection's lock, under a transaction or
  // queued statements: closing takes the connection first, after the work queued before it.
  const close = () => q.connection().execute(() => q.destroy());
  return kyselyDb(shared, q, (fn) => runTransaction(shared, q, fn), close);
}
