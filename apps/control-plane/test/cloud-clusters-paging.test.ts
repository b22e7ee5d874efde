// ListClusters pages in the database: page boundaries and total_size, the environment filter,
// another account's clusters, and a cluster created between two pages (it comes last, so the
// offset token neither repeats nor skips one).
import { randomUUID } from 'node:crypto';
import type { clusterV1 } from '@qhc/cloud-api';
import { describe, expect, it } from 'vitest';
import { cloudPlane, type CloudPlane, type Dialect } from './support/cloud.ts';
import { sqlOn } from './support/sql.ts';
import { clusterClient, clusterInit, makeRegion } from './support/cloud-clusters.ts';

/** A second between creations: the order is the creation order, not a tie broken by the random ids. */
const createdAt = (i: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + i * 1000).toISOString();

/** Clusters `names` in the environment, created in that order (from second `from` on). */
async function clustersIn(plane: CloudPlane, regionId: string, names: string[], from = 0): Promise<string[]> {
  const client = clusterClient(plane);
  const ids: string[] = [];
  for (const [i, name] of names.entries()) {
    const { cluster } = await client.createCluster({ cluster: clusterInit(plane.cp.accountId, regionId, name) }, { headers: plane.auth() });
    await sqlOn(plane.cp.store.db).run('UPDATE clusters SET created_at = $1 WHERE id = $2', [createdAt(from + i), cluster!.id]);
    ids.push(cluster!.id);
  }
  return ids;
}

type Ask = Partial<Pick<clusterV1.ListClustersRequest, 'cloudProviderRegionId' | 'pageSize' | 'pageToken'>>;

async function list(plane: CloudPlane, ask: Ask) {
  const region = ask.cloudProviderRegionId === undefined ? {} : { cloudProviderId: 'hybrid' };
  const page = await clusterClient(plane).listClusters({ accountId: plane.cp.accountId, ...region, ...ask }, { headers: plane.auth() });
  return { names: page.items.map((c) => c.name), total: page.totalSize, next: page.nextPageToken };
}

describe.each(['sqlite', 'postgres'] as const)('ListClusters pages on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it('answers a page at a time with the total, and no token after the last page', async () => {
    const region = await makeRegion(plane, 'pages');
    await clustersIn(plane, region.id, ['p-1', 'p-2', 'p-3', 'p-4', 'p-5']);
    const ask = { cloudProviderRegionId: region.id, pageSize: 2 };
    expect(await list(plane, ask)).toEqual({ names: ['p-1', 'p-2'], total: 5, next: '2' });
    expect(await list(plane, { ...ask, pageToken: '2' })).toEqual({ names: ['p-3', 'p-4'], total: 5, next: '4' });
    expect(await list(plane, { ...ask, pageToken: '4' })).toEqual({ names: ['p-5'], total: 5, next: undefined });
    expect(await list(plane, { ...ask, pageSize: 5 })).toEqual({ names: ['p-1', 'p-2', 'p-3', 'p-4', 'p-5'], total: 5, next: undefined });
    expect(await list(plane, { ...ask, pageSize: 4, pageToken: '1' })).toEqual({ names: ['p-2', 'p-3', 'p-4', 'p-5'], total: 5, next: undefined });
    expect(await list(plane, { ...ask, pageToken: '9' })).toEqual({ names: [], total: 5, next: undefined });
  });

  it('orders clusters created in the same instant by id, the same on every page', async () => {
    const region = await makeRegion(plane, 'ties');
    const ids = await clustersIn(plane, region.id, ['t-1', 't-2', 't-3']);
    await sqlOn(plane.cp.store.db).run('UPDATE clusters SET created_at = $1 WHERE region_id = $2', [createdAt(0), region.id]);
    const byId = ids.toSorted();
    const ask = { cloudProviderRegionId: region.id, pageSize: 1 };
    const walked: string[] = [];
    for (const pageToken of [undefined, '1', '2']) {
      const page = await clusterClient(plane).listClusters(
        { accountId: plane.cp.accountId, cloudProviderId: 'hybrid', ...ask, ...(pageToken ? { pageToken } : {}) },
        { headers: plane.auth() },
      );
      walked.push(...page.items.map((c) => c.id));
    }
    expect(walked).toEqual(byId);
  });
});

describe.each(['sqlite', 'postgres'] as const)('ListClusters filters on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it("filters by environment in the count too, and never counts another account's clusters", async () => {
    const here = await makeRegion(plane, 'here');
    const there = await makeRegion(plane, 'there');
    const theirs = await makeRegion(plane, 'theirs');
    await clustersIn(plane, here.id, ['h-1', 'h-2', 'h-3']);
    await clustersIn(plane, there.id, ['x-1', 'x-2'], 10);
    await clustersIn(plane, theirs.id, ['o-1'], 20);
    const other = randomUUID();
    const sql = sqlOn(plane.cp.store.db);
    await sql.run('INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3)', [other, 'other', new Date().toISOString()]);
    await sql.run('UPDATE regions SET account_id = $1 WHERE id = $2', [other, theirs.id]);
    await sql.run('UPDATE clusters SET account_id = $1 WHERE region_id = $2', [other, theirs.id]);
    expect(await list(plane, { cloudProviderRegionId: there.id, pageSize: 1 })).toEqual({ names: ['x-1'], total: 2, next: '1' });
    expect(await list(plane, { pageSize: 4 })).toEqual({ names: ['h-1', 'h-2', 'h-3', 'x-1'], total: 5, next: '4' });
    expect(await list(plane, { pageSize: 4, pageToken: '4' })).toEqual({ names: ['x-2'], total: 5, next: undefined });
    expect(await list(plane, { cloudProviderRegionId: theirs.id })).toEqual({ names: [], total: 0, next: undefined });
  });

  it('lists a cluster created between two pages last, repeating and skipping none', async () => {
    const region = await makeRegion(plane, 'between');
    await clustersIn(plane, region.id, ['b-1', 'b-2', 'b-3']);
    const ask = { cloudProviderRegionId: region.id, pageSize: 2 };
    const first = await list(plane, ask);
    expect(first).toEqual({ names: ['b-1', 'b-2'], total: 3, next: '2' });
    await clustersIn(plane, region.id, ['b-4'], 3);
    expect(await list(plane, { ...ask, pageToken: first.next! })).toEqual({ names: ['b-3', 'b-4'], total: 4, next: undefined });
  });
});
