// The images, run with podman (runc, host network) against the kube sandbox: the operator's
// brings a QdrantCluster to Healthy; the cluster manager's serves its health endpoint; the agent's registers with the control plane's (HTTPS,
// private CA) and applies a cluster created through the API. Each runs as a non-root user on a
// read-only root filesystem and stops cleanly on SIGTERM within the grace period.
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoopbackTls, freePorts, type LoopbackTls, waitFor } from '@qhc/kube-sandbox';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { DEFAULT_PACKAGES, QDRANT_API_VERSION, allKinds, buildCrd, clusterResourceName } from '@qhc/schemas';
import { qdrantClusterFixture } from '@qhc/schemas/test';
import { APPS, RUN, STORAGE, UID, buildImage, podmanEnv, type BuiltImage, type ImageName } from '../src/index.ts';
import { https as httpsOf } from './support/https.ts';

const exec = promisify(execFile);
const sandbox = useSandboxNamespace('images');
const images = new Map<ImageName, BuiltImage>();
const containers: string[] = [];
let client: KubeClient;
let config: string;
let tls: LoopbackTls;

const podman = async (...args: string[]) => (await exec('podman', args, { env: podmanEnv(), maxBuffer: 16 * 1024 * 1024 })).stdout.trim();
async function runContainer(image: ImageName, args: string[], extra: string[] = []): Promise<string> {
  const id = await podman(
    ...RUN,
    'run',
    '-d',
    '--network',
    'host',
    '--read-only',
    '--tmpfs',
    '/tmp',
    '--log-driver',
    'k8s-file',
    '-v',
    `${config}:/config:ro`,
    ...extra,
    images.get(image)!.reference,
    ...args,
  );
  containers.push(id);
  return id;
}
/** The container's output; podman replays the app's stderr (its JSON logs) on its own stderr. */
const logs = async (id: string) => {
  const { stdout, stderr } = await exec('podman', [...STORAGE, 'logs', id], { env: podmanEnv(), maxBuffer: 16 * 1024 * 1024 });
  return stdout + stderr;
};
/** SIGTERM, then how long the container took to exit and with what code. */
async function stop(id: string): Promise<{ seconds: number; exitCode: number }> {
  const started = performance.now();
  await podman(...RUN, 'stop', '-t', '10', id);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, exitCode: Number(await podman(...STORAGE, 'inspect', id, '--format', '{{.State.ExitCode}}')) };
}
/** The one client of the control-plane image: its private CA, the management key when given. */
const https = (method: string, url: string, key?: string, body?: unknown) => httpsOf(tls.ca, method, url, key, body, 10_000);

/** A page of the console, as a browser gets it. */
const page = (url: string) => https('GET', url);

beforeAll(async () => {
  for (const name of Object.keys(APPS) as ImageName[]) images.set(name, await buildImage(name));
  console.log(
    JSON.stringify(
      [...images.values()].map((i) => ({ image: i.reference, sizeMiB: Math.round((i.sizeBytes / 1_048_576) * 10) / 10, buildSeconds: i.buildSeconds })),
    ),
  );
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-images-test' });
  for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
  // What the containers read, readable by their non-root user.
  config = mkdtempSync(join(tmpdir(), 'qhc-image-config-'));
  tls = await createLoopbackTls(join(config, 'tls'), 'qhc-control-plane');
  copyFileSync(sandbox.kubeconfigPath, join(config, 'kubeconfig'));
  writeFileSync(join(config, 'settings.yaml'), 'settings:\n  app_environment: local\n');
  for (const file of ['kubeconfig', 'settings.yaml', 'tls/ca.crt', 'tls/server.crt', 'tls/server.key']) chmodSync(join(config, file), 0o644);
  for (const dir of ['', 'tls']) chmodSync(join(config, dir), 0o755);
}, 900_000);

afterAll(async () => {
  for (const id of containers) await podman(...RUN, 'rm', '-f', id).catch(() => undefined);
});

describe('the images', () => {
  it('are small, labelled, and run as a non-root user', async () => {
    for (const image of images.values()) {
      expect(image.sizeBytes).toBeLessThan(160 * 1_048_576);
      const inspected = JSON.parse(await podman(...STORAGE, 'image', 'inspect', image.reference)) as Array<{
        Config: { User: string; Labels: Record<string, string>; Entrypoint: string[] };
      }>;
      expect(inspected[0]!.Config.User).toBe(`${UID}:${UID}`);
      // The operator's V8 flags (its package.json's qhc.nodeFlags): NODE_OPTIONS refuses them.
      const flags = image.name === 'qhc-operator' ? ['--optimize-for-size'] : [];
      expect(inspected[0]!.Config.Entrypoint).toEqual(['/usr/local/bin/node', ...flags, '/app/dist/app.mjs']);
      expect(Object.keys(inspected[0]!.Config.Labels)).toEqual(
        expect.arrayContaining([
          'org.opencontainers.image.version',
          'org.opencontainers.image.revision',
          'org.opencontainers.image.source',
          'org.opencontainers.image.licenses',
        ]),
      );
    }
  });

  it('the operator image brings a QdrantCluster to Healthy, then stops cleanly', async () => {
    const id = await runContainer(
      'qhc-operator',
      ['--settings', '/config/settings.yaml', '--kubeconfig', '/config/kubeconfig', '--namespace', sandbox.namespace, '--no-leader-elect', '--port', '0'],
      ['-e', 'QHC_OPERATOR_BIND=127.0.0.1'],
    );
    await client.apply(qdrantClusterFixture('img', { version: 'v1.16.2', size: 2 }, { namespace: sandbox.namespace }));
    await waitFor(
      'qdrant-img Healthy through the operator image',
      async () => {
        const c = await client.get<KubeObject & { status?: { phase?: string } }>({
          apiVersion: QDRANT_API_VERSION,
          kind: 'QdrantCluster',
          namespace: sandbox.namespace,
          name: clusterResourceName('img'),
        });
        return c?.status?.phase === 'Healthy' ? true : undefined;
      },
      { timeoutMs: 90_000, onTimeout: () => 'see the operator container log' },
    );
    expect(await podman(...STORAGE, 'exec', id, '/usr/local/bin/node', '-e', 'process.stdout.write(String(process.getuid()))')).toBe(String(UID));
    const stopped = await stop(id);
    expect(stopped.exitCode).toBe(0);
    expect(stopped.seconds).toBeLessThan(10);
    expect(await logs(id)).toContain('"msg":"operator started"');
  });

  it('the cluster manager image serves its health endpoint, then stops cleanly', async () => {
    const port = (await freePorts(1))[0]!;
    const id = await runContainer('qhc-cluster-manager', ['--settings', '/config/settings.yaml', '--host', '127.0.0.1', '--port', String(port)]);
    await waitFor(
      'the cluster manager image answering /healthz',
      async () => ((await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200 ? true : undefined),
      { timeoutMs: 30_000, onTimeout: () => 'see the cluster manager container log' },
    );
    const stopped = await stop(id);
    expect(stopped.exitCode).toBe(0);
    expect(stopped.seconds).toBeLessThan(10);
  });
});

describe('the agent and control-plane images', () => {
  it('the agent image registers with the control-plane image and applies a cluster created through the Cloud API', async () => {
    const port = (await freePorts(1))[0]!;
    const url = `https://127.0.0.1:${port}`;
    const key = 'qhc_m_images-test-management-key-0123456789';
    const cp = await runControlPlaneImage(port, url, key);
    await expectConsoleServed(url);
    const accounts = `${url}/api/hybrid/v1/accounts/${await accountIdOf(cp)}`;
    const created = await https('POST', `${accounts}/hybrid-cloud-environments`, key, {
      hybridCloudEnvironment: { name: 'img', configuration: { namespace: sandbox.namespace } },
    });
    expect(created.status, created.body).toBe(200);
    const environment = created.json.hybridCloudEnvironment as { id: string; accountId: string };
    const bootstrap = await https('POST', `${accounts}/hybrid-cloud-environments/${environment.id}/bootstrap-commands`, key, {});
    // What the bootstrap commands leave for the agent: its Secret with the bootstrap token.
    await client.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'qhc-agent-credentials', namespace: sandbox.namespace },
      stringData: { 'control-plane-url': url, 'bootstrap-token': bootstrap.json.accessKey as string },
    } as KubeObject);
    const agent = await runAgentImage(url, environment.id);
    const configuration = { numberOfNodes: 1, version: 'v1.16.2', packageId: DEFAULT_PACKAGES[0]!.id };
    const cluster = await https('POST', `${url}/api/cluster/v1/accounts/${environment.accountId}/clusters`, key, {
      cluster: { name: 'from-api', cloudProviderId: 'hybrid', cloudProviderRegionId: environment.id, configuration },
    });
    expect(cluster.status, cluster.body).toBe(200);
    const name = clusterResourceName((cluster.json.cluster as { id: string }).id);
    await waitFor(
      `${name} applied by the agent image`,
      async () => ((await client.get({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster', namespace: sandbox.namespace, name })) ? true : undefined),
      { timeoutMs: 30_000 },
    );
    for (const id of [agent, cp]) {
      const stopped = await stop(id);
      expect(stopped.exitCode).toBe(0);
      expect(stopped.seconds).toBeLessThan(10);
    }
  });
});

/** The account id the control plane prints at its first start. */
async function accountIdOf(cp: string): Promise<string> {
  const id = /^account id: ([0-9a-f-]{36})$/m.exec(await logs(cp))?.[1];
  if (!id) throw new Error('the control plane image printed no account id');
  return id;
}

async function runControlPlaneImage(port: number, url: string, managementKey: string): Promise<string> {
  const flags = ['--database', '/data/cp.db', '--host', '127.0.0.1', '--port', String(port), '--tls-cert', '/config/tls/server.crt'];
  const id = await runContainer(
    'qhc-control-plane',
    [...flags, '--tls-key', '/config/tls/server.key', '--public-url', url, '--management-key', managementKey],
    ['--tmpfs', '/data:rw,mode=1777'],
  );
  await waitFor(
    'the control plane image answering',
    async () => ((await https('GET', `${url}/healthz`).catch(() => ({ status: 0 }))).status === 200 ? true : undefined),
    { timeoutMs: 30_000 },
  );
  return id;
}

/** The web console's assets are in the image (the bundle cannot find @qhc/console next to itself). */
async function expectConsoleServed(url: string): Promise<void> {
  const consolePage = await page(`${url}/regions`);
  expect([consolePage.status, consolePage.type]).toEqual([200, 'text/html; charset=utf-8']);
  expect(consolePage.csp).toContain("script-src 'self'");
  const script = consolePage.body.match(/<script[^>]+src="([^"]+)"/)?.[1];
  expect(script, consolePage.body).toBeDefined();
  expect((await page(new URL(script!, url).toString())).status).toBe(200);
}

async function runAgentImage(url: string, region: string): Promise<string> {
  const flags = ['--control-plane-url', url, '--region', region, '--namespace', sandbox.namespace, '--kubeconfig', '/config/kubeconfig'];
  const agent = await runContainer('qhc-agent', [...flags, '--ca-file', '/config/tls/ca.crt', '--health-port', '0', '--status-interval', '1']);
  await waitFor('the agent registered', async () => ((await logs(agent)).includes('"msg":"registered with the control plane"') ? true : undefined), {
    timeoutMs: 30_000,
    onTimeout: () => 'see the agent container log',
  });
  return agent;
}
