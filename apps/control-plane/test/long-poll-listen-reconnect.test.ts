// PostgreSQL killed and started again under a control plane whose long-polls wait for notices
// only (the look-again intervals are an hour): losing the listening connection wakes every
// waiting long-poll once (the database down: each answers Unavailable), the connection comes back
// by itself, and it hears notices again. Killed, not shut down: in a fast shutdown a pooled
// backend may answer the woken long-poll's look before its own SIGTERM ends it (the likely cause
// of one CI run's timeout, under load); the long-poll then looks again at its next poll, which
// this test puts an hour away.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { parseClusterInput } from '../src/api/inputs.ts';
import { startWithEnvironment, type EnvironmentFixture } from './support/cloud-region.ts';
import { callApi } from './support/http.ts';
import { createTestDatabase, startTestPostgres, type TestPostgres } from './support/postgres.ts';

const HOUR_MS = 3_600_000;

let postgres: TestPostgres;
let f: EnvironmentFixture | undefined;
beforeAll(async () => {
  // Its own server: the shared one serves the other test files.
  postgres = await startTestPostgres();
}, 60_000);
afterAll(async () => {
  await f?.cp.stop();
  await postgres?.stop();
});

it('PostgreSQL killed and restarted: the waiting long-poll answers Unavailable at once, the LISTEN connection reconnects and hears the next change', async () => {
  const database = await createTestDatabase(postgres.url, 'reconnect');
  f = await startWithEnvironment(database, undefined, { pollIntervalMs: HOUR_MS, recheckMs: HOUR_MS, maxWaitSeconds: 600 });
  const { cp, agent, environmentId } = f;
  const { revisions } = cp.store.db;
  await vi.waitFor(() => expect(revisions.live).toBe(true));
  const poll = (after: number) =>
    callApi(cp.url, 'GET', `/agent/v1/desired-state?after=${after}&waitSeconds=300`, { headers: { authorization: `Bearer ${agent}` } });
  const { revision } = (await poll(-1)).json as { revision: number };
  const waiting = poll(revision);
  await cp.longPolls.parked(environmentId);
  // Nothing moves the revision and the recheck is an hour away: only the lost LISTEN connection
  // can wake the long-poll, which looks and finds the database down.
  await postgres.crash();
  expect((await waiting).status).toBe(503);
  await vi.waitFor(() => expect(revisions.live).toBe(false));
  await postgres.start();
  await vi.waitFor(() => expect(revisions.live).toBe(true), { timeout: 15_000 });
  // Listening again: a change wakes a parked long-poll (the only way, with an hour's recheck).
  const again = poll(revision);
  await cp.longPolls.parked(environmentId);
  const spec = { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } };
  await cp.store.createCluster(await cp.store.region('r'), parseClusterInput({ name: 'after-restart', spec }));
  const answered = await again;
  expect(answered.status).toBe(200);
  expect(answered.json.clusters.map((c: { id: string }) => c.id)).toEqual(['after-restart']);
});
