import type { Db, Row } from './db.ts';

const bind = (params: unknown[]) => params.map((p) => (p === undefined ? null : typeof p === 'boolean' ? Number(p) : p)) as Array<string | number | null>;

/**
 * SQLite through Node's built-in `node:sqlite`: no server, one file. One connection; a
 * transaction holds a lock that other statements wait for, because a transaction's function
 * is async and others would otherwise run inside it.
 */
export function openSqlite(path: string): Db {
  // Loaded at run time: bundlers rewrite `node:sqlite` to `sqlite`, which does not exist.
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
  const database = new DatabaseSync(path);
  database.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
  let lock: Promise<unknown> = Promise.resolve();
  const locked = <T>(fn: () => Promise<T> | T): Promise<T> => {
    const next = lock.then(fn, fn);
    lock = next.catch(() => undefined);
    return next;
  };
  // `$1` → `?1`: SQLite's numbered parameters.
  const prepare = (sql: string) => database.prepare(sql.replace(/\$(\d+)/g, '?$1'));
  const direct = (): Db => ({
    dialect: 'sqlite',
    all: async <T extends Row>(sql: string, params: unknown[] = []) => prepare(sql).all(...bind(params)) as T[],
    one: async <T extends Row>(sql: string, params: unknown[] = []) => prepare(sql).get(...bind(params)) as T | undefined,
    run: async (sql, params = []) => Number(prepare(sql).run(...bind(params)).changes),
    tx: (fn) => fn(direct()),
    close: async () => undefined,
  });
  const inner = direct();
  return {
    dialect: 'sqlite',
    all: (sql, params) => locked(() => inner.all(sql, params)),
    one: (sql, params) => locked(() => inner.one(sql, params)),
    run: (sql, params) => locked(() => inner.run(sql, params)),
    tx: (fn) =>
      locked(async () => {
        database.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(inner);
          database.exec('COMMIT');
          return result;
        } catch (error) {
          database.exec('ROLLBACK');
          throw error;
        }
      }),
    close: () => locked(() => database.close()),
  };
}
