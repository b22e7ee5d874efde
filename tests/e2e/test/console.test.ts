// The web console end to end, in a real browser (Debian's Chromium driven by playwright-core):
// sign in with a user token, create an environment (bad settings YAML first), run the
// installation command the page shows against the sandbox, watch the environment turn
// Connected and a cluster turn Healthy without a reload, scale, suspend/resume, expose, back up,
// schedule, restore, delete, upgrade the environment; markup in user input stays text, a cookie
// request without the CSRF token is refused. Every screen is checked with axe-core (and the
// page's CSP must report nothing) and saved as a screenshot under reports/screenshots/.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoopbackTls, waitFor, type LoopbackTls } from '@qhc/kube-sandbox';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { startControlPlane, type RunningControlPlane } from '@qhc/control-plane';
import { startOperator, type RunningOperator } from '@qhc/operator';
import { startAgentProcess, type AgentProcess } from './support/agent-process.ts';
import { qdrantClusterRef } from '@qhc/schemas/test';

const sandbox = useSandboxNamespace('e2e-console');
const ADMIN = 'qhc_u_console-e2e-admin-token-0123456789';
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

const sandboxCluster = (id: string) =>
  client.get<KubeObject & { spec: { size: number }; status?: { phase?: string } }>(qdrantClusterRef(id, sandbox.namespace));
const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });

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
    adminToken: ADMIN,
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
  await browser?.close();
  await agent?.stop();
  await operator?.stop();
  await cp?.stop();
  await trusted?.close();
});

describe('the web console', () => {
  it('signs in with a user token into an HttpOnly, SameSite=Strict, Secure session cookie', async () => {
    await page.goto(`${cp.url}/environments`);
    await heading('Sign in to qhc').waitFor();
    await checkScreen('sign-in');
    await page.getByLabel('User token').fill('qhc_u_not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('token: not valid (unknown or revoked)').waitFor();
    await page.getByLabel('User token').fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Hybrid Cloud environments').waitFor();
    const [cookie] = await context.cookies(cp.url);
    expect(cookie).toMatchObject({ name: 'qhc_session', httpOnly: true, sameSite: 'Strict', secure: true });
    // Not readable by the page's scripts.
    expect(await page.evaluate(() => document.cookie)).toBe('');
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

  it('bad operator settings show inline errors at their line and block the form; a valid environment is created', async () => {
    await page.getByRole('link', { name: 'Create environment' }).click();
    await heading('Create a Hybrid Cloud environment').waitFor();
    await page.getByLabel('Name', { exact: true }).fill(REGION);
    await page.getByLabel('Kubernetes namespace').fill(sandbox.namespace);
    await page.locator('.cm-content').waitFor();
    await pasteIntoEditor('settings:\n  backOff:\n    minDelay: -1\n  unknownKey: true\n');
    const problems = page.getByRole('list', { name: 'Problems in the operator settings' });
    await problems.getByText(/^Line 3, column 15: settings\.backOff\.minDelay: /).waitFor();
    await problems.getByText(/^Line 4, column 3: /).waitFor();
    expect(await page.locator('.cm-lintRange-error').count()).toBeGreaterThan(0);
    const create = page.getByRole('button', { name: 'Create environment' });
    expect(await create.isDisabled()).toBe(true);
    await checkScreen('environment-new-invalid-settings');

    await pasteIntoEditor('settings:\n  backupHistoryRetentionDays: 3\n');
    await page.getByText('The settings are valid.').waitFor();
    await page.getByLabel('Show advanced configuration').check();
    await page.getByLabel('CA certificate (PEM)').fill(tls.ca);
    await page.getByLabel('Agent log level').selectOption('DEBUG');
    await page.getByLabel('Registry username').fill('robot');
    await page.getByLabel('Registry password').fill(' pull-secret ');
    expect(await create.isEnabled()).toBe(true);
    await checkScreen('environment-new');
    await create.click();
    await heading(`Environment ${REGION}`).waitFor();
    await page.getByText('Not connected yet').first().waitFor();
    const stored = await cp.store.region(REGION);
    expect([stored.spec.namespace, stored.spec.operatorSettings.settings.backupHistoryRetentionDays, stored.spec.advanced.logLevel.agent]).toEqual([
      sandbox.namespace,
      3,
      'DEBUG',
    ]);
    // The login is kept for the region (password as typed), shown by its user name only.
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
    // --skip-preflight: the environment made on the page has no CA for this control plane's private
    // certificate (the agent below gets it with --ca-file), which the preflight's HTTPS check would refuse.
    const run = await promisify(execFile)('bash', [file, '--skip-preflight'], {
      env: { ...process.env, KUBECONFIG: sandbox.kubeconfigPath },
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(run.stdout).toContain(`qhc: region ${REGION} installed`);
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
        REGION,
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
    await page.getByText('Connected', { exact: true }).first().waitFor({ timeout: 30_000 });
    await page
      .getByText(/0\.1\.0 running/)
      .first()
      .waitFor({ timeout: 30_000 });
    await checkScreen('environment-connected');
  }, 300_000);

  it('a cluster created in the form turns Healthy without a reload; a script in a name stays text', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clusters' }).click();
    await heading('Clusters').waitFor();
    await page.getByText('No clusters yet.').waitFor();
    await checkScreen('clusters-empty');
    await page.getByRole('link', { name: 'Create cluster' }).click();
    await heading('Create a cluster').waitFor();
    await checkScreen('cluster-new');

    // The API takes only DNS labels as names: it refuses this one, and the page shows the name, as text.
    await page.getByLabel('Name', { exact: true }).fill(XSS);
    await page.getByRole('button', { name: 'Create cluster' }).click();
    await page.getByText(`Cluster "${XSS}" was not created`).waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);

    await page.getByLabel('Name', { exact: true }).fill('hello');
    await page.getByLabel('Nodes').fill('1');
    await page.getByRole('button', { name: 'Create cluster' }).click();
    await heading('Cluster hello').waitFor();
    await page.getByText('Healthy', { exact: true }).first().waitFor({ timeout: 90_000 });
    expect((await sandboxCluster('hello'))?.status?.phase).toBe('Healthy');
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
    await waitFor('2 nodes asked for in the sandbox', async () => ((await sandboxCluster('hello'))?.spec.size === 2 ? true : undefined), { timeoutMs: 30_000 });
    expect((await cp.store.cluster(REGION, 'hello')).spec.size).toBe(2);
    await page.getByRole('definition').getByText('2/2', { exact: true }).waitFor({ timeout: 90_000 });
    await page.getByText('Healthy', { exact: true }).first().waitFor({ timeout: 30_000 });
    await page.getByRole('region', { name: 'Events' }).getByText('Requested scale to 2 node(s)').waitFor();
    // Node by node, as the operator reports its pods.
    const nodes = page.getByRole('region', { name: 'Nodes' });
    await nodes.getByRole('row', { name: /^qdrant-hello-0 Running yes v1\.16\.2/ }).waitFor({ timeout: 30_000 });
    await nodes.getByRole('row', { name: /^qdrant-hello-1 Running yes v1\.16\.2/ }).waitFor({ timeout: 30_000 });
    await checkScreen('cluster-scaled');
  }, 180_000);

  it('suspends and resumes, exposes through a NodePort: each change shows without a reload', async () => {
    const badge = page.locator('.title .badge');
    await page.getByRole('form', { name: 'Suspend' }).getByRole('button', { name: 'Suspend' }).click();
    await badge.getByText('Suspended', { exact: true }).waitFor({ timeout: 60_000 });
    expect((await sandboxCluster('hello'))?.status?.phase).toBe('Suspended');
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
          name: 'qdrant-hello',
        });
        return service?.spec.type === 'NodePort' ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );
    const timeline = page.getByRole('region', { name: 'Events' });
    for (const text of ['Requested suspend', 'Requested resume', 'Requested exposure NodePort']) await timeline.getByText(text).first().waitFor();
    expect((await cp.store.cluster(REGION, 'hello')).spec.service?.type).toBe('NodePort');
  }, 180_000);

  it('backs up, schedules (bad cron refused), and restores into a new cluster', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backups' }).click();
    await heading('Backups').waitFor();
    await page.getByText('No backups in this environment.').waitFor();
    await page.getByRole('button', { name: 'Back up now' }).click();
    const backups = page.getByRole('region', { name: 'Backups' });
    await backups.getByRole('row', { name: /hello-\d{8}-\d{6} hello Succeeded/ }).waitFor({ timeout: 90_000 });

    await page.getByLabel('Schedule (cron, UTC)').fill('61 * * * *');
    await page.getByText(/Schedule minute "61" must be 0-59/).waitFor();
    expect(await page.getByRole('button', { name: /^Add schedule/ }).isDisabled()).toBe(true);
    await page.getByLabel('Schedule (cron, UTC)').fill('0 2 * * *');
    await page.getByRole('button', { name: 'Add schedule for hello' }).click();
    await page
      .getByRole('region', { name: 'Schedules' })
      .getByRole('row', { name: /hello-\w+ hello 0 2 \* \* \* 168h/ })
      .waitFor();

    await page.getByLabel('Into cluster').fill('hello-copy');
    await page.getByRole('button', { name: 'Restore' }).click();
    const restores = page.getByRole('region', { name: 'Restores' });
    await restores.getByRole('row', { name: /to-hello-copy .* qdrant-hello-copy Succeeded/ }).waitFor({ timeout: 120_000 });
    expect((await sandboxCluster('hello-copy'))?.status?.phase).toBe('Healthy');
    await checkScreen('backups');
  }, 300_000);

  it('a restore made with kubectl in the region shows as a cluster with its origin, and is deleted from the console', async () => {
    const backup = (await cp.store.resources(REGION, 'backups')).find((b) => b.clusterId === 'hello' && b.status?.phase === 'Succeeded')!;
    const restore = {
      apiVersion: 'qdrant.io/v1',
      kind: 'QdrantClusterRestore',
      metadata: { name: 'by-kubectl', namespace: sandbox.namespace, labels: { 'cluster-id': 'hello', 'customer-id': REGION } },
      spec: {
        source: { snapshotName: backup.name, namespace: sandbox.namespace },
        destination: { name: 'qdrant-by-kubectl', namespace: sandbox.namespace, create: true },
      },
    };
    const child = execFile('kubectl', ['apply', '-f', '-'], { env: { ...process.env, KUBECONFIG: sandbox.kubeconfigPath }, encoding: 'utf8' });
    child.stdin!.end(JSON.stringify(restore));
    await new Promise<void>((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kubectl apply exited ${code}`)))));
    // The agent reports the new cluster with its origin; the control plane adopts it.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clusters' }).click();
    await page.getByRole('link', { name: 'by-kubectl', exact: true }).click({ timeout: 60_000 });
    await heading('Cluster by-kubectl').waitFor();
    await page.getByRole('definition').getByText(`Restored by by-kubectl from backup ${backup.name} of cluster hello`).waitFor();
    expect((await cp.store.cluster(REGION, 'by-kubectl')).origin).toEqual({ restore: 'by-kubectl', snapshot: backup.name, sourceCluster: 'hello' });
    await page.getByRole('region', { name: 'Events' }).getByText(`Adopted restored by by-kubectl from backup ${backup.name} of cluster hello`).waitFor();
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

  it('creates a cluster with its configuration set, changes it afterwards; the QdrantCluster follows', async () => {
    await page.goto(`${cp.url}/clusters/new?environment=${REGION}`);
    await heading('Create a cluster').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('configured');
    await page.getByLabel('Node selector').fill('disktype=ssd');
    await page.getByLabel('Tolerations').fill('dedicated=qdrant:NoSchedule');
    await page.getByLabel('Service type').selectOption('LoadBalancer');
    await page.getByLabel('Service annotations').fill('lb.example.com/internal=true');
    await page.getByLabel('Create an ingress').check();
    await page.getByLabel('Ingress host').fill('q.example.com');
    await page.getByLabel('Ingress class').fill('nginx');
    await page.getByLabel('Ingress TLS').check();
    await page.getByLabel('TLS secret').fill('q-tls');
    await page.getByLabel('Ingress annotations').fill('nginx.ingress.kubernetes.io/proxy-body-size=64m');
    await page.getByLabel('Storage class').fill('standard');
    await page.getByLabel('Volume snapshot class').fill('csi-snap');
    await page.getByLabel('Log level').fill('WARN');
    await page.getByLabel('Rebalance shards (cluster manager)').selectOption('on');
    await page.getByLabel('API key secret', { exact: true }).fill('qdrant-keys');
    await page.getByLabel('Read-only API key secret').fill('qdrant-keys');
    await checkScreen('cluster-new-configured');
    await page.getByRole('button', { name: 'Create cluster' }).click();
    await heading('Cluster configured').waitFor();
    type Live = KubeObject & { spec: Record<string, unknown> };
    const live = () => client.get<Live>(qdrantClusterRef('configured', sandbox.namespace));
    const applied = await waitFor('qdrant-configured in the sandbox', async () => (await live()) ?? undefined, { timeoutMs: 30_000 });
    expect(applied.spec).toMatchObject({
      nodeSelector: { disktype: 'ssd' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'qdrant', effect: 'NoSchedule' }],
      service: { type: 'LoadBalancer', annotations: { 'lb.example.com/internal': 'true' } },
      ingress: {
        enabled: true,
        host: 'q.example.com',
        ingressClassName: 'nginx',
        tls: true,
        tlsSecretName: 'q-tls',
        annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '64m' },
      },
      storageClassNames: { db: 'standard' },
      storage: { volumeSnapshotClassName: 'csi-snap' },
      clusterManager: true,
      config: {
        log_level: 'WARN',
        service: {
          api_key: { secretKeyRef: { name: 'qdrant-keys', key: 'api-key' } },
          read_only_api_key: { secretKeyRef: { name: 'qdrant-keys', key: 'read-only-api-key' } },
        },
      },
    });

    // Afterwards: the storage class is read-only and says why; log level and rebalancing change.
    const form = page.getByRole('form', { name: 'Configuration' });
    expect(await form.getByLabel('Storage class').getAttribute('readonly')).not.toBeNull();
    await form.getByText(/^Cannot change: the database volumes exist/).waitFor();
    await form.getByLabel('Log level').fill('DEBUG');
    await form.getByLabel('Rebalance shards (cluster manager)').selectOption('off');
    await form.getByRole('button', { name: 'Save configuration' }).click();
    await waitFor(
      'the change in the sandbox',
      async () => {
        const spec = (await live())?.spec as { config?: { log_level?: string }; clusterManager?: boolean } | undefined;
        return spec?.config?.log_level === 'DEBUG' && spec.clusterManager === false ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );
    await page.getByRole('definition').getByText('off', { exact: true }).waitFor();
    await checkScreen('cluster-configured');
    // The API refuses what Kubernetes cannot do, naming the field.
    const current = await cp.store.cluster(REGION, 'configured');
    await expect(cp.store.updateCluster(REGION, 'configured', { spec: { ...current.spec, storageClassNames: { db: 'other' } } })).rejects.toThrow(
      /spec\.storageClassNames\.db cannot change/,
    );
    await cp.store.deleteCluster(REGION, 'configured');
  }, 120_000);

  it('deletes a cluster only after its name is typed; it disappears once the agent deleted it', async () => {
    await page.goto(`${cp.url}/environments/${REGION}/clusters/hello`);
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
    await waitFor('qdrant-hello deleted in the sandbox', async () => ((await sandboxCluster('hello')) ? undefined : true), { timeoutMs: 30_000 });
    await page.getByRole('link', { name: 'hello', exact: true }).waitFor({ state: 'detached', timeout: 30_000 });
    await checkScreen('clusters');
  }, 120_000);

  it("upgrades the environment's agent and operator versions from its page", async () => {
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

    // The settings, changed later with the same editor and the same checks.
    const settings = page.getByRole('form', { name: 'Operator settings' });
    await pasteIntoEditor('settings:\n  backupHistoryRetentionDays: 0.5\n');
    await settings.getByText(/^Line 2, column 31: settings\.backupHistoryRetentionDays: /).waitFor();
    expect(await settings.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
    await pasteIntoEditor('settings:\n  backupHistoryRetentionDays: 7\n');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved; the agent applies the new settings.').waitFor();
    expect((await cp.store.region(REGION)).spec.operatorSettings.settings.backupHistoryRetentionDays).toBe(7);
    await checkScreen('environment-upgraded');
  });

  it('markup a user typed (an ingress host) is shown as text on every screen it appears', async () => {
    // In an environment without an agent: the cluster is stored, never applied anywhere.
    const post = (path: string, body: unknown) =>
      undiciFetch(`${cp.url}${path}`, {
        method: 'POST',
        dispatcher: trusted,
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/api/v1/regions', { name: 'markup', namespace: 'markup', agentVersion: '0.1.0', operatorVersion: '0.1.0' })).status).toBe(201);
    expect(
      (
        await post('/api/v1/regions/markup/clusters', {
          name: 'markup',
          spec: { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' }, ingress: { enabled: true, host: XSS } },
        })
      ).status,
    ).toBe(201);
    await page.goto(`${cp.url}/environments/markup/clusters/markup`);
    await page.getByRole('definition').getByText(`ClusterIP, ingress ${XSS}`, { exact: true }).waitFor();
    expect(await page.getByRole('form', { name: 'Expose' }).getByLabel('Ingress host').inputValue()).toBe(XSS);
    expect(await page.locator('img').count()).toBe(0);
    await checkScreen('cluster-markup-as-text');

    // Its environment goes, after its name is typed.
    await page.goto(`${cp.url}/environments/markup`);
    await page.getByRole('button', { name: 'Delete environment…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete environment markup?' });
    await dialog.getByLabel('Name of the environment').fill('markup');
    await dialog.getByRole('button', { name: 'Delete environment' }).click();
    await heading('Hybrid Cloud environments').waitFor();
    await page.getByRole('link', { name: 'markup', exact: true }).waitFor({ state: 'detached' });
    await expect(cp.store.region('markup')).rejects.toThrow('region markup does not exist');
  });

  it('a state-changing request with the session cookie but without the CSRF token is refused', async () => {
    const refused = await page.evaluate(async (namespace) => {
      const res = await fetch('/api/v1/regions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'forged', namespace, agentVersion: '0.1.0', operatorVersion: '0.1.0' }),
      });
      return { status: res.status, body: (await res.json()) as unknown };
    }, sandbox.namespace);
    expect(refused).toEqual({
      status: 403,
      body: {
        error: 'CsrfRejected',
        message: "refused with the session cookie: send the session's CSRF token (GET /api/v1/session) in the x-csrf-token header",
      },
    });
    await expect(cp.store.region('forged')).rejects.toThrow('region forged does not exist');
  });

  it('signs out: the session ends on the server', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in to qhc').waitFor();
    expect(await page.evaluate(async () => (await fetch('/api/v1/regions')).status)).toBe(401);
  });

  it('no dialog opened, no CSP violation, no script error, on any screen', () => {
    expect(checkedScreens.length).toBeGreaterThanOrEqual(12);
    expect(dialogs).toEqual([]);
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
