// The console's long lists, in a real browser (Debian's Chromium driven by playwright-core): a
// list shows the API's first page (100) and a "Load more" button while more follow; pressing
// it shows the next page under the first, and the button goes once everything is shown.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PAGE_LIMIT } from '@qhc/schemas';
import { createLogger } from '@qhc/kube';
import { startControlPlane, type RunningControlPlane } from '@qhc/control-plane';

const ADMIN = 'qhc_u_console-pages-admin-token-0123456789';
const CHROMIUM = '/usr/bin/chromium';
const ENVIRONMENTS = DEFAULT_PAGE_LIMIT + 2;
const CLUSTERS = DEFAULT_PAGE_LIMIT + 1;
const spec = { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } };

let cp: RunningControlPlane;
let browser: Browser;
let page: Page;

async function api(method: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${cp.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  cp = await startControlPlane({
    database: join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'cp.db'),
    port: 0,
    adminToken: ADMIN,
    logger: createLogger({ level: 'error' }),
    publicUrl: 'https://cp.example.test',
  });
  const names = Array.from({ length: ENVIRONMENTS }, (_, i) => `env-${String(i).padStart(3, '0')}`);
  for (const name of names) await api('POST', '/api/v1/regions', { name, namespace: name, agentVersion: '0.1.0', operatorVersion: '0.1.0' });
  for (let i = 0; i < CLUSTERS; i++) await api('POST', '/api/v1/regions/env-000/clusters', { name: `c-${String(i).padStart(3, '0')}`, spec });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${cp.url}/environments`);
  await page.getByLabel('User token').fill(ADMIN);
  await page.getByRole('button', { name: 'Sign in' }).click();
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
    await page.goto(`${cp.url}/environments/env-000`);
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
