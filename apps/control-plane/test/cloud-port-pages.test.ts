// pages.test.ts on the Cloud API: ListClusters and ListBackups answer in pages (page_size,
// page_token → next_page_token, empty on the last page), in creation order (then id). Pages concatenate to
// the whole list, without repeats or gaps, also when items are created between two pages; a bad
// page_size or page_token is InvalidArgument naming it, and a token of another list is refused.
import { Code } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { MAX_PAGE_SIZE } from '../src/cloud/cluster/list.ts';
import { backupClient } from './support/backup.ts';
import { cloudPlane, failure, type CloudPlane, type Dialect } from './support/cloud.ts';
import { clusterClient, clusterInit, makeRegion } from './support/cloud-clusters.ts';
import { codeOf, messageOf } from './support/hybrid.ts';

interface Paged {
  items: Array<{ id: string; name?: string; displayName?: string }>;
  nextPageToken?: string;
}

/** Every page, `pageSize` at a time; `between` runs after the first page. */
async function allPages(list: (page: { pageSize: number; pageToken?: string }) => Promise<Paged>, pageSize: number, between?: () => Promise<void>) {
  const items: Paged['items'] = [];
  let pageToken: string | undefined;
  for (let pages = 1; ; pages++) {
    const page = await list({ pageSize, ...(pageToken ? { pageToken } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(pageSize);
    items.push(...page.items);
    pageToken = page.nextPageToken;
    if (!pageToken) return { items, pages };
    expect(page.items).toHaveLength(pageSize);
    if (pages === 1) await between?.();
  }
}

function clusters(plane: CloudPlane) {
  const client = clusterClient(plane);
  return {
    create: async (regionId: string, name: string) =>
      (await client.createCluster({ cluster: clusterInit(plane.cp.accountId, regionId, name) }, { headers: plane.auth() })).cluster!,
    list: (regionId: string) => (page: { pageSize?: number; pageToken?: string }) =>
      client.listClusters({ accountId: plane.cp.accountId, cloudProviderId: 'hybrid', cloudProviderRegionId: regionId, ...page }, { headers: plane.auth() }),
  };
}

describe.each(['sqlite', 'postgres'] as const)('pages of ListClusters on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it('pages concatenate to the whole list in creation order, also with clusters created between pages', async () => {
    const { create, list } = clusters(plane);
    const region = await makeRegion(plane, 'pages');
    const initial = ['c-07', 'c-01', 'c-10', 'c-03', 'c-05', 'c-02', 'c-09', 'c-04', 'c-08', 'c-06', 'c-00', 'c-11'];
    for (const name of initial) await create(region.id, name);
    const whole = await list(region.id)({});
    expect(whole.nextPageToken).toBeUndefined();
    expect(whole.items.map((c) => c.name)).toEqual(initial);
    // Created after the first page: each comes once, in a later page.
    const { items, pages } = await allPages(list(region.id), 5, async () => {
      await create(region.id, 'a-early');
      await create(region.id, 'z-late');
    });
    expect(pages).toBe(3);
    expect(items.map((c) => c.name)).toEqual([...initial, 'a-early', 'z-late']);
    expect(new Set(items.map((c) => c.id)).size).toBe(items.length);
  });

  it('page_size: from 1 to the maximum, else InvalidArgument naming it', async () => {
    const { create, list } = clusters(plane);
    const region = await makeRegion(plane, 'sizes');
    for (const name of ['s-1', 's-2']) await create(region.id, name);
    for (const bad of [0, -1, MAX_PAGE_SIZE + 1, 2 ** 31 - 1]) {
      const refused = await failure(list(region.id)({ pageSize: bad }));
      expect([codeOf(refused), messageOf(refused)], String(bad)).toEqual([Code.InvalidArgument, expect.stringMatching(/^page_size: /)]);
    }
    expect((await list(region.id)({ pageSize: MAX_PAGE_SIZE })).items).toHaveLength(2);
    const one = await list(region.id)({ pageSize: 1 });
    expect([one.items.length, one.totalSize]).toEqual([1, 2]);
    expect(one.nextPageToken).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('page tokens of ListClusters and ListBackups', () => {
  const plane = cloudPlane('sqlite');

  it('a malformed token, or one of the other list, is InvalidArgument naming page_token', async () => {
    const { create, list } = clusters(plane);
    const region = await makeRegion(plane, 'tokens');
    const first = await create(region.id, 't-1');
    await create(region.id, 't-2');
    const backups = backupClient(plane);
    const accountId = plane.cp.accountId;
    for (const displayName of ['b-1', 'b-2'])
      await backups.createBackup({ backup: { accountId, clusterId: first.id, displayName } }, { headers: plane.auth() });
    const clusterToken = (await list(region.id)({ pageSize: 1 })).nextPageToken!;
    const backupToken = (await backups.listBackups({ accountId, pageSize: 1 }, { headers: plane.auth() })).nextPageToken!;
    for (const token of ['!!', '-1', '1.5', 'A'.repeat(5000), `${clusterToken}\u0000`, backupToken]) {
      const refused = await failure(list(region.id)({ pageToken: token }));
      expect([codeOf(refused), messageOf(refused)], token.slice(0, 20)).toEqual([Code.InvalidArgument, expect.stringMatching(/^page_token: /)]);
    }
    for (const token of ['!!', Buffer.from('not json').toString('base64url'), Buffer.from('{"name":"x"}').toString('base64url'), clusterToken]) {
      const refused = await failure(backups.listBackups({ accountId, pageToken: token }, { headers: plane.auth() }));
      expect([codeOf(refused), messageOf(refused)], token.slice(0, 20)).toEqual([Code.InvalidArgument, expect.stringMatching(/^page_token: /)]);
    }
  });
});

describe.each(['sqlite', 'postgres'] as const)('pages of ListBackups on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it('concatenate to the whole list in creation order, with backups created between pages', async () => {
    const { create } = clusters(plane);
    const region = await makeRegion(plane, 'backups');
    const cluster = await create(region.id, 'source');
    const client = backupClient(plane);
    const accountId = plane.cp.accountId;
    const make = (displayName: string) => client.createBackup({ backup: { accountId, clusterId: cluster.id, displayName } }, { headers: plane.auth() });
    const initial = ['b-3', 'b-1', 'b-5', 'b-0', 'b-4'];
    for (const name of initial) await make(name);
    const list = (page: { pageSize: number; pageToken?: string }) =>
      client.listBackups({ accountId, clusterId: cluster.id, ...page }, { headers: plane.auth() });
    // Made at the same instant (the plane's clock), they are in id order.
    const whole = (await client.listBackups({ accountId, clusterId: cluster.id }, { headers: plane.auth() })).items.map((b) => b.displayName);
    expect(whole.toSorted()).toEqual(initial.toSorted());
    for (const size of [1, 2, 3]) expect((await allPages(list, size)).items.map((b) => b.displayName)).toEqual(whole);
    const { items } = await allPages(list, 2, async () => {
      plane.clock.now += 1000;
      await make('b-early');
      plane.clock.now += 1000;
      await make('b-late');
    });
    expect(items.map((b) => b.displayName)).toEqual([...whole, 'b-early', 'b-late']);
  });
});
