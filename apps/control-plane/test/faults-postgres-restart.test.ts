// Fault: PostgreSQL stopped (fast shutdown, by the postmaster's PID) and started again on the same
// port and data directory, under a running control plane. During the outage every request that
// needs the database answers 503 naming it, promptly; an agent's long-poll in flight ends with an
// answer; the control plane neither crashes nor needs a restart afterwards (its pool reconnects).
// fsync=off in the test server is fine: a clean shutdown writes everything out.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordResult, setUpRegion, spawnControlPlane, untilSuccess, type ChildControlPlane } from './support/child.ts';
import { createTestDatabase, startTestPostgres, type TestPostgres } from './support/postgres.ts';

const cluster = (name: string) => ({ name, spec: { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } } });
/** An answer during the outage must come within this (the pool's connection timeout is 5 s). */
const BOUND_MS = 6_000;

let postgres: TestPostgres;
let cp: ChildControlPlane | undefined;
beforeAll(async () => {
  // Its own server: the shared one serves the other test files.
  postgres = await startTestPostgres();
}, 60_000);
afterAll(async () => {
  await cp?.kill('SIGKILL');
  await postgres?.stop();
});

it('answers 503 while PostgreSQL is down and works again once it is back, without a restart', async () => {
  cp = await spawnControlPlane(await createTestDatabase(postgres.url, 'fault_pg_restart'));
  const agent = await setUpRegion(cp);
  const acknowledged: string[] = [];
  // Concurrent writes, so that the pool holds several idle connections when the server goes.
  await Promise.all(
    ['a-0', 'a-1', 'a-2', 'a-3', 'a-4'].map(async (name) => {
      if ((await cp!.call('POST', '/api/v1/regions/r/clusters', cluster(name))).status === 201) acknowledged.push(name);
    }),
  );
  expect(acknowledged).toHaveLength(5);
  const { revision } = (await cp.call('GET', '/api/v1/regions/r')).json;
  const pollStarted = performance.now();
  // Settled either way now: a crash must fail the test below, not surface as an unhandled rejection.
  const poll = cp.call('GET', `/agent/v1/desired-state?after=${revision}&waitSeconds=25`, undefined, agent).catch((error: Error) => error);
  expect((await cp.call('GET', '/api/v1/regions')).status).toBe(200);

  await postgres.shutdown();
  const downAt = performance.now();
  const polled = await poll;
  if (polled instanceof Error) throw new Error(`the long-poll got no answer (${polled.message}); control plane alive: ${cp.alive()}\n${cp.log().slice(-3000)}`);
  expect({ status: polled.status, error: polled.json?.error }).toEqual({ status: 503, error: 'Unavailable' });
  expect(performance.now() - downAt).toBeLessThan(BOUND_MS);
  expect(performance.now() - pollStarted).toBeLessThan(25_000);

  const during = [
    () => cp!.call('GET', '/api/v1/regions'),
    () => cp!.call('POST', '/api/v1/regions/r/clusters', cluster('during-outage')),
    () => cp!.call('PUT', '/api/v1/regions/r', { name: 'r', namespace: 'ns-r', agentVersion: '0.1.0', operatorVersion: '0.2.0' }),
    () => cp!.call('POST', '/agent/v1/status', { appliedRevision: 0, clusters: [] }, agent),
  ];
  for (const request of during) {
    const started = performance.now();
    const answer = await request();
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
    expect({ status: answer.status, error: answer.json?.error }).toEqual({ status: 503, error: 'Unavailable' });
    expect(answer.json.message).toMatch(/database is unavailable/);
  }
  // What needs no database still answers.
  expect((await cp.call('GET', '/healthz')).status).toBe(200);
  expect(cp.alive()).toBe(true);

  await postgres.start();
  const upAt = performance.now();
  await untilSuccess(() => cp!.call('POST', '/api/v1/regions/r/clusters', cluster('after-restart')));
  const recoverMs = Math.round(performance.now() - upAt);

  expect(cp.alive()).toBe(true);
  const names = ((await cp.call('GET', '/api/v1/regions/r/clusters')).json.items as Array<{ name: string }>).map((c) => c.name);
  const dataLost = acknowledged.filter((name) => !names.includes(name)).length;
  expect(dataLost).toBe(0);
  // A refused write changed nothing; the one after the restart is there.
  expect(names).not.toContain('during-outage');
  expect(names).toContain('after-restart');
  expect((await cp.call('GET', '/api/v1/regions/r')).json.spec.operatorVersion).toBe('0.1.0');
  // The outage is in the log, as a warning.
  expect(cp.log()).toMatch(/"level":"warn","msg":"the database is unavailable"/);
  recordResult('postgres-restart', {
    fault: 'PostgreSQL fast shutdown and restart (same port, data dir) under a running control plane',
    checked: `requests during the outage answer 503 within ${BOUND_MS / 1000} s, long-poll in flight ends (503), no crash, no control-plane restart; ${acknowledged.length} acknowledged clusters present, refused writes absent`,
    recoverMs,
    dataLost,
  });
}, 60_000);
