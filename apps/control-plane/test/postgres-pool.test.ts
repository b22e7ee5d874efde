// The PostgreSQL pool's two bounds: a request waiting for a busy pool's connection queues (a
// burst of agents is no outage), while opening a connection to a server that does not answer
// still fails as Unavailable; and --database-pool-size is checked at start.
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, expect, inject, it } from 'vitest';
import { ApiError } from '../src/errors.ts';
import { DEFAULT_POOL_SIZE, openPostgres, poolSizeOf } from '../src/db/postgres.ts';
import { createTestDatabase } from './support/postgres.ts';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.toReversed()) await cleanup();
});

it('checks --database-pool-size: a whole number from 1 to 1000', () => {
  expect([poolSizeOf('1'), poolSizeOf(' 40 '), poolSizeOf('1000')]).toEqual([1, 40, 1000]);
  for (const bad of ['0', '1001', '-1', '1.5', 'ten', ''])
    expect(() => poolSizeOf(bad)).toThrow(`--database-pool-size: expected a whole number from 1 to 1000, got ${JSON.stringify(bad)}`);
});

it('queues a statement behind the busy connections of the pool past the 5 s connection timeout instead of failing it', async () => {
  const database = await createTestDatabase(inject('postgresUrl'), `pool_wait_${process.pid}`);
  const db = openPostgres(database);
  cleanups.push(() => db.close());
  // Every connection of the default pool is busy longer than a connection attempt may take.
  const busy = Array.from({ length: DEFAULT_POOL_SIZE }, () => sql<{ done: number }>`SELECT 1 AS done FROM pg_sleep(5.5)`.execute(db.q));
  const waiting = sql<{ n: number }>`SELECT 2 AS n`.execute(db.q);
  expect((await waiting).rows).toEqual([{ n: 2 }]);
  expect((await Promise.all(busy)).map((r) => r.rows)).toEqual(busy.map(() => [{ done: 1 }]));
}, 20_000);

it('answers Unavailable when the server accepts the connection but never answers', async () => {
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        silent.close(() => resolve());
      }),
  );
  const { port } = silent.address() as AddressInfo;
  const db = openPostgres(`postgres://qhc@127.0.0.1:${port}/none`);
  cleanups.push(() => db.close());
  const error = await sql`SELECT 1`.execute(db.q).then(
    () => new Error('the statement ran'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect([(error as ApiError).status, (error as ApiError).message]).toEqual([503, expect.stringMatching(/database is unavailable/)]);
}, 20_000);
