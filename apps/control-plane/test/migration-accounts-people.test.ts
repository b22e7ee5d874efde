// Migration 15 on a database as release 14 left it: the accounts stay approved, every account gets
// the built-in roles, the keys made so far keep their power as Owner, the console sessions
// survive the table's rebuild, and environment names become unique per account.
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../src/db/migrations.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { openSqlite } from '../src/db/sqlite.ts';
import type { Db } from '../src/db/db.ts';
import { BUILT_IN_ROLES } from '../src/iam/built-in-roles.ts';
import { PERMISSIONS } from '../src/iam/permissions.ts';
import { databaseFor, type Dialect } from './support/cloud.ts';
import { sqlOn } from './support/sql.ts';

const AT = '2026-01-01T00:00:00.000Z';
const open = (dialect: Dialect, location: string): Db => (dialect === 'sqlite' ? openSqlite(location) : openPostgres(location));

/** Release 14's schema with a region, a management key and a console session of it. */
async function seedBefore15(db: Db): Promise<string> {
  expect(
    await migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 15),
    ),
  ).not.toContain(15);
  const q = sqlOn(db);
  const [{ id: account }] = (await q.all<{ id: string }>('SELECT id FROM accounts')) as [{ id: string }];
  await q.run(`INSERT INTO regions (id, name, spec, revision, created_at, updated_at, account_id) VALUES ('r1', 'prod', '{}', 1, $1, $1, $2)`, [AT, account]);
  await q.run(`INSERT INTO management_keys (id, account_id, prefix, hash, created_at) VALUES ('k1', $1, 'abcd', 'h1', $2)`, [account, AT]);
  await q.run(`INSERT INTO cloud_sessions (id, hash, management_key_id, created_at, expires_at) VALUES ('s1', 'sh1', 'k1', $1, '2999-01-01T00:00:00.000Z')`, [
    AT,
  ]);
  return account;
}

async function rolePermissions(db: Db, account: string): Promise<Record<string, string[]>> {
  const rows = await sqlOn(db).all<{ name: string; permission: string }>(
    'SELECT r.name, p.permission FROM roles r JOIN role_permissions p ON p.role_id = r.id WHERE r.account_id = $1 ORDER BY r.name, p.permission',
    [account],
  );
  const byRole: Record<string, string[]> = {};
  for (const row of rows) (byRole[row.name] ??= []).push(row.permission);
  return byRole;
}

describe.each(['sqlite', 'postgres'] as const)('migration 15 on %s', (dialect) => {
  it('gives every account the built-in roles, and the keys made so far the Owner role', async () => {
    const db = open(dialect, await databaseFor(dialect));
    try {
      const account = await seedBefore15(db);
      expect(await migrate(db)).toEqual(MIGRATIONS.filter((m) => m.version >= 15).map((m) => m.version));
      const q = sqlOn(db);
      expect(await q.all('SELECT id, status FROM accounts')).toEqual([{ id: account, status: 'approved' }]);
      const expected = Object.fromEntries(BUILT_IN_ROLES.map((role) => [role.name, role.permissions.toSorted()]));
      expect(await rolePermissions(db, account)).toEqual(expected);
      expect((await rolePermissions(db, account))['Owner']).toEqual(PERMISSIONS.toSorted());
      expect(await q.all('SELECT k.management_key_id, r.name FROM management_key_roles k JOIN roles r ON r.id = k.role_id')).toEqual([
        { management_key_id: 'k1', name: 'Owner' },
      ]);
      expect(await migrate(db)).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('keeps the console sessions, and makes environment names unique per account instead of everywhere', async () => {
    const db = open(dialect, await databaseFor(dialect));
    try {
      const account = await seedBefore15(db);
      await migrate(db);
      const q = sqlOn(db);
      expect(await q.all('SELECT id, management_key_id, user_id, account_id FROM cloud_sessions')).toEqual([
        { id: 's1', management_key_id: 'k1', user_id: null, account_id: null },
      ]);
      expect(await q.all('SELECT name, account_name_key FROM regions')).toEqual([{ name: 'prod', account_name_key: `${account}/prod` }]);
      await q.run(`INSERT INTO accounts (id, name, created_at) VALUES ('a2', 'other', $1)`, [AT]);
      const insert = (id: string, accountId: string) =>
        q.run(
          `INSERT INTO regions (id, name, account_name_key, spec, revision, created_at, updated_at, account_id) VALUES ($1, 'prod', $2, '{}', 1, $3, $3, $4)`,
          [id, `${accountId}/prod`, AT, accountId],
        );
      expect(await insert('r2', 'a2')).toBe(1);
      await expect(insert('r3', account)).rejects.toThrow(/unique|duplicate/i);
    } finally {
      await db.close();
    }
  });
});
