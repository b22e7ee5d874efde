// List commands follow the control plane's pages (`nextPageToken`) to the end, or stop after
// --limit items, against a control plane that answers in pages of at most `limit` items.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clusterRecord, qhc, regionRecord, stubControlPlane } from './support.ts';

const TOKEN = 'qhc_u_pages-test-token-0123456789';
const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
const LISTS: Record<string, Array<Record<string, unknown>>> = {
  '/api/v1/regions': names('region', 2345).map((name) => regionRecord(name)),
  '/api/v1/regions/r/clusters': names('cluster', 7).map((name) => clusterRecord(name, 'r')),
  '/api/v1/regions/r/backups': names('backup', 1500).map((name, i) => ({
    kind: 'QdrantClusterSnapshot',
    name,
    clusterId: i % 2 ? 'odd' : 'even',
    spec: { 'cluster-id': i % 2 ? 'odd' : 'even' },
    origin: 'control-plane',
  })),
};

let server: { url: string; close(): Promise<void> };
let url = '';
const requests: string[] = [];

/** Pages as the control plane makes them: at most `limit` (default 100, at most 1000), a token while more follow. */
function startFakeControlPlane() {
  return stubControlPlane((req, u) => {
    requests.push(`${u.pathname}${u.search}`);
    const list = LISTS[u.pathname];
    if (req.headers.authorization !== `Bearer ${TOKEN}` || !list) return { status: 404, body: { message: 'no' } };
    const limit = Number(u.searchParams.get('limit') ?? 100);
    if (!(limit >= 1 && limit <= 1000)) return { status: 400, body: { message: 'limit: out of range' } };
    const start = u.searchParams.has('pageToken') ? Number(Buffer.from(u.searchParams.get('pageToken')!, 'base64url').toString()) : 0;
    const items = list.slice(start, start + limit);
    const next = start + limit < list.length ? { nextPageToken: Buffer.from(String(start + limit)).toString('base64url') } : {};
    return { status: 200, body: { items, ...next } };
  });
}

const run = (args: string[]) =>
  qhc(['-o', 'name', ...args], { QHC_URL: url, QHC_TOKEN: TOKEN, QHC_CONTEXT: undefined, XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'qhc-xdg-')) });
const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => l.replace(/^[^/]+\//, ''));

beforeAll(async () => {
  server = await startFakeControlPlane();
  url = server.url;
});
afterAll(() => server.close());
beforeEach(() => void (requests.length = 0));

describe('list commands over pages', () => {
  it('list everything by default, page after page, in the largest pages the API allows', async () => {
    const answer = await run(['region', 'list']);
    expect(answer.stderr).toBe('');
    expect(answer.code).toBe(0);
    expect(lines(answer.stdout)).toEqual(names('region', 2345));
    expect(requests).toEqual([
      '/api/v1/regions?limit=1000',
      expect.stringMatching(/^\/api\/v1\/regions\?limit=1000&pageToken=/),
      expect.stringMatching(/pageToken=/),
    ]);
  });

  it('--limit stops after that many items, asking for no more than needed', async () => {
    const clusters = await run(['cluster', 'list', '--region', 'r', '--limit', '3']);
    expect(lines(clusters.stdout)).toEqual(names('cluster', 3));
    expect(requests).toEqual(['/api/v1/regions/r/clusters?limit=3']);
    requests.length = 0;
    const backups = await run(['backup', 'list', '--region', 'r', '--limit', '1200']);
    expect(lines(backups.stdout)).toEqual(names('backup', 1200));
    expect(requests).toEqual(['/api/v1/regions/r/backups?limit=1000', expect.stringMatching(/^\/api\/v1\/regions\/r\/backups\?limit=200&pageToken=/)]);
    // Filtered by cluster: the limit counts the backups shown, picked from every page.
    const even = await run(['backup', 'list', '--region', 'r', '--cluster', 'even', '--limit', '751']);
    expect(lines(even.stdout)).toEqual(
      names('backup', 1500)
        .filter((_, i) => i % 2 === 0)
        .slice(0, 750),
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
