// Clusters, backups, schedules and restores through the API, on SQLite and on PostgreSQL.
import { describe, expect, it } from 'vitest';
import { ClusterRecord, RegionRecord } from '@qhc/schemas';
import { apiSuite, cluster } from './support/api-suite.ts';

describe.each(['sqlite', 'postgres'] as const)('clusters on %s', (dialect) => {
  const suite = apiSuite(dialect, ['eu-1']);
  const { call, installAgent } = suite;

  it('clusters: create, update, scale, delete; the desired state follows with a new revision each time', async () => {
    const agent = await installAgent('eu-1');
    const before = (await call('GET', '/agent/v1/desired-state', undefined, agent)).json.revision;
    const created = await call('POST', '/api/v1/regions/eu-1/clusters', cluster('search', 3));
    expect(created.status).toBe(201);
    // The answers keep the contract the console and the CLI read them by (@qhc/schemas).
    expect(() => ClusterRecord.parse(created.json)).not.toThrow();
    const stored = (await call('GET', '/api/v1/regions/eu-1')).json;
    expect(() => RegionRecord.parse(stored)).not.toThrow();
    expect(
      (await call('POST', '/api/v1/regions/eu-1/clusters', { name: 'bad', spec: { size: 0 } })).json.problems.map((p: { path: string[] }) => p.path.join('.')),
    ).toEqual(expect.arrayContaining(['spec.version', 'spec.size']));
    await call('POST', '/api/v1/regions/eu-1/clusters/search/scale', { size: 5 });
    const desired = (await call('GET', `/agent/v1/desired-state?after=${before}`, undefined, agent)).json;
    expect(desired.revision).toBe(before + 2);
    expect(desired.clusters).toEqual([{ id: 'search', spec: expect.objectContaining({ id: 'search', size: 5, version: 'v1.16.2' }) }]);
    expect(desired.region).toMatchObject({ name: 'eu-1', namespace: 'ns-eu-1' });
    expect((await call('POST', '/api/v1/regions/eu-1/clusters/search/scale', { size: 'many' })).status).toBe(400);
    const restarted = await call('POST', '/api/v1/regions/eu-1/clusters/search/restart');
    expect(restarted.json.annotations.restartedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const withRestart = (await call('GET', `/agent/v1/desired-state?after=${desired.revision}`, undefined, agent)).json;
    expect(withRestart.clusters[0].annotations).toEqual({ restartedAt: restarted.json.annotations.restartedAt });

    expect((await call('DELETE', '/api/v1/regions/eu-1/clusters/search')).status).toBe(202);
    const afterDelete = (await call('GET', '/agent/v1/desired-state', undefined, agent)).json;
    expect([afterDelete.clusters, afterDelete.deletions]).toEqual([[], ['search']]);
    // Reported gone by an agent that has not applied the deletion yet: kept.
    await call('POST', '/agent/v1/status', { appliedRevision: before, clusters: [] }, agent);
    expect((await call('GET', '/api/v1/regions/eu-1/clusters/search')).status).toBe(200);
    await call('POST', '/agent/v1/status', { appliedRevision: afterDelete.revision, clusters: [] }, agent);
    expect((await call('GET', '/api/v1/regions/eu-1/clusters/search')).status).toBe(404);
  });
});

describe.each(['sqlite', 'postgres'] as const)('backups, schedules and restores on %s', (dialect) => {
  const suite = apiSuite(dialect, ['eu-1']);
  const { call, installAgent } = suite;

  it('backups, schedules and restores: validated, handed to the agent, their status and the ones found in the region listed', async () => {
    const agent = await installAgent('eu-1');
    expect((await call('POST', '/api/v1/regions/eu-1/clusters', cluster('search'))).status).toBe(201);
    const bad = await call('POST', '/api/v1/regions/eu-1/backup-schedules', {
      name: 's1',
      clusterId: 'search',
      spec: { 'cluster-id': 'search', scheduleShortId: 's1', schedule: '61 * * * *', retention: '1h' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.problems[0]).toMatchObject({ path: ['spec', 'schedule'] });
    expect(
      (await call('POST', '/api/v1/regions/eu-1/backups', { name: 'b1', clusterId: 'search', spec: { 'cluster-id': 'search', retention: '72h' } })).status,
    ).toBe(201);
    expect((await call('POST', '/api/v1/regions/eu-1/backups', { name: 'b1', clusterId: 'search', spec: { 'cluster-id': 'search' } })).status).toBe(409);
    const state = (await call('GET', '/agent/v1/desired-state', undefined, agent)).json;
    expect(state.resources).toEqual([{ kind: 'QdrantClusterSnapshot', name: 'b1', clusterId: 'search', spec: { 'cluster-id': 'search', retention: '72h' } }]);
    await call(
      'POST',
      '/agent/v1/status',
      {
        appliedRevision: state.revision,
        clusters: [],
        resources: [
          { kind: 'QdrantClusterSnapshot', name: 'b1', spec: { 'cluster-id': 'search' }, status: { phase: 'Succeeded' } },
          {
            kind: 'QdrantClusterSnapshot',
            name: 'nightly-1796119200',
            spec: { 'cluster-id': 'search', scheduleShortId: 'n1' },
            status: { phase: 'Succeeded' },
            created: '2026-12-01T02:00:00Z',
          },
        ],
      },
      agent,
    );
    const listed = (await call('GET', '/api/v1/regions/eu-1/backups')).json.items;
    expect(listed.map((b: { name: string; origin: string; status?: { phase?: string } }) => [b.name, b.origin, b.status?.phase])).toEqual([
      ['b1', 'control-plane', 'Succeeded'],
      ['nightly-1796119200', 'region', 'Succeeded'],
    ]);
    // A backup found in the region is deleted there through the same list.
    expect((await call('DELETE', '/api/v1/regions/eu-1/backups/nightly-1796119200')).status).toBe(202);
    const after = (await call('GET', '/agent/v1/desired-state', undefined, agent)).json;
    expect(after.resourceDeletions).toEqual([{ kind: 'QdrantClusterSnapshot', name: 'nightly-1796119200' }]);
    await call(
      'POST',
      '/agent/v1/status',
      {
        appliedRevision: after.revision,
        clusters: [],
        resources: [{ kind: 'QdrantClusterSnapshot', name: 'b1', spec: { 'cluster-id': 'search' }, status: { phase: 'Succeeded' } }],
      },
      agent,
    );
    expect((await call('GET', '/api/v1/regions/eu-1/backups')).json.items.map((b: { name: string }) => b.name)).toEqual(['b1']);
    expect((await call('DELETE', '/api/v1/regions/eu-1/restores/none')).status).toBe(404);
  });
});
