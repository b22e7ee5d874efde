// The console's long lists, in a real browser (Debian's Chromium driven by playwright-core): a
// list shows the first page (100) and a "Load more" button while more follow; pressing it
// shows the next page under the first, and the button goes once everything is shown. The
// environments and clusters are made through the Cloud API, as any client would make them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Interceptor } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { bookingV1, clusterV1, hybridV1 } from '@qhc/cloud-api';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PAGE_LIMIT } from '@qhc/schemas';
import { createLogger } from '@qhc/kube';
import { startControlPlane, type RunningControlPlane } from '@qhc/control-plane';
import { signInWithManagementKey } from './support/console-session.ts';

const MANAGEMENT_KEY = 'qhc_m_console-pages-management-key-0123456789';
const CHROMIUM = '/usr/bin/chromium';
const ENVIRONMENTS = DEFAULT_PAGE_LIMIT + 2;
const CLUSTERS = DEFAULT_PAGE_LIMIT + 1;

let cp: RunningControlPlane;
let browser: Browser;
let page: Page;

/** The management key on every call, as a script sends it. */
const withKey: Interceptor = (next) => (req) => (req.header.set('authorization', `apikey ${MANAGEMENT_KEY}`), next(req));

/** The environments and clusters, made through the Cloud API as any client would. */
async function populate(): Promise<string> {
  const transport = createConnectTransport({ baseUrl: cp.url, httpVersion: '1.1', interceptors: [withKey] });
  const environments = createClient(hybridV1.HybridCloudService, transport);
  const clusters = createClient(clusterV1.ClusterService, transport);
  const accountId = cp.accountId;
  const ids: string[] = [];
  for (let i = 0; i < ENVIRONMENTS; i++) {
    const name = `env-${String(i).padStart(3, '0')}`;
    const made = await environments.createHybridCloudEnvironment({ hybridCloudEnvironment: { accountId, name, configuration: { namespace: name } } });
    ids.push(made.hybridCloudEnvironment!.id);
  }
  const booking = createClient(bookingV1.BookingService, transport);
  const [pkg] = (await booking.listPackages({ accountId, cloudProviderId: 'hybrid', cloudProviderRegionId: ids[0] })).items;
  for (let i = 0; i < CLUSTERS; i++)
    await clusters.createCluster({
      cluster: {
        accountId,
        name: `c-${String(i).padStart(3, '0')}`,
        cloudProviderId: 'hybrid',
        cloudProviderRegionId: ids[0],
        configuration: { numberOfNodes: 1, packageId: pkg!.id, version: 'v1.16.2' },
      },
    });
  return ids[0]!;
}

let firstEnvironment: string;

beforeAll(async () => {
  cp = await startControlPlane({
    database: join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'cp.db'),
    port: 0,
    managementKey: MANAGEMENT_KEY,
    logger: createLogger({ level: 'error' }),
    publicUrl: 'https://cp.example.test',
  });
  firstEnvironment = await populate();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${cp.url}/environments`);
  await signInWithManagementKey(page, MANAGEMENT_KEY);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await cp?.stop();
});

describe('long lists in the console', () => {
  it('environments: the first page, then the rest on "Load more environments"', async () => {
    const rows = page.getByRole('table', { name: 'Environments' }).getByRole('row');
    const more = page.getByRole('button', { name: 'Load more environments' });
    await more.waitFor();
    // The header row and one page.
    expect(await rows.count()).toBe(DEFAULT_PAGE_LIMIT + 1);
    await more.click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(ENVIRONMENTS + 1);
    await more.waitFor({ state: 'detached' });
    await rows.filter({ hasText: `env-${ENVIRONMENTS - 1}` }).waitFor();
  });

  it("an environment's clusters and the clusters of every environment page the same way", async () => {
    await page.goto(`${cp.url}/environments/${firstEnvironment}`);
    const clusters = page.getByRole('region', { name: 'Clusters' }).getByRole('listitem');
    const more = page.getByRole('button', { name: 'Load more clusters' });
    await more.waitFor();
    expect(await clusters.count()).toBe(DEFAULT_PAGE_LIMIT);
    await more.click();
    await expect.poll(() => clusters.count(), { timeout: 10_000 }).toBe(CLUSTERS);
    await more.waitFor({ state: 'detached' });

    await page.goto(`${cp.url}/clusters`);
    const rows = page.getByRole('table', { name: 'Clusters' }).getByRole('row');
    await more.waitFor();
    expect(await rows.count()).toBe(DEFAULT_PAGE_LIMIT + 1);
    await more.click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(CLUSTERS + 1);
    await more.waitFor({ state: 'detached' });
  });
});
