import pg from 'pg';
import type { Db, Row } from './db.ts';

// BIGINT comes back as a string by default; our counters fit a double.
pg.types.setTypeParser(20, (value) => Number(value));

function over(client: pg.Pool | pg.PoolClient): Omit<Db, 'tx' | 'close'> {
  return {
    dialect: 'postgres',
    all: async <T extends Row>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
    one: async <T extends Row>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows[0] as T | undefined,
    run: async (sql, params = []) => (await client.query(sql, params)).rowCount ?? 0,
  };
}

/** PostgreSQL through a connection pool: what several control-plane replicas share. */
export function openPostgres(connectionString: string): Db {
  const pool = new pg.Pool({ connectionString, max: 10 });
  return {
    ...over(pool),
    tx: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const inTx: Db = { ...over(client), tx: (inner) => inner(inTx), close: async () => undefined };
        const result = await fn(inTx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
