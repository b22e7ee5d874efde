// The revision feed's own behaviour: its listeners are kept apart, PostgreSQL's listening
// connection backs off while it keeps breaking, and a control plane that fails to start lets it go.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@qhc/kube';
import pg from 'pg';
import { afterAll, expect, inject, it, vi } from 'vitest';
import { openPostgres } from '../src/db/postgres.ts';
import { FEED_APPLICATION_NAME } from '../src/db/postgres-feed.ts';
import { Listeners, type FeedNotice } from '../src/db/revision-feed.ts';
import { startControlPlane } from '../src/index.ts';
import { MANAGEMENT_KEY, TEST_SECRETS } from './support/cloud.ts';
import { createTestDatabase } from './support/postgres.ts';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.toReversed()) await cleanup();
});

const databaseNamed = (what: string) => createTestDatabase(inject('postgresUrl'), `feed_${what}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`);

/** A client of `database` that sees its backends. */
async function observer(database: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  cleanups.push(() => client.end());
  return client;
}

/** The backends of the database but the observer's: those that LISTEN for revisions (the feed's), or all. */
const backends = async (client: pg.Client, only: 'listening' | 'all') =>
  (
    await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND ($1::text IS NULL OR application_name = $1)',
      [only === 'listening' ? FEED_APPLICATION_NAME : null],
    )
  ).rows.map((r) => r.pid);
const listening = (client: pg.Client) => backends(client, 'listening');

it('a listener that throws stops neither the other listeners nor the commit that announced', () => {
  const warned: string[] = [];
  const listeners = new Listeners({ warn: (message) => warned.push(message) });
  const heard: FeedNotice[] = [];
  listeners.add(() => {
    throw new Error('a broken listener');
  });
  listeners.add((notice) => heard.push(notice));
  expect(() => listeners.emit({ regionId: 'r1', revision: 2 })).not.toThrow();
  expect(heard).toEqual([{ regionId: 'r1', revision: 2 }]);
  expect(warned).toHaveLength(1);
});

it('a listening connection that breaks again right after it came back waits longer each time (no reconnect storm)', async () => {
  const database = await databaseNamed('backoff');
  const retries: unknown[] = [];
  const db = openPostgres(database, { warn: (_message, fields) => retries.push(fields?.retryMs) });
  cleanups.push(() => db.close());
  db.revisions.subscribe(() => undefined);
  const client = await observer(database);
  for (let broken = 1; broken <= 3; broken++) {
    await vi.waitFor(async () => expect(db.revisions.live && (await listening(client)).length).toBe(1), { timeout: 10_000 });
    await client.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [await listening(client)]);
    await vi.waitFor(() => expect(retries).toHaveLength(broken), { timeout: 10_000 });
  }
  expect(retries).toEqual([100, 200, 400]);
});

it('a control plane that cannot listen on its port closes its database: no connection (the LISTEN one included) is left behind', async () => {
  const database = await databaseNamed('start_fails');
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => taken.close(() => resolve())));
  const { port } = taken.address() as AddressInfo;
  const starting = startControlPlane({
    database,
    host: '127.0.0.1',
    port,
    managementKey: MANAGEMENT_KEY,
    secrets: TEST_SECRETS,
    logger: createLogger({ level: 'error' }),
    console: false,
  });
  await expect(starting).rejects.toThrow(/EADDRINUSE/);
  const client = await observer(database);
  // Left open, the pool's idle connections would stay 10 s, and the LISTEN one for good.
  await vi.waitFor(async () => expect(await backends(client, 'all')).toEqual([]), { timeout: 3_000 });
});
