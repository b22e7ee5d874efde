// Roles, management keys and permissions in the web console, in a real browser (Debian's
// Chromium driven by playwright-core): the first start's key (Owner) creates a custom role with
// chosen permissions, and a management key holding only the built-in Viewer role (its secret
// shown once); in another browser that key's session sees no control it lacks the permission
// for, the server's PermissionDenied shows as a message, not a crash; the role's creation is in
// the audit log.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@qhc/kube';
import { startControlPlane, type RunningControlPlane } from '@qhc/control-plane';
import { CHROMIUM, expectShown, seriousViolations, signInWithManagementKey } from './support/console-session.ts';

const OWNER_KEY = 'qhc_m_console-permissions-owner-key-0123456789';
const SCREENSHOTS = fileURLToPath(new URL('../reports/screenshots-permissions/', import.meta.url));
const ROLE = 'Environment editor';

let cp: RunningControlPlane;
let browser: Browser;
/** The Owner's browser (the first start's key). */
let owner: Page;
/** The Viewer key's browser. */
let viewer: Page;
let viewerKey: string;
const pageErrors: string[] = [];
let screens = 0;

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const accountNav = (page: Page) => page.getByRole('navigation', { name: 'Account' });

async function checkScreen(page: Page, name: string): Promise<void> {
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, `${String(++screens).padStart(2, '0')}-${name}.png`), fullPage: true });
}

async function newPage(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return page;
}

beforeAll(async () => {
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  cp = await startControlPlane({
    database: join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'cp.db'),
    port: 0,
    managementKey: OWNER_KEY,
    logger: createLogger({ level: 'error' }),
    publicUrl: 'https://cp.example.test',
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  owner = await newPage();
  viewer = await newPage();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await cp?.stop();
});

describe('roles and keys in the console', () => {
  it('built-in roles are read-only; a custom role is created with the permissions chosen', async () => {
    await owner.goto(`${cp.url}/account/roles`);
    await signInWithManagementKey(owner, OWNER_KEY);
    await heading(owner, 'Roles').waitFor();
    const item = (name: string) => owner.getByRole('listitem').filter({ has: owner.getByRole('heading', { level: 2, name, exact: true }) });
    await expectShown(owner, item('Owner').getByText('Built-in'), 'the roles');
    expect(await item('Viewer').getByRole('button', { name: 'Edit' }).count()).toBe(0);
    const form = owner.getByRole('form', { name: 'New custom role' });
    await form.getByLabel('Role name').fill(ROLE);
    await form.getByLabel('Description').fill('Creates and changes environments');
    await form.getByLabel('read:hybrid_cloud_environments', { exact: true }).check();
    await form.getByLabel('write:hybrid_cloud_environments', { exact: true }).check();
    await form.getByRole('button', { name: 'Create role' }).click();
    await item(ROLE).getByText('Custom').waitFor();
    await item(ROLE).getByText('2 permissions').click();
    await item(ROLE).getByText('read:hybrid_cloud_environments, write:hybrid_cloud_environments').waitFor();
    await checkScreen(owner, 'roles');
  });

  it('a management key with the Viewer role: its secret shown once', async () => {
    await accountNav(owner).getByRole('link', { name: 'Management keys' }).click();
    await heading(owner, 'Management keys').waitFor();
    const form = owner.getByRole('form', { name: 'New management key' });
    await form.getByLabel(/^Viewer/).check();
    await form.getByRole('button', { name: 'Create key' }).click();
    const secret = owner.getByLabel('The new management key', { exact: true });
    await expectShown(owner, secret, 'the new key');
    viewerKey = (await secret.textContent())!.trim();
    expect(viewerKey).toMatch(/^qhc_m_/);
    await owner.getByRole('table', { name: 'Management keys' }).getByRole('row').filter({ hasText: 'Viewer' }).waitFor();
    await checkScreen(owner, 'keys');
  });

  it("the Viewer key's session sees no control it lacks; a refused call shows as a missing permission", async () => {
    await viewer.goto(`${cp.url}/environments`);
    await signInWithManagementKey(viewer, viewerKey);
    await heading(viewer, 'Hybrid Cloud environments').waitFor();
    await viewer.getByText('No environments yet.').waitFor();
    expect(await viewer.getByRole('link', { name: 'Create environment' }).count()).toBe(0);
    // The account section: Viewer reads everything but management keys.
    await viewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
    await accountNav(viewer).getByRole('link', { name: 'Roles' }).waitFor();
    expect(await accountNav(viewer).getByRole('link', { name: 'Management keys' }).count()).toBe(0);
    await accountNav(viewer).getByRole('link', { name: 'Roles' }).click();
    await heading(viewer, 'Roles').waitFor();
    expect(await viewer.getByRole('form', { name: 'New custom role' }).count()).toBe(0);
    // Typed in by address: the form shows, and the server's refusal is said as such.
    await viewer.goto(`${cp.url}/environments/new`);
    await viewer.getByLabel('Name', { exact: true }).fill('not-allowed');
    await viewer.getByRole('button', { name: 'Create environment' }).click();
    await viewer.getByRole('alert').getByText('You lack the permission for this.').waitFor();
    await viewer
      .getByRole('alert')
      .getByText(/write:hybrid_cloud_environments/)
      .waitFor();
    await checkScreen(viewer, 'viewer-refused');
  });

  it("the role's creation is in the audit log", async () => {
    await accountNav(owner).getByRole('link', { name: 'Audit log' }).click();
    await heading(owner, 'Audit log').waitFor();
    await expectShown(owner, owner.getByRole('table', { name: 'Audit events' }).getByRole('row').filter({ hasText: 'IAMService/CreateRole' }), 'the event');
    await checkScreen(owner, 'audit');
    expect(pageErrors).toEqual([]);
  });
});
