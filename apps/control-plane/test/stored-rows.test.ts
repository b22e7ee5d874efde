// Rows an earlier release wrote, seeded in the database as it wrote them: read back as stored
// (no 500, no defaults added), so an upgrade never stops a list, a GET or an agent's long-poll.
import { describe, expect, it } from 'vitest';
import { readClusterSpec } from '../src/repositories/rows.ts';
import { hashToken } from '../src/repositories/tokens.ts';
import { apiSuite, cluster } from './support/api-suite.ts';
import { sqlOn } from './support/sql.ts';

const OLD_REGISTRY = 'https://registry.example.com/Team/Qdrant/';
const backup = (name: string) => ({ name, clusterId: 'bk', spec: { 'cluster-id': 'bk' } });

describe('a JSON column read as stored', () => {
  it('returns what is stored, defaults not added; a row that does not fit is told once, naming its table, id and column', () => {
    const warnings: Array<[string, Record<string, unknown> | undefined]> = [];
    const at = { log: { warn: (message: string, fields?: Record<string, unknown>) => warnings.push([message, fields]) }, table: 'clusters', id: 'row-1' };
    const fitting = { version: 'v1.16.2', size: 1 };
    expect(readClusterSpec(JSON.stringify(fitting), at)).toEqual(fitting);
    expect(warnings).toEqual([]);
    const older = { version: 'latest', size: 1, storage: { iops: 3000 } };
    expect(readClusterSpec(JSON.stringify(older), at)).toEqual(older);
    expect(readClusterSpec(JSON.stringify(older), at)).toEqual(older);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]![1]).toMatchObject({ table: 'clusters', id: 'row-1', column: 'spec' });
    // Not an object where one is expected: nothing downstream could use it.
    expect(readClusterSpec('[1]', { ...at, id: 'row-2' })).toEqual({});
    expect(readClusterSpec('{', { ...at, id: 'row-3' })).toEqual({});
    expect(warnings.map(([, fields]) => fields?.id)).toEqual(['row-1', 'row-2', 'row-3']);
  });
});

describe.each(['sqlite', 'postgres'] as const)('a region and a cluster stored by an older release on %s', (dialect) => {
  const suite = apiSuite(dialect, ['old']);
  const { call, installAgent } = suite;
  const sql = () => sqlOn(suite.cp.store.db);

  it('a region spec with an upper-case registry path and no defaulted fields reads as stored, and its agent still gets the desired state', async () => {
    const agent = await installAgent('old');
    const current = (await call('GET', '/api/v1/regions/old')).json.spec;
    const { logLevel: _dropped, ...older } = { ...current, containerRegistryUrl: OLD_REGISTRY };
    await sql().run("UPDATE regions SET spec = $1 WHERE name = 'old'", [JSON.stringify(older)]);
    const got = await call('GET', '/api/v1/regions/old');
    expect([got.status, got.json.spec]).toEqual([200, older]);
    const listed = await call('GET', '/api/v1/regions');
    expect([listed.status, listed.json.items.find((r: { name: string }) => r.name === 'old')?.spec]).toEqual([200, older]);
    const desired = await call('GET', '/agent/v1/desired-state', undefined, agent);
    expect([desired.status, desired.json.region]).toEqual([200, older]);
  });

  it('a cluster spec with storage iops and throughput and version "latest" reads, restarts and deletes', async () => {
    const agent = await installAgent('old');
    expect((await call('POST', '/api/v1/regions/old/clusters', cluster('legacy'))).status).toBe(201);
    expect((await call('POST', '/api/v1/regions/old/clusters', cluster('fine'))).status).toBe(201);
    const older = { version: 'latest', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' }, storage: { iops: 3000, throughput: 125 } };
    await sql().run("UPDATE clusters SET spec = $1 WHERE name = 'legacy'", [JSON.stringify(older)]);
    const got = await call('GET', '/api/v1/regions/old/clusters/legacy');
    expect([got.status, got.json.spec]).toEqual([200, older]);
    const listed = await call('GET', '/api/v1/regions/old/clusters');
    expect([listed.status, listed.json.items.map((c: { name: string }) => c.name)]).toEqual([200, ['fine', 'legacy']]);
    const desired = await call('GET', '/agent/v1/desired-state', undefined, agent);
    expect(desired.status).toBe(200);
    expect(desired.json.clusters.find((c: { id: string }) => c.id === 'legacy').spec).toEqual({ ...older, id: 'legacy' });
    const restarted = await call('POST', '/api/v1/regions/old/clusters/legacy/restart');
    expect([restarted.status, restarted.json.spec, typeof restarted.json.annotations.restartedAt]).toEqual([200, older, 'string']);
    expect((await call('DELETE', '/api/v1/regions/old/clusters/legacy')).status).toBe(202);
    expect((await call('GET', '/agent/v1/desired-state', undefined, agent)).json.deletions).toEqual(['legacy']);
  });

  it('a previous cluster status this release cannot read does not block the next report', async () => {
    const agent = await installAgent('old');
    expect((await call('POST', '/api/v1/regions/old/clusters', cluster('st'))).status).toBe(201);
    await sql().run("UPDATE clusters SET status = $1 WHERE name = 'st'", [JSON.stringify({ phase: 7, conditions: 'none' })]);
    expect((await call('GET', '/api/v1/regions/old/clusters/st')).json.status).toEqual({ phase: 7, conditions: 'none' });
    const revision = (await call('GET', '/api/v1/regions/old')).json.revision;
    const report = { appliedRevision: revision, clusters: [{ id: 'st', phase: 'Healthy', nodes: 1, nodesReady: 1 }] };
    expect((await call('POST', '/agent/v1/status', report, agent)).status).toBe(204);
    const events = (await call('GET', '/api/v1/regions/old/clusters/st/events')).json.items.map((e: { message: string }) => e.message);
    expect(events.slice(0, 2)).toEqual(['1/1 nodes ready', 'Healthy']);
    expect((await call('GET', '/api/v1/regions/old/clusters/st')).json.status).toMatchObject({ phase: 'Healthy' });
  });
});

describe.each(['sqlite', 'postgres'] as const)('enums and resource statuses from another release on %s', (dialect) => {
  const suite = apiSuite(dialect, ['rs']);
  const { call, installAgent } = suite;
  const sql = () => sqlOn(suite.cp.store.db);

  it('an event of an unknown type is left out of the timeline; a token of an unknown kind is refused (401)', async () => {
    expect((await call('POST', '/api/v1/regions/rs/clusters', cluster('ev'))).status).toBe(201);
    const { id } = (await call('GET', '/api/v1/regions/rs/clusters/ev')).json;
    const at = '2999-01-01T00:00:00.000Z';
    await sql().run('INSERT INTO cluster_events (id, cluster_id, at, type, message) VALUES ($1, $2, $3, $4, $5)', [`${at}#000#x`, id, at, 'Scaled', 'newer']);
    const events = await call('GET', '/api/v1/regions/rs/clusters/ev/events');
    expect([events.status, events.json.items.map((e: { type: string }) => e.type)]).toEqual([200, ['Requested']]);
    const token = 'qhc_r_robot-token-0123456789';
    await sql().run("INSERT INTO tokens (id, kind, name, hash, created_at) VALUES ('robot-1', 'robot', 'robot', $1, $2)", [hashToken(token), at]);
    expect((await call('GET', '/api/v1/regions', undefined, token)).status).toBe(401);
    const tokens = await call('GET', '/api/v1/tokens');
    expect([tokens.status, tokens.json.items.some((t: { id: string }) => t.id === 'robot-1')]).toEqual([200, false]);
  });

  it('a backup status that does not fit the record is dropped per item, on both paths; the list and a delete still work', async () => {
    await installAgent('rs');
    expect((await call('POST', '/api/v1/regions/rs/clusters', cluster('bk'))).status).toBe(201);
    for (const name of ['own-bad', 'own-good']) expect((await call('POST', '/api/v1/regions/rs/backups', backup(name))).status).toBe(201);
    await sql().run("UPDATE resources SET status = $1 WHERE name = 'own-bad'", [JSON.stringify({ phase: 3 })]);
    await sql().run("UPDATE resources SET status = $1 WHERE name = 'own-good'", [JSON.stringify({ phase: 'Succeeded', extra: [1] })]);
    const long = 'x'.repeat(40_000);
    const observed = [
      { kind: 'QdrantClusterSnapshot', name: 'found-bad', spec: { 'cluster-id': 'bk' }, status: { volumeSnapshots: 'none' } },
      { kind: 'QdrantClusterSnapshot', name: 'found-long', spec: { 'cluster-id': 'bk', note: long }, status: { phase: 'Succeeded' } },
      { kind: 'QdrantClusterSnapshot', spec: { 'cluster-id': 'bk' } },
    ];
    await sql().run("UPDATE regions SET observed_resources = $1 WHERE name = 'rs'", [JSON.stringify(observed)]);
    const listed = await call('GET', '/api/v1/regions/rs/backups');
    expect(listed.status).toBe(200);
    expect(listed.json.items.map((b: { name: string; status?: unknown }) => [b.name, b.status])).toEqual([
      ['found-bad', undefined],
      ['found-long', { phase: 'Succeeded' }],
      ['own-bad', undefined],
      ['own-good', { phase: 'Succeeded', extra: [1] }],
    ]);
    expect((await call('DELETE', '/api/v1/regions/rs/backups/found-bad')).status).toBe(202);
    expect((await call('DELETE', '/api/v1/regions/rs/backups/own-bad')).status).toBe(202);
  });
});
