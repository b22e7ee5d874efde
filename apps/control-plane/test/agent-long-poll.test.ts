// The agent's side of the API (its long-poll and its reports), on SQLite and on PostgreSQL, with
// environments made through the Cloud API. (Installation commands and tokens: cloud-auth,
// cloud-hybrid-bootstrap, cloud-qhc-environment.)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseClusterInput } from '../src/api/inputs.ts';
import { startWithEnvironment, type EnvironmentFixture } from './support/cloud-region.ts';
import { caller, callApi } from './support/http.ts';
import { createTestDatabase } from './support/postgres.ts';

let counter = 0;
const databaseOf = async (dialect: 'sqlite' | 'postgres') =>
  dialect === 'sqlite'
    ? join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'control-plane.db')
    : createTestDatabase(inject('postgresUrl'), `agent_${process.pid}_${counter++}_${Math.random().toString(36).slice(2, 8)}`);

/** Environment `r` (the fixture's) and its agent, per describe block. */
function agentSuite(dialect: 'sqlite' | 'postgres') {
  let f: EnvironmentFixture | undefined;
  beforeAll(async () => {
    f = await startWithEnvironment(await databaseOf(dialect));
  });
  afterAll(async () => {
    await f?.cp.stop();
  });
  const fixture = () => f!;
  const call = caller(() => f!.cp.url, null);
  const addCluster = async (regionName: string, name: string) => {
    const { store } = fixture().cp;
    const spec = { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } };
    await store.createCluster(await store.region(regionName), parseClusterInput({ name, spec }));
  };
  /** Another environment, `name`, and its registered agent's token. */
  const addEnvironment = async (name: string) => {
    const { cp, hybrid, options } = fixture();
    const configuration = { namespace: `ns-${name}` };
    const env = await hybrid.createHybridCloudEnvironment({ hybridCloudEnvironment: { accountId: cp.accountId, name, configuration } }, options);
    const ids = { accountId: cp.accountId, hybridCloudEnvironmentId: env.hybridCloudEnvironment!.id };
    const { accessKey } = await hybrid.generateBootstrapCommands(ids, options);
    const registered = await callApi(cp.url, 'POST', '/agent/v1/register', { headers: { authorization: `Bearer ${accessKey}` } });
    expect(registered.status).toBe(201);
    return registered.json.token as string;
  };
  return { fixture, call, addCluster, addEnvironment };
}

describe.each(['sqlite', 'postgres'] as const)("the agent's long-poll on %s", (dialect) => {
  const { fixture, call, addCluster } = agentSuite(dialect);

  it('the agent long-polls: an answer as soon as the revision moves, 204 when nothing changed', async () => {
    const { agent, cp, environmentId } = fixture();
    const { revision } = (await call('GET', '/agent/v1/desired-state', undefined, agent)).json;
    const idle = Date.now();
    expect((await call('GET', `/agent/v1/desired-state?after=${revision}&waitSeconds=1`, undefined, agent)).status).toBe(204);
    expect(Date.now() - idle).toBeGreaterThanOrEqual(900);
    const waiting = call('GET', `/agent/v1/desired-state?after=${revision}&waitSeconds=20`, undefined, agent);
    // Parked: the change below must wake it, not be there when it first looks.
    await cp.longPolls.parked(environmentId);
    await addCluster('r', 'later');
    const answered = await waiting;
    expect(answered.status).toBe(200);
    expect(answered.json.clusters.map((c: { id: string }) => c.id)).toContain('later');
  });
});

describe.each(['sqlite', 'postgres'] as const)("the agent's reports on %s", (dialect) => {
  const { fixture, call, addCluster, addEnvironment } = agentSuite(dialect);

  it('an agent sees and changes only its own region', async () => {
    const us = await addEnvironment('us-1');
    await addCluster('us-1', 'us-only');
    const { agent: eu, cp } = fixture();
    const euState = (await call('GET', '/agent/v1/desired-state', undefined, eu)).json;
    expect(euState.region.name).toBe(fixture().environmentId);
    expect(euState.clusters.map((c: { id: string }) => c.id)).not.toContain('us-only');
    // A report names clusters by id within the reporting agent's region: eu's agent cannot touch us-1's.
    await call('POST', '/agent/v1/status', { appliedRevision: 999, clusters: [{ id: 'us-only', phase: 'Healthy' }] }, eu);
    expect((await cp.store.cluster('us-1', 'us-only')).status).toBeUndefined();
    await call(
      'POST',
      '/agent/v1/status',
      { appliedRevision: 1, region: { phase: 'Ready' }, clusters: [{ id: 'us-only', phase: 'Healthy', nodesReady: 1 }] },
      us,
    );
    expect((await cp.store.cluster('us-1', 'us-only')).status).toEqual({ id: 'us-only', phase: 'Healthy', nodesReady: 1 });
    expect(await cp.store.region('us-1')).toMatchObject({ appliedRevision: 1, status: { phase: 'Ready' }, lastSeenAt: expect.any(String) });
    expect((await call('POST', '/agent/v1/status', { clusters: 'all' }, us)).status).toBe(400);
    // An agent's token opens nothing of the Cloud API.
    const listed = await callApi(cp.url, 'GET', `/api/hybrid/v1/accounts/${cp.accountId}/hybrid-cloud-environments`, {
      headers: { authorization: `Bearer ${us}` },
    });
    expect(listed.status).toBe(401);
  });
});
