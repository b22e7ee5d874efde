// Migration 8 on a database from before accounts: one account made, every region and cluster
// given to it, management keys' table empty; and nothing more on the next start.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, openDatabase } from '../src/index.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { openSqlite } from '../src/db/sqlite.ts';
import type { Db } from '../src/db/db.ts';
import { databaseFor, TEST_SECRETS, type Dialect } from './support/cloud.ts';
import { sqlOn } from './support/sql.ts';

const openRaw = (dialect: Dialect, location: string): Db => (dialect === 'sqlite' ? openSqlite(location) : openPostgres(location));

/** The schema as release 7 left it, with a region and a cluster in it. */
async function seedBeforeAccounts(db: Db): Promise<void> {
  await sql`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`.execute(db.q);
  for (const migration of MIGRATIONS.filter((m) => m.version <= 7)) {
    for (const statement of migration.statements) await sql.raw(statement).execute(db.q);
    await sqlOn(db).run('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, 'then']);
  }
  const at = '2025-01-01T00:00:00.000Z';
  await sqlOn(db).run("INSERT INTO regions (id, name, spec, revision, created_at, updated_at) VALUES ('r-1', 'old', '{}', 1, $1, $1)", [at]);
  await sqlOn(db).run("INSERT INTO clusters (id, region_id, name, spec, created_at, updated_at) VALUES ('c-1', 'r-1', 'c', '{}', $1, $1)", [at]);
}

describe.each(['sqlite', 'postgres'] as const)('migration 8 on %s', (dialect: Dialect) => {
  it('gives the regions and clusters from before the first account, once', async () => {
    const location = await databaseFor(dialect);
    const raw = openRaw(dialect, location);
    await seedBeforeAccounts(raw);
    await raw.close();
    const db = await openDatabase(location, undefined, TEST_SECRETS);
    try {
      const q = sqlOn(db);
      const accounts = await q.all<{ id: string; name: string }>('SELECT id, name FROM accounts');
      expect(accounts).toEqual([{ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'default' }]);
      const owner = accounts[0]!.id;
      expect(await q.all('SELECT id, account_id FROM regions UNION ALL SELECT id, account_id FROM clusters ORDER BY id')).toEqual([
        { id: 'c-1', account_id: owner },
        { id: 'r-1', account_id: owner },
      ]);
      expect(await q.all('SELECT * FROM management_keys')).toEqual([]);
      expect(await migrate(db)).toEqual([]);
      expect(await q.all('SELECT id FROM accounts')).toEqual([{ id: owner }]);
    } finally {
      await db.close();
    }
  });
});
