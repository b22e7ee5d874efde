// The PostgreSQL pool's line is bounded (--database-pool-queue): while it is full, a request is
// refused at once (503 with Retry-After; the Cloud API's ResourceExhausted), counted, and
// changes nothing, instead of waiting up to 30 s behind a flood. The pool's connections are held
// by transactions waiting on a promise the test resolves: no timing is involved.
import { createLogger } from '@qhc/kube';
import { sql } from 'kysely';
import { afterAll, expect, inject, it } from 'vitest';
import type { Db } from '../src/db/db.ts';
import { openPostgres, poolQueueOf } from '../src/db/postgres.ts';
import { BusyError } from '../src/errors.ts';
import { startControlPlane } from '../src/index.ts';
import { MANAGEMENT_KEY, TEST_SECRETS } from './support/cloud.ts';
import { createTestDatabase } from './support/postgres.ts';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.toReversed()) await cleanup();
});

/** Holds `n` of the pool's connections, each in a transaction, until `release` is called. */
async function hold(db: Db, n: number): Promise<{ release: () => Promise<void> }> {
  let open!: () => void;
  const released = new Promise<void>((resolve) => (open = resolve));
  const holding: Array<Promise<void>> = [];
  const held = Array.from({ length: n }, () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    holding.push(
      db.tx(async (tx) => {
        await sql`SELECT 1`.execute(tx.q);
        started();
        await released;
      }),
    );
    return running;
  });
  await Promise.all(held);
  return {
    release: async () => {
      open();
      await Promise.all(holding);
    },
  };
}

const settled = (call: Promise<unknown>) =>
  call.then(
    () => 'ran',
    (error: unknown) => error,
  );

it('checks --database-pool-queue: a whole number from 0 to 100000', () => {
  expect([poolQueueOf('0'), poolQueueOf(' 80 '), poolQueueOf('100000')]).toEqual([0, 80, 100_000]);
  for (const bad of ['-1', '100001', '1.5', 'many', ''])
    expect(() => poolQueueOf(bad)).toThrow(`--database-pool-queue: expected a whole number from 0 to 100000, got ${JSON.stringify(bad)}`);
});

it('refuses at once, writing nothing, a statement past the line of those waiting for a busy pool; the one in line runs', async () => {
  const database = await createTestDatabase(inject('postgresUrl'), `pool_queue_${process.pid}`);
  const warned: unknown[] = [];
  const db = openPostgres(database, { warn: (message, fields) => warned.push({ message, ...fields }) }, undefined, 2, 1);
  cleanups.push(() => db.close());
  await sql`CREATE TABLE marks (n int)`.execute(db.q);
  const held = await hold(db, 2);
  // In line (the queue holds one), then past it: the same path, so in this order.
  const waiting = sql<{ n: number }>`SELECT 2 AS n`.execute(db.q);
  const refused = await settled(sql`INSERT INTO marks VALUES (1)`.execute(db.q));
  // Settled while both connections are still held: it never waited for one.
  expect(refused).toBeInstanceOf(BusyError);
  expect([(refused as BusyError).status, (refused as BusyError).retryAfterSeconds]).toEqual([503, 1]);
  expect(db.stats.busy).toBe(1);
  expect(warned).toEqual([expect.objectContaining({ message: 'requests refused: too many wait for a database connection', refused: 1 })]);
  await held.release();
  expect((await waiting).rows).toEqual([{ n: 2 }]);
  expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM marks`.execute(db.q)).rows).toEqual([{ n: 0 }]);
}, 20_000);

it("answers the agent protocol 503 with Retry-After, the Cloud API ResourceExhausted (Connect and REST), while the pool's line is full", async () => {
  const cp = await startControlPlane({
    database: await createTestDatabase(inject('postgresUrl'), `pool_queue_cp_${process.pid}`),
    port: 0,
    managementKey: MANAGEMENT_KEY,
    secrets: TEST_SECRETS,
    logger: createLogger({ level: 'error' }),
    console: false,
    databasePoolSize: 1,
    databasePoolQueue: 0,
  });
  cleanups.push(() => cp.stop());
  const auth = { authorization: `apikey ${MANAGEMENT_KEY}` };
  const environments = `/qdrant.cloud.hybrid.v1.HybridCloudService/ListHybridCloudEnvironments`;
  const create = () =>
    fetch(`${cp.url}/qdrant.cloud.hybrid.v1.HybridCloudService/CreateHybridCloudEnvironment`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ hybridCloudEnvironment: { accountId: cp.accountId, name: 'refused', configuration: { namespace: 'ns' } } }),
    });
  const held = await hold(cp.store.db, 1);
  const agent = await fetch(`${cp.url}/agent/v1/desired-state?after=-1&waitSeconds=1`, { headers: { authorization: 'Bearer junk-token' } });
  const connect = await create();
  const rest = await fetch(`${cp.url}/api/cluster/v1/accounts/${cp.accountId}/clusters`, { headers: auth });
  const answers = [agent, connect, rest].map((r) => [r.status, r.headers.get('retry-after')]);
  const bodies = await Promise.all([agent, connect, rest].map((r) => r.json() as Promise<{ error?: string; code?: string }>));
  await held.release();
  expect(answers).toEqual([
    [503, '1'],
    [429, '1'],
    [429, '1'],
  ]);
  expect(bodies.map((b) => b.error ?? b.code)).toEqual(['Busy', 'resource_exhausted', 8]);
  expect(cp.store.db.stats.busy).toBe(3);
  // The refused creation made nothing.
  const listed = await fetch(`${cp.url}${environments}`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ accountId: cp.accountId }),
  });
  expect([listed.status, await listed.json()]).toEqual([200, {}]);
}, 30_000);
