// The SQLite adapter (node:sqlite under Kysely): one connection, so a transaction's statements
// never interleave with others, and a failed transaction leaves nothing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSqlite } from '../src/db/sqlite.ts';
import type { Db } from '../src/db/db.ts';
import { sqlOn } from './support/sql.ts';

let db: Db;
beforeAll(async () => {
  db = openSqlite(join(mkdtempSync(join(tmpdir(), 'qhc-sqlite-')), 'db.sqlite'));
  await sqlOn(db).run('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL, flag INTEGER)');
});
afterAll(() => db.close());

function latch(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

it('runs a statement issued during a transaction after it, never inside it', async () => {
  const inside = latch();
  const release = latch();
  const order: string[] = [];
  const tx = db.tx(async (t) => {
    await sqlOn(t).run('INSERT INTO t (id, v) VALUES (1, $1)', ['in-tx']);
    inside.open();
    await release.opened;
  });
  await inside.opened;
  const read = sqlOn(db)
    .all<{ v: string }>('SELECT v FROM t')
    .then((rows) => (order.push('read'), rows));
  // Everything the read could do without waiting for the connection happens before this turn ends.
  await new Promise((resolve) => setImmediate(resolve));
  order.push('released');
  release.open();
  await tx;
  expect(await read).toEqual([{ v: 'in-tx' }]);
  expect(order).toEqual(['released', 'read']);
});

it('rolls a failed transaction back whole, and binds booleans as integers', async () => {
  const failed = db.tx(async (t) => {
    await sqlOn(t).run('INSERT INTO t (id, v, flag) VALUES (2, $1, $2)', ['gone', true]);
    throw new Error('refused');
  });
  await expect(failed).rejects.toThrow('refused');
  expect(await sqlOn(db).all('SELECT id FROM t WHERE id = 2')).toEqual([]);
  await sqlOn(db).run('INSERT INTO t (id, v, flag) VALUES (3, $1, $2)', ['kept', true]);
  expect(await sqlOn(db).one('SELECT flag FROM t WHERE id = 3')).toEqual({ flag: 1 });
});

it('closes after the transaction under way and the statements queued before the close, not in the middle of them', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'qhc-sqlite-')), 'closing.sqlite');
  const closing = openSqlite(path);
  await sqlOn(closing).run('CREATE TABLE c (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  const inside = latch();
  const release = latch();
  const tx = closing.tx(async (t) => {
    await sqlOn(t).run('INSERT INTO c (id, v) VALUES (1, $1)', ['in-tx']);
    inside.open();
    await release.opened;
    await sqlOn(t).run('INSERT INTO c (id, v) VALUES (2, $1)', ['after-close-asked']);
  });
  await inside.opened;
  const queued = sqlOn(closing).run('INSERT INTO c (id, v) VALUES (3, $1)', ['queued']);
  const closed = closing.close();
  release.open();
  await tx;
  expect(await queued).toBe(1);
  await closed;
  // Everything reached the file before it closed.
  const reopened = openSqlite(path);
  expect(await sqlOn(reopened).all('SELECT v FROM c ORDER BY id')).toEqual([{ v: 'in-tx' }, { v: 'after-close-asked' }, { v: 'queued' }]);
  await reopened.close();
});
