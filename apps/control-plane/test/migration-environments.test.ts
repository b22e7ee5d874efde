// Migration 10 on a database an earlier release left: its regions become environments whose
// configuration is derived from their spec, bootstrap commands not generated.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { environmentOf } from '../src/cloud/hybrid/environment.ts';
import type { Db } from '../src/db/db.ts';
import { migrate, MIGRATIONS } from '../src/db/migrations.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { openSqlite } from '../src/db/sqlite.ts';
import { listEnvironments } from '../src/repositories/environments.ts';
import { createTestDatabase } from './support/postgres.ts';
import { sqlOn } from './support/sql.ts';

const STAMP = '2026-01-01T00:00:00.000Z';
const REGION_SPEC = JSON.stringify({ name: 'old', namespace: 'ns-old', agentVersion: '0.1.0', operatorVersion: '0.1.0' });
let counter = 0;

async function open(dialect: 'sqlite' | 'postgres'): Promise<Db> {
  if (dialect === 'sqlite') return openSqlite(join(mkdtempSync(join(tmpdir(), 'qhc-mig10-')), 'db.sqlite'));
  return openPostgres(await createTestDatabase(inject('postgresUrl'), `mig10_${process.pid}_${counter++}`));
}

describe.each(['sqlite', 'postgres'] as const)('migration 10 (hybrid cloud environments) on %s', (dialect) => {
  let db: Db | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('adds the columns empty: an existing region lists with a configuration from its spec', async () => {
    db = await open(dialect);
    await migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 10),
    );
    // Before migration 15 accounts have no owner (firstAccount orders by it): migration 8's is the only one.
    const [account] = await sqlOn(db).all<{ id: string }>('SELECT id FROM accounts ORDER BY created_at, id LIMIT 1');
    await sqlOn(db).run(
      `INSERT INTO regions (id, name, spec, revision, account_id, created_at, updated_at) VALUES ('r1', 'old', $1, 3, $2, '${STAMP}', '${STAMP}')`,
      [REGION_SPEC, account!.id],
    );
    expect(await migrate(db)).toEqual(MIGRATIONS.map((m) => m.version).filter((v) => v >= 10));
    expect(await sqlOn(db).all('SELECT cloud_configuration, bootstrap_commands_generated FROM regions')).toEqual([
      { cloud_configuration: null, bootstrap_commands_generated: null },
    ]);
    const [record] = await listEnvironments(db, account!.id);
    expect(record).toMatchObject({ accountId: account!.id, configuration: undefined, bootstrapCommandsGenerated: false });
    const env = environmentOf(record!, Date.parse(STAMP));
    expect(env).toMatchObject({ id: 'r1', name: 'old', configuration: { namespace: 'ns-old' }, bootstrapCommandsGenerated: false });
    expect(await migrate(db)).toEqual([]);
  });
});
