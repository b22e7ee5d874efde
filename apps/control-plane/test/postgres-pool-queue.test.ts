// The PostgreSQL pool's line is bounded (--database-pool-queue): while it is full, a request is
// refused at its entry (503 with Retry-After; the Cloud API's ResourceExhausted), counted, and
// changes nothing, instead of waiting up to 30 s behind a flood. A request admitted is never
// refused later: its statements wait their turn. The pool's connections are held by transactions
// waiting on a promise the test resolves, and the line is watched at pg.Pool's connect (which
// queues a request at once when the pool is full): no timing is involved.
import { createLogger } from '@qhc/kube';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, expect, inject, it, vi } from 'vitest';
import type { Db } from '../src/db/db.ts';
import { openPostgres, poolQueueOf } from '../src/db/postgres.ts';
import { BusyError } from '../src/errors.ts';
import { startControlPlane, type RunningControlPlane } from '../src/index.ts';
import { MANAGEMENT_KEY, TEST_SECRETS } from './support/cloud.ts';
import { createTestDatabase } from './support/postgres.ts';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.toReversed()) await cleanup();
  vi.restoreAllMocks();
});

// Who waits for the line to reach a length: told by the connect call that made it that long.
const watchers: Array<{ n: number; reached: (pool: pg.Pool) => void }> = [];
const poolConnect = pg.Pool.prototype.connect as (this: pg.Pool) => Promise<pg.PoolClient>;
vi.spyOn(pg.Pool.prototype, 'connect').mockImplementation(function (this: pg.Pool) {
  const connecting = poolConnect.call(this);
  for (const watcher of watchers.filter((w) => this.waitingCount >= w.n)) {
    watchers.splice(watchers.indexOf(watcher), 1);
    watcher.reached(this);
  }
  return connecting;
});
/** Resolves (with the pool) at the first connection request that leaves `n` or more waiting in the pool's line. */
const lineReaches = (n: number) => new Promise<pg.Pool>((reached) => watchers.push({ n, reached }));

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

it('refuses at its entry a request past the line of a busy pool; an admitted one waits, however long the line, and runs', async () => {
  const database = await createTestDatabase(inject('postgresUrl'), `pool_queue_${process.pid}`);
  const warned: unknown[] = [];
  const db = openPostgres(database, { warn: (message, fields) => warned.push({ message, ...fields }) }, undefined, 2, 1);
  cleanups.push(() => db.close());
  await sql`CREATE TABLE marks (n int)`.execute(db.q);
  // Admitted while the pool is idle: what a request's entry asks once.
  db.admit();
  const held = await hold(db, 2);
  const inLine = lineReaches(1);
  const waiting = sql<{ n: number }>`SELECT 2 AS n`.execute(db.q);
  await inLine;
  // The line is full: a new request is refused, at once, before any work.
  const refused = await settled(Promise.resolve().then(() => db.admit()));
  expect(refused).toBeInstanceOf(BusyError);
  expect([(refused as BusyError).status, (refused as BusyError).retryAfterSeconds]).toEqual([503, 1]);
  expect(db.stats.busy).toBe(1);
  expect(warned).toEqual([expect.objectContaining({ message: 'requests refused: too many wait for a database connection', refused: 1 })]);
  // The admitted request's statement, past the line's bound: it waits its turn, it is not refused.
  const behind = lineReaches(2);
  const marked = sql`INSERT INTO marks VALUES (1)`.execute(db.q);
  await Promise.race([behind, marked]);
  await held.release();
  await marked;
  expect((await waiting).rows).toEqual([{ n: 2 }]);
  expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM marks`.execute(db.q)).rows).toEqual([{ n: 1 }]);
  expect(db.stats.busy).toBe(1);
}, 20_000);

const auth = { authorization: `apikey ${MANAGEMENT_KEY}` };
const hybrid = (cp: RunningControlPlane, method: string, body: unknown) =>
  fetch(`${cp.url}/qdrant.cloud.hybrid.v1.HybridCloudService/${method}`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const create = (cp: RunningControlPlane, name: string) =>
  hybrid(cp, 'CreateHybridCloudEnvironment', { hybridCloudEnvironment: { accountId: cp.accountId, name, configuration: { namespace: 'ns' } } });
const environments = async (cp: RunningControlPlane) => {
  const listed = await hybrid(cp, 'ListHybridCloudEnvironments', { accountId: cp.accountId });
  return ((await listed.json()) as { items?: Array<{ name: string }> }).items?.map((e) => e.name) ?? [];
};

async function plane(name: string, databasePoolQueue: number): Promise<RunningControlPlane> {
  const cp = await startControlPlane({
    database: await createTestDatabase(inject('postgresUrl'), `${name}_${process.pid}`),
    port: 0,
    managementKey: MANAGEMENT_KEY,
    secrets: TEST_SECRETS,
    logger: createLogger({ level: 'error' }),
    console: false,
    databasePoolSize: 1,
    databasePoolQueue,
  });
  cleanups.push(() => cp.stop());
  return cp;
}

it("answers the agent protocol 503 with Retry-After, the Cloud API ResourceExhausted (Connect and REST), while the pool's line is full", async () => {
  const cp = await plane('pool_queue_cp', 0);
  const held = await hold(cp.store.db, 1);
  const agent = await fetch(`${cp.url}/agent/v1/desired-state?after=-1&waitSeconds=1`, { headers: { authorization: 'Bearer junk-token' } });
  const connect = await create(cp, 'refused');
  const rest = await fetch(`${cp.url}/api/cluster/v1/accounts/${cp.accountId}/clusters`, { headers: auth });
  // The probe needs no connection: it answers.
  const health = await fetch(`${cp.url}/healthz`);
  const answers = [agent, connect, rest].map((r) => [r.status, r.headers.get('retry-after')]);
  const bodies = await Promise.all([agent, connect, rest].map((r) => r.json() as Promise<{ error?: string; code?: string }>));
  await held.release();
  expect(answers).toEqual([
    [503, '1'],
    [429, '1'],
    [429, '1'],
  ]);
  expect(bodies.map((b) => b.error ?? b.code)).toEqual(['Busy', 'resource_exhausted', 8]);
  expect([health.status, await health.text()]).toEqual([200, 'ok']);
  expect(cp.store.db.stats.busy).toBe(3);
  // The refused creation made nothing.
  expect(await environments(cp)).toEqual([]);
}, 30_000);

it('never refuses a request it admitted: when the line fills behind it, its later statements wait, and the change is answered', async () => {
  const cp = await plane('pool_queue_admitted', 1);
  const { db } = cp.store;
  // The only connection held, nobody waiting: a request is admitted; its first statement waits.
  const first = await hold(db, 1);
  const admitted = lineReaches(1);
  const created = create(cp, 'admitted');
  const pool = await admitted;
  // Once the request has the connection, two others join the line behind it (admitted before it filled).
  const others: Array<Promise<pg.PoolClient>> = [];
  let joined!: Promise<pg.Pool>;
  pool.once('acquire', () => {
    others.push(pool.connect(), pool.connect());
    // The next to join is the request's next statement: the line is past its bound then.
    joined = lineReaches(2);
  });
  await first.release();
  const refused = await create(cp, 'refused');
  expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '1']);
  await Promise.race([joined, created]);
  for (const other of others) (await other).release();
  const answer = await created;
  const body = (await answer.json()) as { hybridCloudEnvironment?: { name?: string } };
  expect([answer.status, body.hybridCloudEnvironment?.name]).toEqual([200, 'admitted']);
  expect(db.stats.busy).toBe(1);
  expect(await environments(cp)).toEqual(['admitted']);
}, 30_000);
