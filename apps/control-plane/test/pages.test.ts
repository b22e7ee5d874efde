// Every list of the API answers in keyset pages: `?limit=&pageToken=`, { items, nextPageToken? }.
// Pages concatenate to the whole list, without repeats or gaps, also when rows are created
// between two pages; bad limits and tokens are refused naming the parameter.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MAX_PAGE_LIMIT, Page } from '@qhc/schemas';
import * as z from 'zod';
import { createTestDatabase } from './support/postgres.ts';
import { startWithRegion, type RegionFixture } from './support/region.ts';

const spec = { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } };
const AnyPage = Page(z.looseObject({}));
let counter = 0;
const names = (items: Array<Record<string, unknown>>) => items.map((i) => i.name as string);
const found = (name: string) => ({ kind: 'QdrantClusterSnapshot', name, spec: { 'cluster-id': 'src' }, status: { phase: 'Succeeded' } });

/** A control plane with region `r`, for the describe block, and the calls the tests make. */
function pagesFixture(dialect: 'sqlite' | 'postgres') {
  let fixture: RegionFixture;
  const call: RegionFixture['call'] = (...args) => fixture.call(...args);
  const createCluster = async (name: string) => expect((await call('POST', '/api/v1/regions/r/clusters', { name, spec })).status).toBe(201);

  /** Every page of `path`, `limit` at a time; `between` runs after the first page. */
  async function allPages(path: string, limit: number, between?: () => Promise<void>): Promise<{ items: Array<Record<string, unknown>>; pages: number }> {
    const items: Array<Record<string, unknown>> = [];
    let token: string | undefined;
    for (let pages = 1; ; pages++) {
      const answer = await call('GET', `${path}${path.includes('?') ? '&' : '?'}limit=${limit}${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`);
      expect(answer.status).toBe(200);
      const page = AnyPage.parse(answer.json);
      expect(page.items.length).toBeLessThanOrEqual(limit);
      items.push(...page.items);
      token = page.nextPageToken;
      if (!token) return { items, pages };
      expect(page.items).toHaveLength(limit);
      if (pages === 1) await between?.();
    }
  }

  beforeAll(async () => {
    fixture = await startWithRegion(dialect === 'sqlite' ? undefined : await createTestDatabase(inject('postgresUrl'), `pages_${process.pid}_${counter++}`));
  });
  afterAll(async () => {
    await fixture?.cp.stop();
  });
  return {
    get fixture() {
      return fixture;
    },
    call,
    createCluster,
    allPages,
  };
}

describe.each(['sqlite', 'postgres'] as const)('pages of clusters on %s', (dialect) => {
  const { call, createCluster, allPages } = pagesFixture(dialect);

  it('clusters: pages concatenate to the whole list in name order, also with clusters created between pages', async () => {
    const initial = ['c-07', 'c-01', 'c-10', 'c-03', 'c-05', 'c-02', 'c-09', 'c-04', 'c-08', 'c-06', 'c0', 'c-1'];
    for (const name of initial) await createCluster(name);
    const whole = (await call('GET', '/api/v1/regions/r/clusters')).json;
    expect(whole.nextPageToken).toBeUndefined();
    expect(names(whole.items)).toEqual(initial.toSorted());
    // One created before the first page's end, one after: the first is not in any later page, the second is.
    const { items, pages } = await allPages('/api/v1/regions/r/clusters', 5, async () => {
      await createCluster('a-early');
      await createCluster('z-late');
    });
    expect(pages).toBe(3);
    expect(names(items)).toEqual([...initial, 'z-late'].toSorted());
  });

  it('limit: a whole number from 1 to the maximum, else 400 naming it', async () => {
    for (const bad of ['0', '-1', '1.5', 'abc', '', '1e2', String(MAX_PAGE_LIMIT + 1), '99999999999']) {
      const answer = await call('GET', `/api/v1/regions/r/clusters?limit=${encodeURIComponent(bad)}`);
      expect(answer.status, bad).toBe(400);
      expect(answer.json.message).toMatch(/^limit: /);
    }
    expect((await call('GET', '/api/v1/regions/r/clusters?limit=1&limit=2')).json.message).toMatch(/^limit: /);
    expect((await call('GET', `/api/v1/regions/r/clusters?limit=${MAX_PAGE_LIMIT}`)).status).toBe(200);
    const one = await call('GET', '/api/v1/regions/r/clusters?limit=1');
    expect(one.json.items).toHaveLength(1);
    expect(one.json.nextPageToken).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('pageToken: a malformed token or one of another list is refused with 400 naming it', async () => {
    const clusterToken = (await call('GET', '/api/v1/regions/r/clusters?limit=1')).json.nextPageToken as string;
    const notJson = Buffer.from('not json').toString('base64url');
    const notKey = Buffer.from(JSON.stringify({ name: 'x' })).toString('base64url');
    const cases: Array<[string, string]> = [
      ['/api/v1/regions/r/clusters', '!!'],
      ['/api/v1/regions/r/clusters', notJson],
      ['/api/v1/regions/r/clusters', notKey],
      ['/api/v1/regions/r/clusters', 'A'.repeat(5000)],
      ['/api/v1/tokens', clusterToken],
      ['/api/v1/regions', `${clusterToken}%00`],
    ];
    for (const [path, token] of cases) {
      const answer = await call('GET', `${path}?pageToken=${token.includes('%') ? token : encodeURIComponent(token)}`);
      expect(answer.status, `${path} ${token.slice(0, 20)}`).toBe(400);
      expect(answer.json.message).toMatch(/^pageToken: /);
    }
  });
});

describe.each(['sqlite', 'postgres'] as const)('pages of regions, tokens, timelines and merged lists on %s', (dialect) => {
  const f = pagesFixture(dialect);
  const { call, createCluster, allPages } = f;
  // The cluster whose timeline is paged.
  beforeAll(() => createCluster('c0'));

  it('regions, tokens and a cluster timeline page the same way', async () => {
    for (const name of ['r-b', 'r-a', 'r-c'])
      await call('POST', '/api/v1/regions', { name, namespace: `ns-${name}`, agentVersion: '0.1.0', operatorVersion: '0.1.0' });
    expect(names((await allPages('/api/v1/regions', 2)).items)).toEqual(['r', 'r-a', 'r-b', 'r-c']);
    // Tokens issued in the same millisecond still page apart: (created_at, id) is unique.
    await Promise.all(['t1', 't2', 't3', 't4', 't5'].map((name) => call('POST', '/api/v1/tokens', { name })));
    const all = (await call('GET', '/api/v1/tokens')).json.items as Array<{ id: string }>;
    expect((await allPages('/api/v1/tokens', 2)).items.map((t) => t.id)).toEqual(all.map((t) => t.id));
    for (let i = 0; i < 4; i++) await call('POST', '/api/v1/regions/r/clusters/c0/scale', { size: i + 2 });
    const events = (await call('GET', '/api/v1/regions/r/clusters/c0/events')).json.items;
    expect(events.length).toBeGreaterThanOrEqual(5);
    expect((await allPages('/api/v1/regions/r/clusters/c0/events', 2)).items).toEqual(events);
    const regionTokens = (await call('GET', '/api/v1/regions/r/tokens')).json.items;
    expect((await allPages('/api/v1/regions/r/tokens', 1)).items).toEqual(regionTokens);
  });

  it('backups: the merged list of rows and objects found in the region pages in one name order', async () => {
    await createCluster('src');
    for (const name of ['b-3', 'b-1', 'b-5'])
      expect((await call('POST', '/api/v1/regions/r/backups', { name, clusterId: 'src', spec: { 'cluster-id': 'src' } })).status).toBe(201);
    const revision = (await call('GET', '/api/v1/regions/r')).json.revision as number;
    // b-3 is both a row and an object in the region: listed once, as the row.
    const report = await call(
      'POST',
      '/agent/v1/status',
      { appliedRevision: revision, clusters: [], resources: ['b-0', 'b-2', 'b-3', 'b-4', 'b-6'].map(found) },
      f.fixture.agent,
    );
    expect(report.status).toBe(204);
    const whole = (await call('GET', '/api/v1/regions/r/backups')).json.items;
    expect(whole.map((b: { name: string; origin: string }) => `${b.name}:${b.origin}`)).toEqual([
      'b-0:region',
      'b-1:control-plane',
      'b-2:region',
      'b-3:control-plane',
      'b-4:region',
      'b-5:control-plane',
      'b-6:region',
    ]);
    for (const limit of [1, 2, 3]) expect((await allPages('/api/v1/regions/r/backups', limit)).items).toEqual(whole);
    expect((await call('GET', '/api/v1/regions/r/restores?limit=0')).json.message).toMatch(/^limit: /);
  });
});
