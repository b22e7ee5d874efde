// Signing up in the web console, in a real browser (Debian's Chromium driven by playwright-core):
// a new user signs up (a password the rules refuse first) and lands on the pending screen; an
// instance administrator, signed in with the first start's management key in ANOTHER browser
// context, approves the account on "Account requests"; the first browser's pending screen turns
// into the console without a reload, and the new account creates an environment that only it
// sees. The pending account signs out and back in with its password. Every screen passes
// axe-core and is saved under reports/screenshots-sign-up/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Interceptor } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { hybridV1 } from '@qhc/cloud-api';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@qhc/kube';
import { startControlPlane, type RunningControlPlane } from '@qhc/control-plane';
import { CHROMIUM, expectShown, seriousViolations, signInWithManagementKey } from './support/console-session.ts';

const ADMIN_KEY = 'qhc_m_console-sign-up-admin-key-0123456789';
const SCREENSHOTS = fileURLToPath(new URL('../reports/screenshots-sign-up/', import.meta.url));
const EMAIL = 'ada@acme.test';
const PASSWORD = 'a passphrase long enough';
const ACCOUNT = 'acme-research';
const ENVIRONMENT = 'acme-eu';

let cp: RunningControlPlane;
let browser: Browser;
let userContext: BrowserContext;
/** The new user's browser. */
let user: Page;
/** The instance administrator's browser: another context, so no cookie is shared. */
let admin: Page;
/** Page loads of the user's browser: the approval must not need one. */
let userLoads = 0;
const pageErrors: string[] = [];
let screens = 0;

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

async function checkScreen(page: Page, name: string): Promise<void> {
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, `${String(++screens).padStart(2, '0')}-${name}.png`), fullPage: true });
}

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { context, page };
}

const field = (label: string) => user.getByLabel(label, { exact: true });

/** The sign-up form filled in as a person would, with `password`. */
async function fillSignUp(password: string): Promise<void> {
  await field('Email').fill(EMAIL);
  await field('Password').fill(password);
  await field('Account name').fill(ACCOUNT);
  await field('Company').fill('Acme');
  await field('Company domain').fill('acme.test');
  await field('Company name (invoiced)').fill('Acme Research GmbH');
  await field('Address line 1').fill('Hauptstraße 1');
  await field('Postal code').fill('10115');
  await field('City').fill('Berlin');
  await field('Country').fill('DE');
  await field('Tax ID / VAT number').fill('DE123456789');
  await field('Billing email').fill('billing@acme.test');
}

/** The management key on every call, as a script sends it. */
const withKey: Interceptor = (next) => (req) => (req.header.set('authorization', `apikey ${ADMIN_KEY}`), next(req));

beforeAll(async () => {
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  cp = await startControlPlane({
    database: join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'cp.db'),
    port: 0,
    managementKey: ADMIN_KEY,
    logger: createLogger({ level: 'error' }),
    publicUrl: 'https://cp.example.test',
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  ({ context: userContext, page: user } = await newPage());
  ({ page: admin } = await newPage());
  user.on('load', () => userLoads++);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await cp?.stop();
});

describe('signing up in the console', () => {
  it('a new user signs up from the sign-in page (a short password refused first) and lands on the pending screen', async () => {
    await user.goto(`${cp.url}/`);
    await heading(user, 'Sign in to qhc').waitFor();
    await checkScreen(user, 'sign-in');
    await user.getByRole('link', { name: 'Sign up' }).click();
    await heading(user, 'Sign up for qhc').waitFor();
    await fillSignUp('too short');
    await user.getByRole('button', { name: 'Sign up' }).click();
    await user.getByRole('alert').getByText('password: must have 12 to 256 characters').waitFor();
    await checkScreen(user, 'sign-up-refused');
    await field('Password').fill(PASSWORD);
    await user.getByRole('button', { name: 'Sign up' }).click();
    await user.getByText('Please correct the form:').waitFor({ state: 'detached' });
    await expectShown(user, heading(user, 'Your account is waiting for approval'), 'the pending screen');
    const [cookie] = await userContext.cookies(cp.url);
    expect(cookie).toMatchObject({ name: 'qhc_cloud_session', httpOnly: true, sameSite: 'Strict' });
    await user.getByText(`${EMAIL} · Account ${ACCOUNT}`).waitFor();
    await checkScreen(user, 'pending');
  });

  it('a pending account signs out and back in with its email and password (a wrong one refused), and a reload keeps the session', async () => {
    await user.getByRole('button', { name: 'Sign out' }).click();
    await heading(user, 'Sign in to qhc').waitFor();
    await field('Email').fill(EMAIL);
    await field('Password').fill('not the passphrase');
    await user.getByRole('button', { name: 'Sign in' }).click();
    await user.getByRole('alert').getByText('wrong email or password').waitFor();
    await field('Password').fill(PASSWORD);
    await user.getByRole('button', { name: 'Sign in' }).click();
    await user.getByText('wrong email or password').waitFor({ state: 'detached' });
    await expectShown(user, heading(user, 'Your account is waiting for approval'), 'the pending screen');
    await user.reload();
    await expectShown(user, heading(user, 'Your account is waiting for approval'), 'the pending screen after a reload');
    await user.getByText(`${EMAIL} · Account ${ACCOUNT}`).waitFor();
    expect(await user.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
  });

  it("an instance administrator, signed in with the first start's management key in another browser, approves the account", async () => {
    await admin.goto(`${cp.url}/admin/account-requests`);
    await signInWithManagementKey(admin, ADMIN_KEY);
    await heading(admin, 'Account requests').waitFor();
    const row = admin.getByRole('table', { name: 'Account requests' }).getByRole('row').filter({ hasText: ACCOUNT });
    await expectShown(admin, row.getByText(EMAIL), 'the account request');
    // The first start's key administers the instance: the header links the screen, as the current page.
    const link = admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account requests' });
    await link.waitFor();
    expect(await link.getAttribute('aria-current')).toBe('page');
    await row.getByText('Pending approval').waitFor();
    await checkScreen(admin, 'account-requests');
    await row.getByRole('button', { name: `Approve ${ACCOUNT}` }).click();
    await admin.getByText('No pending account requests.').waitFor();
    await admin.getByLabel('Show').selectOption('Approved');
    await row.getByText('Approved').waitFor();
    // Decided: nothing left to approve or reject.
    expect(await row.getByRole('button').count()).toBe(0);
  });

  it('the pending screen turns into the console without a reload, and the new account creates an environment only it sees', async () => {
    const loads = userLoads;
    await expectShown(user, heading(user, 'Hybrid Cloud environments'), 'the console', 15_000);
    expect(userLoads).toBe(loads);
    await user.getByText('No environments yet.').waitFor();
    await checkScreen(user, 'approved');
    await user.getByRole('link', { name: 'Create environment' }).click();
    await heading(user, 'Create a Hybrid Cloud environment').waitFor();
    await user.getByLabel('Name', { exact: true }).fill(ENVIRONMENT);
    await user.getByRole('button', { name: 'Create environment' }).click();
    await expectShown(user, heading(user, `Environment ${ENVIRONMENT}`), 'the new environment');
    await checkScreen(user, 'environment');

    // Nothing crosses accounts: the administrator's account does not list it.
    const transport = createConnectTransport({ baseUrl: cp.url, httpVersion: '1.1', interceptors: [withKey] });
    const environments = createClient(hybridV1.HybridCloudService, transport);
    const listed = await environments.listHybridCloudEnvironments({ accountId: cp.accountId });
    expect(listed.items.map((e) => e.name)).not.toContain(ENVIRONMENT);
  });

  it('no script error on any screen', () => {
    expect(pageErrors).toEqual([]);
  });
});
