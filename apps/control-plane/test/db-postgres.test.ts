// The PostgreSQL adapter under contention and outage: what the fault suite found.
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { freePorts } from '@qhc/kube-sandbox';
import { openPostgres } from '../src/db/postgres.ts';
import type { Db } from '../src/db/db.ts';
import { createTestDatabase } from './support/postgres.ts';
import { sqlOn } from './support/sql.ts';

let db: Db;
beforeAll(async () => {
  db = openPostgres(await createTestDatabase(inject('postgresUrl'), `dbpg_${process.pid}`));
  await sqlOn(db).run('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)');
  await sqlOn(db).run('INSERT INTO t (id, v) VALUES (1, 0), (2, 0)');
});
afterAll(() => db.close());

function latch(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

it('runs a transaction again when PostgreSQL picks it as a deadlock victim, so both apply once', async () => {
  // Two transactions locking the same rows in opposite orders (as a status report and a cluster
  // change do with a region and a cluster): PostgreSQL aborts one with 40P01.
  const a = latch();
  const b = latch();
  const first = db.tx(async (tx) => {
    await sqlOn(tx).run('UPDATE t SET v = v + 1 WHERE id = 1');
    a.open();
    await b.opened;
    await sqlOn(tx).run('UPDATE t SET v = v + 1 WHERE id = 2');
  });
  const second = db.tx(async (tx) => {
    await sqlOn(tx).run('UPDATE t SET v = v + 10 WHERE id = 2');
    b.open();
    await a.opened;
    await sqlOn(tx).run('UPDATE t SET v = v + 10 WHERE id = 1');
  });
  await Promise.all([first, second]);
  expect(await sqlOn(db).all('SELECT id, v FROM t ORDER BY id')).toEqual([
    { id: 1, v: 11 },
    { id: 2, v: 11 },
  ]);
}, 20_000);

it('answers 503 naming the database, not the connection error, when PostgreSQL cannot be reached', async () => {
  const [port] = await freePorts(1);
  const down = openPostgres(`postgres://qhc@127.0.0.1:${port}/none`);
  try {
    for (const attempt of [() => sqlOn(down).one('SELECT 1'), () => down.tx((tx) => sqlOn(tx).one('SELECT 1'))]) {
      const error = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ status: 503, code: 'Unavailable', message: expect.stringMatching(/database is unavailable/) });
      expect((error as Error).message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    }
  } finally {
    await down.close();
  }
});

it('answers 400, not 500, for text PostgreSQL cannot store (a NUL byte), in a statement or a transaction', async () => {
  for (const attempt of [
    () => sqlOn(db).one('SELECT id FROM t WHERE v::text = $1', ['a\u0000b']),
    () => db.tx((tx) => sqlOn(tx).one('SELECT id FROM t WHERE v::text = $1', ['\u0000'])),
  ]) {
    const error = await attempt().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ status: 400, code: 'Invalid', message: expect.stringMatching(/NUL byte/) });
  }
});
