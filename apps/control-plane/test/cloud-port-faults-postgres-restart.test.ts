// faults-postgres-restart.test.ts on the Cloud API: PostgreSQL stopped (fast shutdown, by the
// postmaster's PID) and started again on the same port and data directory, under a running
// control plane. During the outage every Cloud API call that needs the database is Unavailable
// naming it, promptly; an agent's long-poll in flight ends with an answer; the control plane
// neither crashes nor needs a restart afterwards (its pool reconnects).
import { Code, ConnectError } from '@connectrpc/connect';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PACKAGE, recordResult, setUpEnvironment, spawnCloudControlPlane, untilOk, type CloudChild } from './support/cloud-child.ts';
import { createTestDatabase, startTestPostgres, type TestPostgres } from './support/postgres.ts';

/** An answer during the outage must come within this (the pool's connection timeout is 5 s). */
const BOUND_MS = 6_000;

let postgres: TestPostgres;
let cp: CloudChild | undefined;
beforeAll(async () => {
  // Its own server: the shared one serves the other test files.
  postgres = await startTestPostgres();
}, 60_000);
afterAll(async () => {
  await cp?.kill('SIGKILL');
  await postgres?.stop();
});

const clusterOf = (plane: CloudChild, environmentId: string, name: string) => ({
  cluster: {
    accountId: plane.accountId,
    name,
    cloudProviderId: 'hybrid',
    cloudProviderRegionId: environmentId,
    configuration: { numberOfNodes: 1, version: 'v1.16.3', packageId: PACKAGE },
  },
});

/** Each call during the outage: Unavailable naming the database, within the bound. */
async function refusedDuringOutage(plane: CloudChild, environmentId: string, agentToken: string): Promise<void> {
  const { hybrid, clusters } = plane.clients;
  const ids = { accountId: plane.accountId, hybridCloudEnvironmentId: environmentId };
  const during: Array<() => Promise<unknown>> = [
    () => hybrid.listHybridCloudEnvironments({ accountId: plane.accountId }, plane.options),
    () => clusters.createCluster(clusterOf(plane, environmentId, 'during-outage'), plane.options),
    () =>
      hybrid.updateHybridCloudEnvironment(
        { hybridCloudEnvironment: { ...ids, id: environmentId, name: 'r', configuration: { namespace: 'ns-r', databaseStorageClass: 'during' } } },
        plane.options,
      ),
  ];
  for (const request of during) {
    const started = performance.now();
    const error = await request().then(
      () => new Error('the call succeeded'),
      (e: unknown) => e,
    );
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
    expect(error).toBeInstanceOf(ConnectError);
    expect([(error as ConnectError).code, (error as ConnectError).rawMessage]).toEqual([Code.Unavailable, expect.stringMatching(/database is unavailable/)]);
  }
  const status = await plane.agent('POST', '/agent/v1/status', agentToken, { appliedRevision: 0, clusters: [] });
  expect({ status: status.status, error: status.json?.error }).toEqual({ status: 503, error: 'Unavailable' });
}

it('answers Unavailable while PostgreSQL is down and works again once it is back, without a restart', async () => {
  cp = await spawnCloudControlPlane(await createTestDatabase(postgres.url, 'cloud_fault_pg_restart'));
  const { environmentId, agentToken } = await setUpEnvironment(cp);
  const { clusters, hybrid } = cp.clients;
  const acknowledged: string[] = [];
  // Concurrent writes, so that the pool holds several idle connections when the server goes.
  await Promise.all(
    ['a-00', 'a-01', 'a-02', 'a-03', 'a-04'].map(async (name) => {
      await clusters.createCluster(clusterOf(cp!, environmentId, name), cp!.options);
      acknowledged.push(name);
    }),
  );
  expect(acknowledged).toHaveLength(5);
  const { revision } = (await cp.agent('GET', '/agent/v1/desired-state', agentToken)).json as { revision: number };
  const pollStarted = performance.now();
  // Settled either way now: a crash must fail the test below, not surface as an unhandled rejection.
  const poll = cp.agent('GET', `/agent/v1/desired-state?after=${revision}&waitSeconds=25`, agentToken).catch((error: Error) => error);

  await postgres.shutdown();
  const downAt = performance.now();
  const polled = await poll;
  if (polled instanceof Error) throw new Error(`the long-poll got no answer (${polled.message}); control plane alive: ${cp.alive()}\n${cp.log().slice(-3000)}`);
  expect({ status: polled.status, error: polled.json?.error }).toEqual({ status: 503, error: 'Unavailable' });
  expect(performance.now() - downAt).toBeLessThan(BOUND_MS);
  expect(performance.now() - pollStarted).toBeLessThan(25_000);
  await refusedDuringOutage(cp, environmentId, agentToken);
  // What needs no database still answers.
  expect((await fetch(`${cp.url}/healthz`)).status).toBe(200);
  expect(cp.alive()).toBe(true);

  await postgres.start();
  const upAt = performance.now();
  await untilOk(() => clusters.createCluster(clusterOf(cp!, environmentId, 'after-restart'), cp!.options));
  const recoverMs = Math.round(performance.now() - upAt);

  expect(cp.alive()).toBe(true);
  const listed = await clusters.listClusters({ accountId: cp.accountId, cloudProviderId: 'hybrid', cloudProviderRegionId: environmentId }, cp.options);
  const names = listed.items.map((c) => c.name);
  const dataLost = acknowledged.filter((name) => !names.includes(name)).length;
  expect(dataLost).toBe(0);
  // A refused write changed nothing; the one after the restart is there.
  expect(names).not.toContain('during-outage');
  expect(names).toContain('after-restart');
  const env = await hybrid.getHybridCloudEnvironment({ accountId: cp.accountId, hybridCloudEnvironmentId: environmentId }, cp.options);
  expect(env.hybridCloudEnvironment?.configuration?.databaseStorageClass).toBeUndefined();
  // The outage is in the log, as a warning.
  expect(cp.log()).toMatch(/"level":"warn","msg":"the database is unavailable"/);
  recordResult('cloud-postgres-restart', {
    fault: 'PostgreSQL fast shutdown and restart (same port, data dir) under a running control plane, driven through the Cloud API',
    checked: `Cloud API calls during the outage are Unavailable within ${BOUND_MS / 1000} s, long-poll in flight ends (503), no crash, no control-plane restart; ${acknowledged.length} acknowledged clusters present, refused writes absent`,
    recoverMs,
    dataLost,
  });
}, 60_000);
