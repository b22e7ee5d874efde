// Migration 12 on a database an earlier release left: its backups, schedules and restores keep
// every column, gain an empty Cloud API column, and the region's desired state does not change.
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
const REGION_SPEC = JSON.stringify({ name: 'old', namespace: 'ns-old', agentVersion: '0.1.0', operatorVersion: '0.1.0' });
let counter = 0;

async function open(dialect: 'sqlite' | 'postgres'): Promise<Db> {
  if (dialect === 'sqlite') return openSqlite(join(mkdtempSync(join(tmpdir(), 'qhc-mig12-')), 'db.sqlite'));
  return openPostgres(await createTestDatabase(inject('postgresUrl'), `mig12_${process.pid}_${counter++}`));
}

/** A region holding one backup, as /api/v1 stored them before migration 12 (at the latest schema, with migration 15's unique key too). */
async function seedOldBackup(db: Db, latest = false): Promise<void> {
  const sql = sqlOn(db);
  const [keyColumn, keyValue] = latest ? [', account_name_key', ", 'old'"] : ['', ''];
  await sql.run(
    `INSERT INTO regions (id, name${keyColumn}, spec, revision, created_at, updated_at) VALUES ('r1', 'old'${keyValue}, $1, 3, '${STAMP}', '${STAMP}')`,
    [REGION_SPEC],
  );
  await sql.run(
    `INSERT INTO resources (id, region_id, kind, name, cluster_id, spec, created_at, updated_at) VALUES ('b1', 'r1', 'QdrantClusterSnapshot', 'nightly', 'a', $1, '${STAMP}', '${STAMP}')`,
    [JSON.stringify({ 'cluster-id': 'a' })],
  );
}

describe.each(['sqlite', 'postgres'] as const)('migration 12 (Cloud API backups) on %s', (dialect) => {
  let db: Db | undefined;
  let twin: Db | undefined;
  afterEach(async () => {
    await db?.close();
    await twin?.close();
    db = twin = undefined;
  });

  it('keeps the backups made before, with no Cloud API fields, and the desired state as it was', async () => {
    db = await open(dialect);
    const before = MIGRATIONS.filter((m) => m.version < 12);
    expect(await migrate(db, before)).not.toContain(12);
    await seedOldBackup(db);
    expect(await migrate(db)).toContain(12);
    expect(await sqlOn(db).all('SELECT id, name, cluster_id, cloud FROM resources')).toEqual([{ id: 'b1', name: 'nightly', cluster_id: 'a', cloud: null }]);
    // The desired state reads tables of later migrations, so "as it was" is what the same rows give at the latest schema.
    twin = await open(dialect);
    await migrate(twin);
    await seedOldBackup(twin, true);
    expect(await desiredState(db, 'r1')).toEqual(await desiredState(twin, 'r1'));
    expect(await migrate(db)).toEqual([]);
  });
});
