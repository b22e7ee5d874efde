// Migration 9 on a database an earlier release left: its clusters keep their Kubernetes objects
// (object id = name), and the object id is unique in a region.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Db } from '../src/db/db.ts';
import { migrate, MIGRATIONS } from '../src/db/migrations.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { openSqlite } from '../src/db/sqlite.ts';
import { desiredState } from '../src/repositories/desired-state.ts';
import { createTestDatabase } from './support/postgres.ts';
import { sqlOn } from './support/sql.ts';

const STAMP = '2026-01-01T00:00:00.000Z';
const SPEC = JSON.stringify({ version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } });
const REGION_SPEC = JSON.stringify({ name: 'old', namespace: 'ns-old', agentVersion: '0.1.0', operatorVersion: '0.1.0' });
let counter = 0;

async function open(dialect: 'sqlite' | 'postgres'): Promise<Db> {
  if (dialect === 'sqlite') return openSqlite(join(mkdtempSync(join(tmpdir(), 'qhc-mig-')), 'db.sqlite'));
  return openPostgres(await createTestDatabase(inject('postgresUrl'), `mig_${process.pid}_${counter++}`));
}

/** A database as the release before migration 9 left it: region `old` with clusters `a` and `b` (b being deleted). */
async function seedBefore9(db: Db): Promise<void> {
  expect(
    await migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 9),
    ),
  ).not.toContain(9);
  const sql = sqlOn(db);
  await sql.run(`INSERT INTO regions (id, name, spec, revision, created_at, updated_at) VALUES ('r1', 'old', $1, 3, '${STAMP}', '${STAMP}')`, [REGION_SPEC]);
  for (const [id, name, deleted] of [
    ['c1', 'a', null],
    ['c2', 'b', STAMP],
  ])
    await sql.run(
      `INSERT INTO clusters (id, region_id, name, spec, deleted_at, created_at, updated_at) VALUES ($1, 'r1', $2, $3, $4, '${STAMP}', '${STAMP}')`,
      [id, name, SPEC, deleted],
    );
}

describe.each(['sqlite', 'postgres'] as const)('migration 9 (cluster object id) on %s', (dialect) => {
  let db: Db | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it("fills every existing cluster's object id with its name: the desired state names the same objects as before", async () => {
    db = await open(dialect);
    await seedBefore9(db);
    // 9 and every later one, in order: the desired state reads the later tables too.
    expect(await migrate(db)).toEqual(MIGRATIONS.filter((m) => m.version >= 9).map((m) => m.version));
    expect(await sqlOn(db).all('SELECT id, name, object_id FROM clusters ORDER BY id')).toEqual([
      { id: 'c1', name: 'a', object_id: 'a' },
      { id: 'c2', name: 'b', object_id: 'b' },
    ]);
    const after = await desiredState(db, 'r1');
    expect([after.revision, after.clusters.map((c) => [c.id, (c.spec as { id?: unknown }).id]), after.deletions]).toEqual([3, [['a', 'a']], ['b']]);
    expect(await migrate(db)).toEqual([]);
  });

  it('refuses a second cluster of the region with the same object id, and allows it in another region', async () => {
    db = await open(dialect);
    await seedBefore9(db);
    await migrate(db);
    const sql = sqlOn(db);
    const insert = (id: string, region: string, name: string, objectId: string) =>
      sql.run(`INSERT INTO clusters (id, region_id, name, object_id, spec, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, '${STAMP}', '${STAMP}')`, [
        id,
        region,
        name,
        objectId,
        SPEC,
      ]);
    await expect(insert('c3', 'r1', 'other', 'a')).rejects.toThrow(/unique|duplicate/i);
    // Since migration 15 a region also names its account-scoped unique key.
    await sql.run(
      `INSERT INTO regions (id, name, account_name_key, spec, revision, created_at, updated_at) VALUES ('r2', 'new', 'new', $1, 1, '${STAMP}', '${STAMP}')`,
      [REGION_SPEC],
    );
    expect(await insert('c4', 'r2', 'other', 'a')).toBe(1);
  });

  it("reads a row without an object id (inserted by a replica of the earlier release, mid-upgrade) as named after the cluster's name", async () => {
    db = await open(dialect);
    await seedBefore9(db);
    await migrate(db);
    await sqlOn(db).run(`INSERT INTO clusters (id, region_id, name, spec, created_at, updated_at) VALUES ('c5', 'r1', 'late', $1, '${STAMP}', '${STAMP}')`, [
      SPEC,
    ]);
    const state = await desiredState(db, 'r1');
    expect(state.clusters.map((c) => [c.id, (c.spec as { id?: unknown }).id])).toEqual([
      ['a', 'a'],
      ['late', 'late'],
    ]);
  });
});
