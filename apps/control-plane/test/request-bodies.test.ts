// Issue 19, finding 7: a body is JSON only when it says so, and backups, schedules and
// restores name a cluster of the region (the one their spec names).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWithRegion, ADMIN, type RegionFixture } from './support/region.ts';

const restore = (name: string, destination: Record<string, unknown>) => ({
  name,
  clusterId: 'search',
  spec: { source: { snapshotName: 'b1', namespace: 'ns-r' }, destination: { namespace: 'ns-r', ...destination } },
});

describe('request bodies', () => {
  let fixture: RegionFixture;
  beforeAll(async () => {
    fixture = await startWithRegion();
    const created = await fixture.call('POST', '/api/v1/regions/r/clusters', {
      name: 'search',
      spec: { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } },
    });
    if (created.status !== 201) throw new Error(`cluster search: ${JSON.stringify(created.json)}`);
  });
  afterAll(async () => {
    await fixture?.cp.stop();
  });
  const send = (path: string, body: string, type?: string) =>
    fetch(`${fixture.cp.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, ...(type ? { 'content-type': type } : {}) }, body });

  it('a body that is not application/json is a 415 naming its content type, and changes nothing', async () => {
    const json = JSON.stringify({ name: 'r2', namespace: 'ns-r2', agentVersion: '0.1.0', operatorVersion: '0.1.0' });
    const plain = await send('/api/v1/regions', json, 'text/plain');
    expect(plain.status).toBe(415);
    expect(await plain.json()).toEqual({ error: 'UnsupportedMediaType', message: 'content-type: the body must be application/json, got "text/plain"' });
    const form = await send('/api/v1/regions', json, 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);
    expect((await fixture.call('GET', '/api/v1/regions/r2')).status).toBe(404);
    // A charset is fine; so is no body where none is needed.
    expect((await send('/api/v1/regions', json, 'application/json; charset=utf-8')).status).toBe(201);
    expect((await send('/api/v1/regions/r/clusters/search/restart', '')).status).toBe(200);
  });

  it('a backup or schedule of a cluster the region does not have, or whose spec names another, is refused naming the field', async () => {
    const missing = await fixture.call('POST', '/api/v1/regions/r/backups', { name: 'b1', clusterId: 'nope', spec: { 'cluster-id': 'nope' } });
    expect(missing.status).toBe(422);
    expect(missing.json.problems).toEqual([expect.objectContaining({ path: ['clusterId'] })]);
    expect(missing.json.message).toBe('clusterId: cluster nope does not exist in region r (or is being deleted)');
    const other = await fixture.call('POST', '/api/v1/regions/r/backup-schedules', {
      name: 's1',
      clusterId: 'search',
      spec: { 'cluster-id': 'other', scheduleShortId: 's1', schedule: '0 2 * * *', retention: '72h' },
    });
    expect(other.status).toBe(422);
    expect(other.json.problems).toEqual([expect.objectContaining({ path: ['spec', 'cluster-id'] })]);
    expect((await fixture.call('GET', '/api/v1/regions/r/backups')).json.items).toEqual([]);
    expect((await fixture.call('GET', '/api/v1/regions/r/backup-schedules')).json.items).toEqual([]);
    expect((await fixture.call('POST', '/api/v1/regions/r/backups', { name: 'b1', clusterId: 'search', spec: { 'cluster-id': 'search' } })).status).toBe(201);
  });

  it("a restore's source and destination are in the region's namespace", async () => {
    for (const [side, body] of [
      [
        'source',
        {
          ...restore('n1', { name: 'qdrant-search' }),
          spec: { source: { snapshotName: 'b1', namespace: 'other' }, destination: { name: 'qdrant-search', namespace: 'ns-r' } },
        },
      ],
      ['destination', restore('n2', { name: 'qdrant-copy', create: true, namespace: 'other' })],
    ] as const) {
      const answer = await fixture.call('POST', '/api/v1/regions/r/restores', body);
      expect(answer.status).toBe(422);
      expect(answer.json.problems[0].path).toEqual(['spec', side, 'namespace']);
    }
    expect(((await fixture.call('GET', '/api/v1/regions/r/restores')).json.items as Array<{ name: string }>).map((r) => r.name)).not.toContain('n1');
  });

  it('an in-place restore goes into a cluster of the region; a new cluster need not exist', async () => {
    const missing = await fixture.call('POST', '/api/v1/regions/r/restores', restore('x1', { name: 'qdrant-gone' }));
    expect(missing.status).toBe(422);
    expect(missing.json.problems).toEqual([expect.objectContaining({ path: ['spec', 'destination', 'name'] })]);
    expect((await fixture.call('POST', '/api/v1/regions/r/restores', restore('x2', { name: 'qdrant-search' }))).status).toBe(201);
    expect((await fixture.call('POST', '/api/v1/regions/r/restores', restore('x3', { name: 'qdrant-copy', create: true }))).status).toBe(201);
  });
});
