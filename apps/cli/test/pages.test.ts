// List commands follow the Cloud API's pages (`next_page_token`) to the end, or stop after
// --limit items, against a stand-in that answers in pages of at most `page_size` items (at
// most 250, as the control plane).
import { create } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { backupV1, clusterV1, hybridV1 } from '@qhc/cloud-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_ID, cloudEnv, clusterFixture, environmentFixture, qhc, stubCloudApi, uuid } from './support.ts';

const ENV_ID = uuid(1);
const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
const REGIONS = names('region', 345).map((name, i) => environmentFixture(name, uuid(10_000 + i)));
const CLUSTERS = names('cluster', 600).map((name, i) => clusterFixture(name, uuid(20_000 + i), ENV_ID));
const BACKUPS = names('backup', 400).map((name, i) =>
  create(backupV1.BackupSchema, { id: uuid(30_000 + i), accountId: ACCOUNT_ID, clusterId: CLUSTERS[i % 2]!.id, displayName: name }),
);

let server: { url: string; close(): Promise<void> };
const requests: string[] = [];

/** One page as the control plane makes it: at most page_size (default 100, at most 250), a token while more follow. */
function page<T>(rpc: string, list: T[], req: { pageSize?: number; pageToken?: string }): { items: T[]; nextPageToken?: string } {
  requests.push(`${rpc} ${req.pageSize ?? '-'} ${req.pageToken ? 'token' : '-'}`);
  const size = req.pageSize ?? 100;
  if (!(size >= 1 && size <= 250)) throw new ConnectError(`page_size: must be between 1 and 250, got ${size}`, Code.InvalidArgument);
  const start = req.pageToken ? Number(req.pageToken) : 0;
  const next = start + size < list.length ? { nextPageToken: String(start + size) } : {};
  return { items: list.slice(start, start + size), ...next };
}

beforeAll(async () => {
  server = await stubCloudApi((router) => {
    router.service(hybridV1.HybridCloudService, {
      listHybridCloudEnvironments: () => {
        requests.push('ListHybridCloudEnvironments');
        return { items: [environmentFixture('r', ENV_ID), ...REGIONS] };
      },
    });
    router.service(clusterV1.ClusterService, { listClusters: (req) => page('ListClusters', req.cloudProviderRegionId === ENV_ID ? CLUSTERS : [], req) });
    router.service(backupV1.BackupService, {
      listBackups: (req) =>
        page(
          'ListBackups',
          BACKUPS.filter((b) => !req.clusterId || b.clusterId === req.clusterId),
          req,
        ),
    });
  });
});
afterAll(() => server.close());
beforeEach(() => void (requests.length = 0));

const run = (args: string[]) => qhc(['-o', 'name', ...args], cloudEnv(server.url));
const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => l.replace(/^[^/]+\//, ''));

describe('list commands over pages', () => {
  it('list everything by default, page after page, in the largest pages the API allows', async () => {
    const regions = await run(['region', 'list']);
    expect([regions.code, regions.stderr]).toEqual([0, '']);
    expect(lines(regions.stdout)).toEqual(['r', ...names('region', 345)]);
    const answer = await run(['cluster', 'list', '--region', 'r']);
    expect([answer.code, answer.stderr]).toEqual([0, '']);
    expect(lines(answer.stdout)).toEqual(names('cluster', 600));
    expect(requests.filter((r) => r.startsWith('ListClusters'))).toEqual(['ListClusters 250 -', 'ListClusters 250 token', 'ListClusters 250 token']);
  });

  it('--limit stops after that many items, asking for no more than needed', async () => {
    const clusters = await run(['cluster', 'list', '--region', 'r', '--limit', '3']);
    expect(lines(clusters.stdout)).toEqual(names('cluster', 3));
    expect(requests.filter((r) => r.startsWith('ListClusters'))).toEqual(['ListClusters 3 -']);
    requests.length = 0;
    const backups = await run(['backup', 'list', '--region', 'r', '--limit', '300']);
    expect(lines(backups.stdout)).toEqual(names('backup', 300));
    expect(requests.filter((r) => r.startsWith('ListBackups'))).toEqual(['ListBackups 250 -', 'ListBackups 50 token']);
    // Filtered by cluster (by name): the limit counts the backups shown, picked from every page.
    const even = await run(['backup', 'list', '--region', 'r', '--cluster', 'cluster-0000', '--limit', '199']);
    expect(lines(even.stdout)).toEqual(
      names('backup', 400)
        .filter((_, i) => i % 2 === 0)
        .slice(0, 199),
    );
  });

  it('--limit must be a whole number of at least 1', async () => {
    for (const bad of ['0', '-1', 'abc', '2.5']) {
      const answer = await run(['region', 'list', '--limit', bad]);
      expect(answer.code, bad).toBe(2);
      expect(answer.stderr).toContain('--limit: a whole number');
    }
    expect(requests).toEqual([]);
  });
});
