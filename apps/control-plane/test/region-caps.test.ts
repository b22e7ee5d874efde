// A region's desired state stays within the agent contract's caps: creations past them are
// refused, and backups the region confirmed gone leave the database.
import { DesiredState } from '@qhc/schemas';
import { describe, expect, it } from 'vitest';
import { MAX_CLUSTERS_PER_REGION, MAX_RESOURCES_PER_REGION } from '../src/repositories/caps.ts';
import { apiSuite, cluster } from './support/api-suite.ts';
import { sqlOn } from './support/sql.ts';

const STAMP = '2026-01-01T00:00:00.000Z';
const backup = (name: string) => ({ name, clusterId: 'c1', spec: { 'cluster-id': 'c1', retention: '24h' } });
const snapshot = (name: string) => ({ kind: 'QdrantClusterSnapshot', name, spec: { 'cluster-id': 'c1' }, status: { phase: 'Succeeded' } });

/** `count` rows of the region, named `<prefix><n>`, inserted by the database itself (one statement). */
const fillRows = (table: 'clusters' | 'resources', count: number) =>
  table === 'clusters'
    ? `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
       INSERT INTO clusters (id, region_id, name, spec, created_at, updated_at)
       SELECT 'fill-c-' || i, $1, 'fill-' || i, $2, '${STAMP}', '${STAMP}' FROM n`
    : `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
       INSERT INTO resources (id, region_id, kind, name, cluster_id, spec, created_at, updated_at)
       SELECT 'fill-r-' || i, $1, 'QdrantClusterSnapshot', 'fill-' || i, 'c1', $2, '${STAMP}', '${STAMP}' FROM n`;

describe.each(['sqlite', 'postgres'] as const)("a region's caps on %s", (dialect) => {
  const suite = apiSuite(dialect, ['full']);
  const { call, installAgent } = suite;
  const sql = () => sqlOn(suite.cp.store.db);

  it('refuses a cluster and a backup past 10,000 (409 naming the limit); the desired state still parses', async () => {
    expect([MAX_CLUSTERS_PER_REGION, MAX_RESOURCES_PER_REGION]).toEqual([10_000, 10_000]);
    const agent = await installAgent('full');
    expect((await call('POST', '/api/v1/regions/full/clusters', cluster('c1'))).status).toBe(201);
    const { regionId } = (await call('GET', '/api/v1/regions/full/clusters/c1')).json;
    const spec = JSON.stringify(cluster('x').spec);
    await sql().run(fillRows('clusters', MAX_CLUSTERS_PER_REGION - 2), [regionId, spec]);
    // One place left, taken by a cluster being deleted: it counts.
    expect((await call('POST', '/api/v1/regions/full/clusters', cluster('c2'))).status).toBe(201);
    expect((await call('DELETE', '/api/v1/regions/full/clusters/c2')).status).toBe(202);
    const refused = await call('POST', '/api/v1/regions/full/clusters', cluster('c3'));
    expect([refused.status, refused.json.message]).toEqual([
      409,
      'region full holds 10000 clusters (those being deleted included), the most a region can: delete some first',
    ]);
    await sql().run(fillRows('resources', MAX_RESOURCES_PER_REGION - 1), [regionId, JSON.stringify({ 'cluster-id': 'c1' })]);
    expect((await call('POST', '/api/v1/regions/full/backups', backup('last'))).status).toBe(201);
    const noRoom = await call('POST', '/api/v1/regions/full/backups', backup('one-more'));
    expect([noRoom.status, noRoom.json.message]).toEqual([
      409,
      'region full holds 10000 backups, backup schedules and restores (those being deleted included), the most a region can: delete some first',
    ]);
    const desired = await call('GET', '/agent/v1/desired-state', undefined, agent);
    expect(desired.status).toBe(200);
    const parsed = DesiredState.safeParse(desired.json);
    expect(parsed.success).toBe(true);
    expect([parsed.data?.clusters.length, parsed.data?.deletions, parsed.data?.resources.length]).toEqual([9_999, ['c2'], 10_000]);
  });
});

describe.each(['sqlite', 'postgres'] as const)('backups the region confirmed gone on %s', (dialect) => {
  const suite = apiSuite(dialect, ['daily']);
  const { call, installAgent } = suite;
  const revision = async () => (await call('GET', '/api/v1/regions/daily')).json.revision as number;
  const rows = async () => (await sqlOn(suite.cp.store.db).all<{ name: string }>('SELECT name FROM resources ORDER BY name')).map((r) => r.name);

  it('a backup made through the API and later removed in the region (its retention) leaves the database and the desired state', async () => {
    const agent = await installAgent('daily');
    expect((await call('POST', '/api/v1/regions/daily/clusters', cluster('c1'))).status).toBe(201);
    for (const name of ['day-1', 'day-2']) expect((await call('POST', '/api/v1/regions/daily/backups', backup(name))).status).toBe(201);
    const report = async (resources: unknown[], appliedRevision: number) =>
      (await call('POST', '/agent/v1/status', { appliedRevision, clusters: [], resources }, agent)).status;
    // Not yet reported by a region that has applied it: kept (the agent may not have made it yet).
    expect(await report([snapshot('day-2')], await revision())).toBe(204);
    expect(await rows()).toEqual(['day-1', 'day-2']);
    expect(await report([snapshot('day-1'), snapshot('day-2')], await revision())).toBe(204);
    // A report of an older revision removes nothing.
    const before = await revision();
    expect(await report([snapshot('day-2')], before - 1)).toBe(204);
    expect(await rows()).toEqual(['day-1', 'day-2']);
    // day-1's retention ran out: the region removed it.
    expect(await report([snapshot('day-2')], before)).toBe(204);
    expect(await rows()).toEqual(['day-2']);
    expect(await revision()).toBe(before + 1);
    const desired = (await call('GET', '/agent/v1/desired-state', undefined, agent)).json;
    expect(desired.resources.map((r: { name: string }) => r.name)).toEqual(['day-2']);
    expect(desired.resourceDeletions).toEqual([]);
    expect((await call('GET', '/api/v1/regions/daily/backups')).json.items.map((b: { name: string }) => b.name)).toEqual(['day-2']);
  });
});
