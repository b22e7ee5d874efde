// Tokens, installation commands and the agent's side of the API, on SQLite and on PostgreSQL.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHART_REPOSITORY_URL } from '@qhc/schemas';
import { ADMIN, apiSuite, cluster, region } from './support/api-suite.ts';
import { sqlOn } from './support/sql.ts';

describe.each(['sqlite', 'postgres'] as const)('tokens and installation on %s', (dialect) => {
  const suite = apiSuite(dialect, ['eu-1']);
  const { call, installAgent } = suite;

  it('authenticates: no token, an unknown or revoked one is 401; a token of another kind is 403', async () => {
    expect((await call('GET', '/api/v1/regions', undefined, null)).status).toBe(401);
    expect((await call('GET', '/api/v1/regions', undefined, 'qhc_u_nope')).json).toMatchObject({ error: 'Unauthenticated' });
    const issued = await call('POST', '/api/v1/tokens', { name: 'ci' });
    expect((await call('GET', '/api/v1/regions', undefined, issued.json.token)).status).toBe(200);
    expect((await call('DELETE', `/api/v1/tokens/${issued.json.id}`)).status).toBe(204);
    expect((await call('GET', '/api/v1/regions', undefined, issued.json.token)).status).toBe(401);
    const agent = await installAgent('eu-1');
    const forbidden = await call('GET', '/api/v1/regions', undefined, agent);
    expect([forbidden.status, forbidden.json.message]).toEqual([403, 'a agent token cannot do this; it needs a user token']);
    // Tokens are stored hashed: the database holds no token text.
    const rows = await sqlOn(suite.cp.store.db).all<{ hash: string }>('SELECT hash FROM tokens');
    expect(rows.some((r) => r.hash === ADMIN || r.hash === agent)).toBe(false);
  });

  it('the installation command: a one-time bootstrap token, the script, and one exchange for the agent credential', async () => {
    const install = await call('POST', '/api/v1/regions/eu-1/installation');
    expect(install.status).toBe(201);
    expect(install.json.command).toBe(`curl -fsSL https://cp.example.test/install/${install.json.bootstrapToken} | bash`);
    const script = await fetch(`${suite.cp.url}/install/${install.json.bootstrapToken}`);
    const text = await script.text();
    expect(script.headers.get('content-type')).toMatch(/^text\/x-shellscript/);
    expect(text).toContain('namespace "ns-eu-1"');
    expect(text).toContain(install.json.bootstrapToken);
    // The Helm way: the region's chart at the operator's version, the token only in the values on stdin.
    expect(install.json.helmCommand).toBe(`curl -fsSL https://cp.example.test/install/${install.json.bootstrapToken}/helm | bash`);
    const helmScript = await (await fetch(`${suite.cp.url}/install/${install.json.bootstrapToken}/helm`)).text();
    const helmLine = helmScript.split('\n').find((l) => l.startsWith('helm upgrade --install'))!;
    expect(helmLine.startsWith(`helm upgrade --install qhc ${DEFAULT_CHART_REPOSITORY_URL}/qhc --version `)).toBe(true);
    expect(helmScript).toContain(`bootstrapToken: ${install.json.bootstrapToken}`);
    expect(helmScript).toContain('--namespace ns-eu-1 --create-namespace');
    // A newer command makes the older unused one invalid.
    const newer = await call('POST', '/api/v1/regions/eu-1/installation');
    expect((await call('POST', '/agent/v1/register', undefined, install.json.bootstrapToken)).status).toBe(401);
    const first = await call('POST', '/agent/v1/register', undefined, newer.json.bootstrapToken);
    expect(first.json).toMatchObject({ region: 'eu-1', token: expect.stringMatching(/^qhc_a_/) });
    expect((await call('POST', '/agent/v1/register', undefined, newer.json.bootstrapToken)).status).toBe(401);
    expect((await fetch(`${suite.cp.url}/install/${newer.json.bootstrapToken}`)).status).toBe(401);
    expect((await fetch(`${suite.cp.url}/install/${newer.json.bootstrapToken}/helm`)).status).toBe(401);
    // Rotation: the new credential works, the old one no longer does.
    const rotated = await call('POST', '/agent/v1/rotate', undefined, first.json.token);
    expect((await call('GET', '/agent/v1/desired-state', undefined, rotated.json.token)).status).toBe(200);
    expect((await call('GET', '/agent/v1/desired-state', undefined, first.json.token)).status).toBe(401);
  });
});

describe.each(['sqlite', 'postgres'] as const)("the agent's long-poll and reports on %s", (dialect) => {
  const suite = apiSuite(dialect, ['eu-1']);
  const { call, installAgent } = suite;

  it('the agent long-polls: an answer as soon as the revision moves, 204 when nothing changed', async () => {
    const agent = await installAgent('eu-1');
    const { revision } = (await call('GET', '/agent/v1/desired-state', undefined, agent)).json;
    const idle = Date.now();
    expect((await call('GET', `/agent/v1/desired-state?after=${revision}&waitSeconds=1`, undefined, agent)).status).toBe(204);
    expect(Date.now() - idle).toBeGreaterThanOrEqual(900);
    const waiting = call('GET', `/agent/v1/desired-state?after=${revision}&waitSeconds=20`, undefined, agent);
    // Parked: the change below must wake it, not be there when it first looks.
    await suite.cp.longPolls.parked((await call('GET', '/api/v1/regions/eu-1')).json.id);
    await call('POST', '/api/v1/regions/eu-1/clusters', cluster('later'));
    const answered = await waiting;
    expect(answered.status).toBe(200);
    expect(answered.json.clusters.map((c: { id: string }) => c.id)).toContain('later');
  });

  it('an agent sees and changes only its own region', async () => {
    await call('POST', '/api/v1/regions', region('us-1'));
    await call('POST', '/api/v1/regions/us-1/clusters', cluster('us-only'));
    const eu = await installAgent('eu-1');
    const us = await installAgent('us-1');
    const euState = (await call('GET', '/agent/v1/desired-state', undefined, eu)).json;
    expect(euState.region.name).toBe('eu-1');
    expect(euState.clusters.map((c: { id: string }) => c.id)).not.toContain('us-only');
    // A report names clusters by id within the reporting agent's region: eu's agent cannot touch us-1's.
    await call('POST', '/agent/v1/status', { appliedRevision: 999, clusters: [{ id: 'us-only', phase: 'Healthy' }] }, eu);
    expect((await call('GET', '/api/v1/regions/us-1/clusters/us-only')).json.status).toBeUndefined();
    await call(
      'POST',
      '/agent/v1/status',
      { appliedRevision: 1, region: { phase: 'Ready' }, clusters: [{ id: 'us-only', phase: 'Healthy', nodesReady: 1 }] },
      us,
    );
    expect((await call('GET', '/api/v1/regions/us-1/clusters/us-only')).json.status).toEqual({ id: 'us-only', phase: 'Healthy', nodesReady: 1 });
    expect((await call('GET', '/api/v1/regions/us-1')).json).toMatchObject({ appliedRevision: 1, status: { phase: 'Ready' }, lastSeenAt: expect.any(String) });
    expect((await call('POST', '/agent/v1/status', { clusters: 'all' }, us)).status).toBe(400);
    expect((await call('GET', '/api/v1/regions/us-1/clusters', undefined, us)).status).toBe(403);
  });
});
