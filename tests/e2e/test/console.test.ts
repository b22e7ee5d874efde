// The web console end to end, in a real browser (Debian's Chromium driven by playwright-core):
// sign in with a management key, create an environment (a bad configuration YAML first), run
// the installation command the page shows against the sandbox, watch the environment turn
// Connected and a cluster turn Healthy without a reload, scale, suspend/resume, expose, back up,
// schedule, restore, delete, upgrade the environment; markup in user input stays text, a cookie
// request without the CSRF token is refused. Every call the page makes is the Cloud API's. Every screen is checked with axe-core (and the
// page's CSP must report nothing) and saved as a screenshot under reports/screenshots/.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient, type Interceptor } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { bookingV1, clusterV1, hybridV1 } from '@qhc/cloud-api';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoopbackTls, waitFor, type LoopbackTls } from '@qhc/kube-sandbox';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { startControlPlane, type RunningControlPlane } from '@qhc/control-plane';
import { startOperator, type RunningOperator } from '@qhc/operator';
import { startAgentProcess, type AgentProcess } from './support/agent-process.ts';
import { stopInOrder } from './support/stop-in-order.ts';
import { managementKeyField, signInWithManagementKey } from './support/console-session.ts';
import { clusterResourceName, QDRANT_API_VERSION } from '@qhc/schemas';
import { qdrantClusterRef } from '@qhc/schemas/test';

const sandbox = useSandboxNamespace('e2e-console');
const MANAGEMENT_KEY = 'qhc_m_console-e2e-management-key-0123456789';
const REGION = 'web';
const SCREENSHOTS = fileURLToPath(new URL('../reports/screenshots/', import.meta.url));
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const XSS = '<img src=x onerror=alert(1)>';
// Debian's Chromium: Playwright cannot download its own browsers here.
const CHROMIUM = '/usr/bin/chromium';

let tls: LoopbackTls;
let trusted: Agent;
let cp: RunningControlPlane;
let operator: RunningOperator | undefined;
let agent: AgentProcess | undefined;
let client: KubeClient;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];
const cspViolations: string[] = [];
const pageErrors: string[] = [];
const checkedScreens: string[] = [];
/** The clusters' ids, from their pages' addresses: their Kubernetes objects are named by them. */
const ids: Record<string, string> = {};
/** The environment's id (its region's): what the installation and the agent name it by. */
let environmentId: string;

const sandboxCluster = (id: string) =>
  client.get<KubeObject & { spec: { size: number }; status?: { phase?: string } }>(qdrantClusterRef(id, sandbox.namespace));
const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
/** The id of the cluster whose page is shown. */
const shownClusterId = () => decodeURIComponent(/\/clusters\/([^/?]+)/.exec(new URL(page.url()).pathname)![1]!);

/** axe-core on the screen as it is, then a screenshot: no serious or critical violation allowed. */
async function checkScreen(name: string): Promise<void> {
  // Through the DevTools protocol, which the page's CSP does not govern (an inline <script> would be refused).
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    // oxlint-disable-next-line typescript/no-explicit-any
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return (result.violations as Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>).map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  expect(
    violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
    `axe on ${name}`,
  ).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, `${String(checkedScreens.length + 1).padStart(2, '0')}-${name}.png`), fullPage: true });
  checkedScreens.push(name);
}

/** The management key on every call, as a script sends it. */
const withKey: Interceptor = (next) => (req) => (req.header.set('authorization', `apikey ${MANAGEMENT_KEY}`), next(req));

/** Cloud API clients with the management key, over HTTP/1.1 trusting the test CA, as a script would call it. */
function cloudApi() {
  const transport = createConnectTransport({ baseUrl: cp.url, httpVersion: '1.1', nodeOptions: { ca: tls.ca }, interceptors: [withKey] });
  return {
    environments: createClient(hybridV1.HybridCloudService, transport),
    clusters: createClient(clusterV1.ClusterService, transport),
    booking: createClient(bookingV1.BookingService, transport),
  };
}

/**
 * Into the YAML editor as a person would paste it. Not `fill()`: that goes through the
 * browser's editing commands, which write inline styles the page's CSP (rightly) refuses.
 */
async function pasteIntoEditor(text: string): Promise<void> {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
}

beforeAll(async () => {
  // Only this run's screens.
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  tls = await createLoopbackTls(mkdtempSync(join(tmpdir(), 'qhc-tls-')), 'qhc-control-plane');
  trusted = new Agent({ connect: { ca: tls.ca } });
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-e2e' });
  // The console's assets are the built @qhc/console, the control plane's default.
  cp = await startControlPlane({
    database: join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'cp.db'),
    port: 0,
    tls: { cert: tls.cert, key: tls.key },
    managementKey: MANAGEMENT_KEY,
    logger: createLogger({ level: 'warn', component: 'qhc-control-plane' }),
    pollIntervalMs: 100,
  });
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install -y chromium (scripts/setup.sh installs it)`);
  // Root on these machines: Chromium's own sandbox cannot run.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  // The loopback certificate comes from a private CA the browser does not know.
  context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: cp.url });
  page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
});
afterAll(async () => {
  // One CI run timed out in this hook (120 s) with every test passed: each stop is bounded and named.
  await stopInOrder([
    ['the browser', async () => browser?.close()],
    ['the agent', async () => agent?.stop()],
    ['the operator', async () => operator?.stop()],
    // The test's own connections go first: a stop waiting on a kept-alive one hung here (CI).
    ['the HTTPS agent', async () => trusted?.destroy()],
    ['the control plane', async () => cp?.stop()],
  ]);
});

describe('the web console: sign-in and environments', () => {
  it('signs in with a management key into an HttpOnly, SameSite=Strict, Secure session cookie', async () => {
    await page.goto(`${cp.url}/environments`);
    await heading('Sign in to qhc').waitFor();
    await checkScreen('sign-in');
    await signInWithManagementKey(page, 'qhc_m_not-a-key');
    await page.getByRole('alert').getByText('unknown management key').waitFor();
    await managementKeyField(page).fill(MANAGEMENT_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Hybrid Cloud environments').waitFor();
    const [cookie] = await context.cookies(cp.url);
    expect(cookie).toMatchObject({ name: 'qhc_cloud_session', httpOnly: true, sameSite: 'Strict', secure: true });
    // Not readable by the page's scripts; the account comes from the session.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await page.getByTitle(`Account ${cp.accountId}`).waitFor();
    await page.getByText('No environments yet.').waitFor();
    // By keyboard: the skip link first, with a visible focus ring, then into the page.
    await page.keyboard.press('Tab');
    const focused = () => page.evaluate(() => ({ text: document.activeElement?.textContent, outline: getComputedStyle(document.activeElement!).outlineStyle }));
    expect(await focused()).toEqual({ text: 'Skip to content', outline: 'solid' });
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await focused()).toEqual({ text: 'Create environment', outline: 'solid' });
    await checkScreen('environments-empty');
  });

  it('a bad configuration shows inline errors at their line and blocks the form; the server names the field it refuses; a valid environment is created', async () => {
    await page.getByRole('link', { name: 'Create environment' }).click();
    await heading('Create a Hybrid Cloud environment').waitFor();
    await page.locator('.cm-content').waitFor();
    await pasteIntoEditor(`namespace: ${sandbox.namespace}\nlogLevel: LOUD\nunknownKey: true\n`);
    const problems = page.getByRole('list', { name: 'Problems in the environment configuration' });
    await problems.getByText(/^Line 2, column 1: logLevel: /).waitFor();
    await problems.getByText('Line 3, column 1: unknownKey: not a field of the configuration').waitFor();
    expect(await page.locator('.cm-lintRange-error').count()).toBeGreaterThan(0);
    const create = page.getByRole('button', { name: 'Create environment' });
    expect(await create.isDisabled()).toBe(true);
    await checkScreen('environment-new-invalid-configuration');

    const ca = tls.ca.trim().split('\n').join('\n  ');
    await pasteIntoEditor(`namespace: ${sandbox.namespace}\nlogLevel: HYBRID_CLOUD_ENVIRONMENT_CONFIGURATION_LOG_LEVEL_DEBUG\ncaCertificates: |\n  ${ca}\n`);
    await page.getByText('The configuration is well-formed; the control plane checks its values.').waitFor();
    // The server's own checks: its message names the field.
    await page.getByLabel('Name', { exact: true }).fill('no spaces allowed');
    await create.click();
    await page
      .getByRole('alert')
      .getByText(/name: must hold only letters, digits/)
      .waitFor();
    await page.getByLabel('Name', { exact: true }).fill(REGION);
    await page.getByLabel('Use a private registry login').check();
    await page.getByLabel('Registry username').fill('robot');
    await page.getByLabel('Registry password').fill(' pull-secret ');
    expect(await create.isEnabled()).toBe(true);
    await checkScreen('environment-new');
    await create.click();
    await heading(`Environment ${REGION}`).waitFor();
    environmentId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
    await page.getByText('Not connected yet').first().waitFor();
    const stored = await cp.store.region(REGION);
    expect(stored.spec.namespace).toBe(sandbox.namespace);
    expect(stored.spec.advanced?.caCertificate).toContain('BEGIN CERTIFICATE');
    // The login is kept for the environment (password as typed), shown by its user name only.
    expect(await cp.store.registryCredentials(stored.id)).toEqual({ username: 'robot', password: ' pull-secret ' });
    expect(JSON.stringify(stored)).not.toContain('pull-secret');
    await page.getByText(/pull login robot \(password write-only\)/).waitFor();
    expect(await page.content()).not.toContain('pull-secret');
  });
  it('the installation command from the page, run against the sandbox, connects the environment without a reload', async () => {
    await page.getByRole('button', { name: 'Generate installation command' }).click();
    const command = (await page.getByLabel('Installation command', { exact: true }).textContent())!;
    expect(command).toMatch(new RegExp(`^curl -fsSL https://127\\.0\\.0\\.1:\\d+/install/qhc_b_[\\w-]+ \\| bash$`));
    await page.getByRole('button', { name: 'Copy the installation command' }).click();
    await page.getByText('Copied to the clipboard').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command);
    // The Helm way is offered next to it, with the same one-time token.
    const helmCommand = (await page.getByLabel('Helm installation command', { exact: true }).textContent())!;
    expect(helmCommand).toBe(command.replace(' | bash', '').concat('/helm | bash'));
    await checkScreen('environment-installation-command');

    // As `curl … | bash` would: the script from the URL in the command, then bash.
    const scriptUrl = command.split(' ')[2]!;
    const script = await (await undiciFetch(scriptUrl, { dispatcher: trusted })).text();
    const file = join(mkdtempSync(join(tmpdir(), 'qhc-install-')), 'install.sh');
    writeFileSync(file, script, { mode: 0o700 });
    // --skip-preflight: the preflight's checks are the installer's own tests'; here the agent
    // below is started by the test (with --ca-file), not by the script.
    const run = await promisify(execFile)('bash', [file, '--skip-preflight'], {
      env: { ...process.env, KUBECONFIG: sandbox.kubeconfigPath },
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(run.stdout).toContain(`qhc: region ${environmentId} installed`);
    expect(run.stdout + run.stderr).not.toContain('pull-secret');
    // The login typed on the page fills the installation's pull Secret.
    const pull = await promisify(execFile)(
      'kubectl',
      ['get', 'secret', 'qhc-registry-creds', '-n', sandbox.namespace, '-o', 'jsonpath={.data.\\.dockerconfigjson}'],
      { env: { ...process.env, KUBECONFIG: sandbox.kubeconfigPath }, encoding: 'utf8' },
    );
    const auths = (JSON.parse(Buffer.from(pull.stdout, 'base64').toString()) as { auths: Record<string, { auth: string }> }).auths;
    expect(Object.values(auths).map((a) => Buffer.from(a.auth, 'base64').toString())).toEqual(['robot: pull-secret ']);

    const settingsDir = mkdtempSync(join(tmpdir(), 'qhc-op-'));
    writeFileSync(join(settingsDir, 'settings.yaml'), 'settings:\n  app_environment: local\n');
    operator = await startOperator({
      settingsPath: join(settingsDir, 'settings.yaml'),
      kubeconfigPath: sandbox.kubeconfigPath,
      namespace: sandbox.namespace,
      leaseNamespace: sandbox.namespace,
      leaderElection: false,
      port: 0,
      logger: createLogger({ level: 'warn', component: 'qhc-operator' }),
    });
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(https?|no|all)_proxy$/i.test(k)));
    agent = startAgentProcess(
      [
        '--control-plane-url',
        cp.url,
        '--region',
        environmentId,
        '--namespace',
        sandbox.namespace,
        '--kubeconfig',
        sandbox.kubeconfigPath,
        '--health-port',
        '0',
        '--status-interval',
        '1',
        '--poll-seconds',
        '5',
        '--max-backoff',
        '2',
        '--ca-file',
        tls.caPath,
      ],
      env,
    );
    await agent.waitForLog('registered', /"msg":"registered with the control plane"/);
    // The page polls: Connected shows up on the page as it is.
    await page
      .getByText(/^Connected/)
      .first()
      .waitFor({ timeout: 30_000 });
    await page
      .getByText(/0\.1\.0 running/)
      .first()
      .waitFor({ timeout: 30_000 });
    await checkScreen('environment-connected');
  }, 300_000);
});

describe('the web console: a cluster', () => {
  it('a cluster created in the form (a package from the list) turns Healthy without a reload; a script in a name stays text', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clusters' }).click();
    await heading('Clusters').waitFor();
    await page.getByText('No clusters yet.').waitFor();
    await checkScreen('clusters-empty');
    await page.getByRole('link', { name: 'Create cluster' }).click();
    await heading('Create a cluster').waitFor();
    // The packages come from BookingService.ListPackages, the versions from ListQdrantReleases.
    await page.getByLabel('Package').locator('option').first().waitFor({ state: 'attached' });
    const packages = await page.getByLabel('Package').locator('option').allTextContents();
    expect(packages.length).toBeGreaterThan(0);
    await page.getByLabel('Qdrant version').selectOption('v1.16.2');
    await checkScreen('cluster-new');

    // The API refuses this name, its message names the field, and the page shows the name as text.
    await page.getByLabel('Name', { exact: true }).fill(XSS);
    await page.getByRole('button', { name: 'Create cluster' }).click();
    await page.getByText(`Cluster "${XSS}" was not created`).waitFor();
    await page
      .getByRole('alert')
      .getByText(/cluster\.name: /)
      .waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);

    await page.getByLabel('Name', { exact: true }).fill('hello');
    await page.getByLabel('Nodes').fill('1');
    await page.getByRole('button', { name: 'Create cluster' }).click();
    await heading('Cluster hello').waitFor();
    ids.hello = shownClusterId();
    await page.getByText('Healthy', { exact: true }).first().waitFor({ timeout: 90_000 });
    expect((await sandboxCluster(ids.hello))?.status?.phase).toBe('Healthy');
    // The timeline: what was asked for, and each change the agent reported.
    const timeline = page.getByRole('region', { name: 'Events' });
    await timeline.getByText(/Phase (\w+ → )?Healthy/).waitFor({ timeout: 10_000 });
    await timeline.getByText('Requested created: 1 node(s) of v1.16.2').waitFor();
    await checkScreen('cluster-healthy');
  }, 150_000);

  it('scales the cluster until both nodes are ready', async () => {
    const scale = page.getByRole('form', { name: 'Scale' });
    await scale.getByLabel('Nodes').fill('2');
    await scale.getByRole('button', { name: 'Scale' }).click();
    await waitFor('2 nodes asked for in the sandbox', async () => ((await sandboxCluster(ids.hello!))?.spec.size === 2 ? true : undefined), {
      timeoutMs: 30_000,
    });
    expect((await cp.store.cluster(REGION, 'hello')).spec.size).toBe(2);
    await page.getByRole('definition').getByText('2/2', { exact: true }).waitFor({ timeout: 90_000 });
    await page.getByText('Healthy', { exact: true }).first().waitFor({ timeout: 30_000 });
    await page.getByRole('region', { name: 'Events' }).getByText('Requested scale to 2 node(s)').waitFor();
    // Node by node, as the operator reports its pods.
    const nodes = page.getByRole('region', { name: 'Nodes' });
    const pod = clusterResourceName(ids.hello!);
    await nodes.getByRole('row', { name: new RegExp(`^${pod}-0 Healthy v1\\.16\\.2`) }).waitFor({ timeout: 30_000 });
    await nodes.getByRole('row', { name: new RegExp(`^${pod}-1 Healthy v1\\.16\\.2`) }).waitFor({ timeout: 30_000 });
    await checkScreen('cluster-scaled');
  }, 180_000);

  it('suspends and resumes, exposes through a NodePort: each change shows without a reload', async () => {
    const badge = page.locator('.title .badge');
    await page.getByRole('form', { name: 'Suspend' }).getByRole('button', { name: 'Suspend' }).click();
    await badge.getByText('Suspended', { exact: true }).waitFor({ timeout: 60_000 });
    expect((await sandboxCluster(ids.hello!))?.status?.phase).toBe('Suspended');
    await page.getByRole('form', { name: 'Resume' }).getByRole('button', { name: 'Resume' }).click();
    await badge.getByText('Healthy', { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByRole('definition').getByText('2/2', { exact: true }).waitFor({ timeout: 30_000 });

    const expose = page.getByRole('form', { name: 'Expose' });
    await expose.getByLabel('Service type').selectOption('NodePort');
    await expose.getByRole('button', { name: 'Save exposure' }).click();
    await page.getByRole('definition').getByText('NodePort', { exact: true }).waitFor();
    await waitFor(
      'the NodePort service in the sandbox',
      async () => {
        const service = await client.get<KubeObject & { spec: { type: string } }>({
          apiVersion: 'v1',
          kind: 'Service',
          namespace: sandbox.namespace,
          name: clusterResourceName(ids.hello!),
        });
        return service?.spec.type === 'NodePort' ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );
    const timeline = page.getByRole('region', { name: 'Events' });
    for (const text of ['Requested suspend', 'Requested resume', 'Requested exposure NodePort']) await timeline.getByText(text).first().waitFor();
    expect((await cp.store.cluster(REGION, 'hello')).spec.service?.type).toBe('NodePort');
  }, 180_000);
});

describe('the web console: backups', () => {
  it('backs up, schedules (bad cron refused), and restores into a new cluster', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backups' }).click();
    await heading('Backups').waitFor();
    await page.getByText('No backups of this cluster.').waitFor();
    await page.getByRole('button', { name: 'Back up hello now' }).click();
    const backups = page.getByRole('region', { name: 'Backups' });
    await backups.getByRole('row', { name: /^hello-\d{8}-\d{6} .* Succeeded 72h/ }).waitFor({ timeout: 90_000 });

    await page.getByLabel('Schedule (cron, UTC)').fill('61 * * * *');
    await page.getByText(/Schedule minute "61" must be 0-59/).waitFor();
    expect(await page.getByRole('button', { name: /^Add schedule/ }).isDisabled()).toBe(true);
    await page.getByLabel('Schedule (cron, UTC)').fill('0 2 * * *');
    await page.getByRole('button', { name: 'Add schedule for hello' }).click();
    await page
      .getByRole('region', { name: 'Schedules' })
      .getByRole('row', { name: /0 2 \* \* \* 168h/ })
      .waitFor();
    await checkScreen('backups');

    await page.getByLabel('New cluster name').fill('hello-copy');
    await page.getByRole('button', { name: 'Restore' }).click();
    await heading('Cluster hello-copy').waitFor();
    ids['hello-copy'] = shownClusterId();
    await page.getByText('Healthy', { exact: true }).first().waitFor({ timeout: 120_000 });
    expect((await sandboxCluster(ids['hello-copy']))?.status?.phase).toBe('Healthy');
  }, 300_000);

  it('a restore made with kubectl in the region shows as a cluster with its origin, and is deleted from the console', async () => {
    const backup = (await cp.store.resources(REGION, 'backups')).find((b) => b.clusterId === ids.hello && b.status?.phase === 'Succeeded')!;
    const restore = {
      apiVersion: QDRANT_API_VERSION,
      kind: 'QdrantClusterRestore',
      metadata: { name: 'by-kubectl', namespace: sandbox.namespace, labels: { 'cluster-id': ids.hello!, 'customer-id': environmentId } },
      spec: {
        source: { snapshotName: backup.name, namespace: sandbox.namespace },
        destination: { name: clusterResourceName('by-kubectl'), namespace: sandbox.namespace, create: true },
      },
    };
    const child = execFile('kubectl', ['apply', '-f', '-'], { env: { ...process.env, KUBECONFIG: sandbox.kubeconfigPath }, encoding: 'utf8' });
    child.stdin!.end(JSON.stringify(restore));
    await new Promise<void>((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kubectl apply exited ${code}`)))));
    // The agent reports the new cluster with its origin; the control plane adopts it.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clusters' }).click();
    await page.getByRole('link', { name: 'by-kubectl', exact: true }).click({ timeout: 60_000 });
    await heading('Cluster by-kubectl').waitFor();
    expect((await cp.store.cluster(REGION, 'by-kubectl')).origin).toEqual({ restore: 'by-kubectl', snapshot: backup.name, sourceCluster: ids.hello });
    // Its origin, as the timeline tells it.
    await page.getByRole('region', { name: 'Events' }).getByText(`Adopted restored by by-kubectl from backup ${backup.name} of cluster ${ids.hello}`).waitFor();
    // Deleted once restored: the restore is done with it, nothing makes it again.
    await page.getByText('Healthy', { exact: true }).first().waitFor({ timeout: 120_000 });
    await checkScreen('cluster-restored');
    await page.getByRole('button', { name: 'Delete cluster…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete cluster by-kubectl?' });
    await dialog.getByLabel('Name of the cluster').fill('by-kubectl');
    await dialog.getByRole('button', { name: 'Delete cluster' }).click();
    await heading('Clusters').waitFor();
    await waitFor('qdrant-by-kubectl deleted in the sandbox', async () => ((await sandboxCluster('by-kubectl')) ? undefined : true), { timeoutMs: 30_000 });
    await page.getByRole('link', { name: 'by-kubectl', exact: true }).waitFor({ state: 'detached', timeout: 30_000 });
    await expect(cp.store.cluster(REGION, 'by-kubectl')).rejects.toThrow(/does not exist/);
  }, 240_000);
});

/** A cluster's configuration as the editor takes it: every field qhc maps onto the QdrantCluster. */
const configurationYaml = (packageId: string, extra = '') => `numberOfNodes: 1
version: v1.16.2
packageId: ${packageId}
serviceType: CLUSTER_SERVICE_TYPE_LOAD_BALANCER
nodeSelector:
  - key: disktype
    value: ssd
tolerations:
  - key: dedicated
    operator: TOLERATION_OPERATOR_EQUAL
    value: qdrant
    effect: TOLERATION_EFFECT_NO_SCHEDULE
serviceAnnotations:
  - key: lb.example.com/internal
    value: "true"
databaseConfiguration:
  logLevel: DATABASE_CONFIGURATION_LOG_LEVEL_WARN
  service:
    apiKey: { name: qdrant-keys, key: api-key }
    readOnlyApiKey: { name: qdrant-keys, key: read-only-api-key }
${extra}`;

describe("the web console: a cluster's configuration and deletion", () => {
  it("a cluster's whole configuration is edited as YAML; the QdrantCluster follows; the server names the field it refuses", async () => {
    await page.goto(`${cp.url}/clusters/new`);
    await heading('Create a cluster').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('configured');
    await page.getByLabel('Qdrant version').selectOption('v1.16.2');
    await page.getByLabel('Service type').selectOption('LoadBalancer');
    await page.getByRole('button', { name: 'Create cluster' }).click();
    await heading('Cluster configured').waitFor();
    ids.configured = shownClusterId();
    const packageId = (await page.locator('dt', { hasText: 'Package' }).locator('xpath=following-sibling::dd[1]').textContent())!;
    const form = page.getByRole('form', { name: 'Configuration' });
    await form.locator('.cm-content').waitFor();

    // Refused by the server, each with the field named: what the spec's schema refuses, what Kubernetes cannot change.
    await pasteIntoEditor(configurationYaml(packageId).replace('numberOfNodes: 1', 'numberOfNodes: 0'));
    await form.getByRole('button', { name: 'Save configuration' }).click();
    await form
      .getByRole('alert')
      .getByText(/cluster\.configuration\.number_of_nodes: /)
      .waitFor();
    await pasteIntoEditor(configurationYaml(packageId, 'clusterStorageConfiguration:\n  databaseStorageClass: other\n'));
    await form.getByRole('button', { name: 'Save configuration' }).click();
    await form
      .getByRole('alert')
      .getByText(/database_storage_class/)
      .waitFor();
    // A shape the page itself refuses: at its line, the save blocked.
    await pasteIntoEditor(`${configurationYaml(packageId)}rebalance: yes\n`);
    await form.getByText(/^Line 21, column 1: rebalance: not a field/).waitFor();
    expect(await form.getByRole('button', { name: 'Save configuration' }).isDisabled()).toBe(true);

    await pasteIntoEditor(configurationYaml(packageId, 'clusterStorageConfiguration:\n  volumeSnapshotClass: csi-snap\n'));
    await checkScreen('cluster-configuration');
    await form.getByRole('button', { name: 'Save configuration' }).click();
    type Live = KubeObject & { spec: Record<string, unknown> };
    const live = () => client.get<Live>(qdrantClusterRef(ids.configured!, sandbox.namespace));
    const applied = await waitFor(
      'the configuration in the sandbox',
      async () => {
        const cluster = await live();
        return (cluster?.spec.config as { log_level?: string } | undefined)?.log_level === 'WARN' ? cluster : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(applied.spec).toMatchObject({
      nodeSelector: { disktype: 'ssd' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'qdrant', effect: 'NoSchedule' }],
      service: { type: 'LoadBalancer', annotations: { 'lb.example.com/internal': 'true' } },
      storage: { volumeSnapshotClassName: 'csi-snap' },
      config: {
        log_level: 'WARN',
        service: {
          api_key: { secretKeyRef: { name: 'qdrant-keys', key: 'api-key' } },
          read_only_api_key: { secretKeyRef: { name: 'qdrant-keys', key: 'read-only-api-key' } },
        },
      },
    });
    await page.getByRole('definition').getByText('LoadBalancer', { exact: true }).waitFor();
    await checkScreen('cluster-configured');
    await cp.store.deleteCluster(REGION, 'configured');
  }, 120_000);

  it('deletes a cluster only after its name is typed; it disappears once the agent deleted it', async () => {
    await page.goto(`${cp.url}/clusters/${ids.hello}`);
    await heading('Cluster hello').waitFor();
    await page.getByRole('button', { name: 'Delete cluster…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete cluster hello?' });
    await dialog.waitFor();
    // Escape closes it and gives the focus back to the button that opened it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Delete cluster…');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    const confirm = dialog.getByRole('button', { name: 'Delete cluster' });
    await dialog.getByLabel('Name of the cluster').fill('hell');
    expect(await confirm.isDisabled()).toBe(true);
    await checkScreen('cluster-delete-dialog');
    await dialog.getByLabel('Name of the cluster').fill('hello');
    await confirm.click();
    await heading('Clusters').waitFor();
    await waitFor('the hello cluster deleted in the sandbox', async () => ((await sandboxCluster(ids.hello!)) ? undefined : true), { timeoutMs: 30_000 });
    await page.getByRole('link', { name: 'hello', exact: true }).waitFor({ state: 'detached', timeout: 30_000 });
    await checkScreen('clusters');
  }, 120_000);
});

describe("the web console: the environment's versions and configuration", () => {
  it("upgrades the environment's agent and operator versions, and changes its configuration, from its page", async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Environments' }).click();
    await page.getByRole('link', { name: REGION, exact: true }).click();
    await heading(`Environment ${REGION}`).waitFor();
    const versions = page.getByRole('form', { name: 'Versions' });
    await versions.getByLabel('Agent version').fill('0.1.1');
    await versions.getByLabel('Operator version').fill('0.1.1');
    await versions.getByRole('button', { name: 'Upgrade' }).click();
    await page.getByText('Saved; the agent rolls it out.').waitFor();
    await page
      .getByText(/wanted 0\.1\.1/)
      .first()
      .waitFor();
    expect((await cp.store.region(REGION)).spec).toMatchObject({ agentVersion: '0.1.1', operatorVersion: '0.1.1', namespace: sandbox.namespace });

    // The configuration, changed later with the same editor and the same checks, and the server's.
    const configuration = page.getByRole('form', { name: 'Configuration' });
    await pasteIntoEditor(`namespace: ${sandbox.namespace}\nlogLevel: 0.5\n`);
    await configuration.getByText(/^Line 2, column 1: logLevel: /).waitFor();
    expect(await configuration.getByRole('button', { name: 'Save configuration' }).isDisabled()).toBe(true);
    await pasteIntoEditor('namespace: elsewhere\n');
    await configuration.getByRole('button', { name: 'Save configuration' }).click();
    await configuration
      .getByRole('alert')
      .getByText(/namespace: cannot change after the environment is created/)
      .waitFor();
    await pasteIntoEditor(`namespace: ${sandbox.namespace}\nlogLevel: HYBRID_CLOUD_ENVIRONMENT_CONFIGURATION_LOG_LEVEL_WARN\n`);
    await configuration.getByRole('button', { name: 'Save configuration' }).click();
    await page.getByText('Saved; the agent applies the new configuration.').waitFor();
    expect((await cp.store.region(REGION)).spec.advanced?.logLevel).toEqual({ operator: 'WARN', agent: 'WARN' });
    await checkScreen('environment-upgraded');
  });
});

describe('the web console: markup, CSRF, sign-out', () => {
  it('markup a user typed (a cluster label) is shown as text on every screen it appears', async () => {
    // In an environment without an agent: the cluster is stored, never applied anywhere.
    const api = cloudApi();
    const environment = (
      await api.environments.createHybridCloudEnvironment({
        hybridCloudEnvironment: { accountId: cp.accountId, name: 'markup', configuration: { namespace: 'markup' } },
      })
    ).hybridCloudEnvironment!;
    const [pkg] = (await api.booking.listPackages({ accountId: cp.accountId, cloudProviderId: 'hybrid', cloudProviderRegionId: environment.id })).items;
    const cluster = (
      await api.clusters.createCluster({
        cluster: {
          accountId: cp.accountId,
          name: 'markup',
          cloudProviderId: 'hybrid',
          cloudProviderRegionId: environment.id,
          labels: [{ key: 'owner', value: XSS }],
          configuration: { numberOfNodes: 1, packageId: pkg!.id },
        },
      })
    ).cluster!;
    await page.goto(`${cp.url}/clusters/${cluster.id}`);
    await page.getByRole('definition').getByText(`owner=${XSS}`, { exact: true }).waitFor();
    expect(await page.locator('img').count()).toBe(0);
    await checkScreen('cluster-markup-as-text');

    // Its environment goes, after its name is typed.
    await page.goto(`${cp.url}/environments/${environment.id}`);
    await page.getByRole('button', { name: 'Delete environment…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete environment markup?' });
    await dialog.getByLabel('Name of the environment').fill('markup');
    await dialog.getByRole('button', { name: 'Delete environment' }).click();
    await heading('Hybrid Cloud environments').waitFor();
    await page.getByRole('link', { name: 'markup', exact: true }).waitFor({ state: 'detached' });
    await expect(cp.store.region('markup')).rejects.toThrow('region markup does not exist');
  });

  it('a state-changing call with the session cookie but without the CSRF token is refused', async () => {
    const refused = await page.evaluate(
      async ({ namespace, accountId }) => {
        const res = await fetch('/qdrant.cloud.hybrid.v1.HybridCloudService/CreateHybridCloudEnvironment', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ hybridCloudEnvironment: { accountId, name: 'forged', configuration: { namespace } } }),
        });
        return { status: res.status, body: (await res.json()) as unknown };
      },
      { namespace: sandbox.namespace, accountId: cp.accountId },
    );
    expect(refused).toEqual({
      status: 401,
      body: { code: 'unauthenticated', message: "send the session's CSRF token (qhc.v1.SessionService/GetSession) in the x-csrf-token header" },
    });
    await expect(cp.store.region('forged')).rejects.toThrow('region forged does not exist');
  });

  it('signs out: the session ends on the server', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in to qhc').waitFor();
    const status = await page.evaluate(
      async (accountId) =>
        (
          await fetch('/qdrant.cloud.hybrid.v1.HybridCloudService/ListHybridCloudEnvironments', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ accountId }),
          })
        ).status,
      cp.accountId,
    );
    expect(status).toBe(401);
  });

  it('no dialog opened, no CSP violation, no script error, on any screen', () => {
    expect(checkedScreens.length).toBeGreaterThanOrEqual(12);
    expect(dialogs).toEqual([]);
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
