// A release's round trip through registries, as a platform engineer on a closed network
// lives it: `pnpm release` pushes the images and the chart to the public registry (here a
// loopback one), `qhc mirror` copies them into a private registry, the public one goes away,
// and a region pointing at the mirror installs on the kube sandbox, with Helm and with the
// installation script, every image and chart reference naming the mirror.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOciRegistry, waitFor, type OciRegistry } from '@qhc/kube-sandbox';

type InstallCredentials = Parameters<typeof buildInstallation>[1];
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { startControlPlane } from '@qhc/control-plane';
import { buildInstallation, releaseArtifacts, renderHelmInstall, renderInstallScript } from '@qhc/manifests';
import { parseRegion, type Region } from '@qhc/schemas';
import { helm, helmBinary } from '@qhc/helm';
import { APPS, buildImage, pushRelease, type ImageName } from '../src/index.ts';

const exec = promisify(execFile);
const sandbox = useSandboxNamespace('mirror');
// Its own version: the images test builds the same apps at theirs, possibly at the same time.
const VERSION = '0.0.0-mirror.1';
const QHC = join(dirname(createRequire(import.meta.url).resolve('@qhc/cli/package.json')), 'dist/qhc.js');
const work = mkdtempSync(join(tmpdir(), 'qhc-mirror-'));
const helmHome = join(work, 'helm');
const REPO = join(dirname(fileURLToPath(import.meta.url)), '../../..');
let upstream: OciRegistry | undefined;
let mirror: OciRegistry;
let client: KubeClient;
let scriptNamespace = '';
const timings: Record<string, number> = {};

async function timed<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    timings[name] = Math.round((performance.now() - started) / 100) / 10;
  }
}

/** Every `image` anywhere in the objects. */
function imagesIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) imagesIn(v, found);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'image' && typeof v === 'string') found.push(v);
      else imagesIn(v, found);
    }
  }
  return found;
}

const manifestDigest = async (host: string, repo: string, tag: string) => {
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.index.v1+json',
    },
  });
  return res.status === 200 ? res.headers.get('docker-content-digest') : undefined;
};

beforeAll(async () => {
  const localImages: Partial<Record<ImageName, string>> = {};
  await timed('build', async () => {
    for (const app of Object.keys(APPS) as ImageName[]) localImages[app] = (await buildImage(app, { version: VERSION })).reference;
  });
  [upstream, mirror] = await Promise.all([startOciRegistry(), startOciRegistry()]);
  // What `pnpm images --push` does in `pnpm release`.
  await timed('push', () =>
    pushRelease({ version: VERSION, registry: `${upstream!.host}/qdrant`, charts: `${upstream!.host}/qdrant-charts`, localImages, plainHttp: true }),
  );
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-mirror-test' });
}, 600_000);

afterAll(async () => {
  const env = { ...process.env, KUBECONFIG: sandbox.kubeconfigPath };
  await helm(['uninstall', 'qhc', '--namespace', sandbox.namespace, '--wait'], { env, home: helmHome }).catch(() => undefined);
  if (scriptNamespace) {
    await exec('kubectl', ['delete', 'namespace', scriptNamespace, '--wait=false'], { env }).catch(() => undefined);
    await exec(
      'kubectl',
      ['delete', 'clusterrole,clusterrolebinding', `qhc-operator-${scriptNamespace}`, `qhc-agent-${scriptNamespace}`, '--ignore-not-found'],
      { env },
    ).catch(() => undefined);
  }
  await Promise.all([upstream?.stop(), mirror?.stop()]);
  console.log(JSON.stringify({ releaseRoundTripSeconds: timings }));
});

describe('a release through a private registry', () => {
  it("a default region's installation names images the release pushed (the release's registry is the default)", async () => {
    // What `pnpm release` does before building: write its registry into the build (in a copy here).
    const root = mkdtempSync(join(tmpdir(), 'qhc-release-root-'));
    const registryFile = 'packages/schemas/src/settings/release-registry.ts';
    for (const file of [registryFile, 'charts/qhc/values.yaml']) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      copyFileSync(join(REPO, file), join(root, file));
    }
    await exec(process.execPath, [join(REPO, 'scripts/release-registry.mjs'), `${upstream!.host}/qdrant`, `${upstream!.host}/qdrant-charts`, '1'], {
      env: { ...process.env, QHC_ROOT: root },
    });
    const written = readFileSync(join(root, registryFile), 'utf8');
    const containerRegistryUrl = /RELEASE_CONTAINER_REGISTRY_URL = '([^']+)'/.exec(written)![1]!;
    const chartRepositoryUrl = /RELEASE_CHART_REPOSITORY_URL = '([^']+)'/.exec(written)![1]!;
    expect([containerRegistryUrl, chartRepositoryUrl]).toEqual([`http://${upstream!.host}/qdrant/`, `oci://${upstream!.host}/qdrant-charts`]);
    expect(readFileSync(join(root, 'charts/qhc/values.yaml'), 'utf8')).toContain(`    containerRegistryUrl: ${containerRegistryUrl}\n`);

    // A control plane of that release (its default, given at run time as an operator would) and an
    // environment that names no registry: every image of its installation command was pushed.
    const cp = await startControlPlane({
      database: ':memory:',
      port: 0,
      managementKey: 'qhc_m_release-default-management-key',
      logger: createLogger({ level: 'error' }),
      publicUrl: 'https://qhc.example.com',
      console: false,
      defaultRegistry: { containerRegistryUrl, chartRepositoryUrl },
    });
    try {
      const call = async (method: string, path: string, body: unknown) =>
        (
          await fetch(`${cp.url}${path}`, {
            method,
            headers: { authorization: 'apikey qhc_m_release-default-management-key', 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
        ).json() as Promise<{ hybridCloudEnvironment: { id: string }; accessKey: string }>;
      const environments = `/api/hybrid/v1/accounts/${cp.accountId}/hybrid-cloud-environments`;
      const created = await call('POST', environments, { hybridCloudEnvironment: { name: 'defaults', configuration: { namespace: 'qhc-defaults' } } });
      const id = created.hybridCloudEnvironment.id;
      // The release's own agent and operator (this in-process control plane is the workspace's version).
      await call('PUT', `/api/qhc/v1/accounts/${cp.accountId}/hybrid-cloud-environments/${id}/versions`, { agentVersion: VERSION, operatorVersion: VERSION });
      expect((await cp.store.regionById(id)).spec).toMatchObject({ agentVersion: VERSION, advanced: { containerRegistryUrl, chartRepositoryUrl } });
      const install = { bootstrapToken: (await call('POST', `${environments}/${id}/bootstrap-commands`, {})).accessKey };
      const script = await (await fetch(`${cp.url}/install/${install.bootstrapToken}`)).text();
      const images = [...script.matchAll(/^\s+image: (\S+)$/gm)].map((m) => m[1]!.replace(/^['"]|['"]$/g, ''));
      expect(images).toHaveLength(3);
      for (const image of images) {
        expect(image.startsWith(`${upstream!.host}/qdrant/`), image).toBe(true);
        const [repo, tag] = image.slice(upstream!.host.length + 1).split(':');
        expect(await manifestDigest(upstream!.host, repo!, tag!), `${image} was not pushed by the release`).toBeTruthy();
      }
      const helmScript = await (await fetch(`${cp.url}/install/${install.bootstrapToken}/helm`)).text();
      const chart = /helm upgrade --install qhc oci:\/\/(\S+) --version (\S+)/.exec(helmScript)!;
      expect(await manifestDigest(upstream!.host, chart[1]!.slice(upstream!.host.length + 1), chart[2]!), `${chart[1]} was not pushed`).toBeTruthy();
    } finally {
      await cp.stop();
    }
  });
});

describe('a release through a private registry: qhc mirror', () => {
  it('qhc mirror copies every image and the chart, and a region on the mirror installs from it alone', async () => {
    await expectReleaseMirrored();
    // 2. The public registry is gone: from here on only the mirror can serve anything.
    await upstream!.stop();
    upstream = undefined;
    const { region, credentials, helmScript } = await expectRegionOnMirror();
    const env = await expectHelmInstallFromMirror(helmScript);
    await expectScriptInstallFromMirror(region, credentials, env);
  });
});

/** 1. The mirror copies what the release published, digest for digest. */
async function expectReleaseMirrored(): Promise<void> {
  const run = await timed('mirror', () =>
    exec(
      process.execPath,
      [
        QHC,
        'mirror',
        '--from',
        `${upstream!.host}/qdrant`,
        '--charts-from',
        `${upstream!.host}/qdrant-charts`,
        '--to',
        `${mirror.host}/corp/qhc`,
        '--release',
        VERSION,
        '--plain-http',
        '--source-plain-http',
        '-o',
        'json',
      ],
      { env: { ...process.env, HOME: work } },
    ),
  );
  const rows = (JSON.parse(run.stdout) as { items: Array<{ kind: string; target: string; result: string; digest: string }> }).items;
  expect(rows).toHaveLength(releaseArtifacts(VERSION).length);
  for (const artifact of releaseArtifacts(VERSION)) {
    const repo = artifact.kind === 'chart' ? `corp/qhc/charts/${artifact.name}` : `corp/qhc/${artifact.name}`;
    const sourceRepo = artifact.kind === 'chart' ? `qdrant-charts/${artifact.name}` : `qdrant/${artifact.name}`;
    const digest = await manifestDigest(mirror.host, repo, artifact.tag);
    expect(digest, `${repo}:${artifact.tag} in the mirror`).toBeTruthy();
    expect(digest).toBe(await manifestDigest(upstream!.host, sourceRepo, artifact.tag));
  }
  // A third-party tool reads the mirrored image's labels.
  const inspected = JSON.parse(
    (await exec('skopeo', ['inspect', '--tls-verify=false', `docker://${mirror.host}/corp/qhc/qhc-operator:${VERSION}`])).stdout,
  ) as { Labels: Record<string, string> };
  expect(inspected.Labels['org.opencontainers.image.title']).toBe('qhc-operator');
}

/** 3. A region on the mirror: every image and the chart reference it, and nothing else. */
async function expectRegionOnMirror() {
  const region = parseRegion(
    JSON.stringify({
      name: 'closed-network',
      namespace: sandbox.namespace,
      agentVersion: VERSION,
      operatorVersion: VERSION,
      advanced: { containerRegistryUrl: `http://${mirror.host}/corp/qhc/`, chartRepositoryUrl: `oci://${mirror.host}/corp/qhc/charts` },
    }),
  );
  const credentials = { controlPlaneUrl: 'https://qhc.example.com', bootstrapToken: 'qhc_b_mirror-test-token' };
  const objects = buildInstallation(region, credentials);
  const images = imagesIn(objects);
  expect(images.length).toBe(3);
  const helmScript = renderHelmInstall(region, credentials);
  const helmCommand = helmScript.split('\n').find((line) => line.startsWith('helm '))!;
  const charts = [...helmCommand.matchAll(/(oci|https?):\/\/\S+/g)].map((m) => m[0]);
  expect(charts).toEqual([`oci://${mirror.host}/corp/qhc/charts/qhc`]);
  for (const ref of [...images, ...charts.map((c) => c.replace('oci://', ''))]) {
    expect(ref.startsWith(`${mirror.host}/corp/qhc/`), `${ref} points outside the mirror`).toBe(true);
    const [repo, tag] = ref.slice(mirror.host.length + 1).split(':');
    expect(await manifestDigest(mirror.host, repo!, tag ?? VERSION), `${ref} is not in the mirror`).toBeTruthy();
  }

  return { region, credentials, helmScript };
}

/** 4. Helm installs the chart from the mirror into the sandbox; the environment it ran with. */
async function expectHelmInstallFromMirror(helmScript: string): Promise<NodeJS.ProcessEnv> {
  const bin = dirname(helmBinary());
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    KUBECONFIG: sandbox.kubeconfigPath,
    HELM_CONFIG_HOME: join(helmHome, 'config'),
    HELM_CACHE_HOME: join(helmHome, 'cache'),
    HELM_DATA_HOME: join(helmHome, 'data'),
  };
  writeFileSync(join(work, 'helm-install.sh'), helmScript);
  await timed('helmInstall', () =>
    exec('bash', [join(work, 'helm-install.sh')], { env, timeout: 300_000 }).catch((error: { stderr?: string; message: string }) => {
      throw new Error(`the Helm installation failed: ${error.stderr ?? error.message}`);
    }),
  );
  const releases = JSON.parse(await helm(['list', '--namespace', sandbox.namespace, '-o', 'json'], { env, home: helmHome })) as Array<{
    name: string;
    status: string;
    chart: string;
    app_version: string;
  }>;
  expect(releases).toMatchObject([{ name: 'qhc', status: 'deployed', chart: `qhc-${VERSION}`, app_version: VERSION }]);
  const { items: deployments } = await client.list<
    KubeObject & { spec: { template: { spec: { containers: Array<{ image: string }> } } }; status?: { readyReplicas?: number } }
  >({ apiVersion: 'apps/v1', kind: 'Deployment' }, { namespace: sandbox.namespace });
  expect(deployments.map((d) => d.metadata.name).toSorted()).toEqual(['qhc-agent', 'qhc-cluster-manager', 'qhc-operator']);
  for (const d of deployments) {
    for (const c of d.spec.template.spec.containers) expect(c.image.startsWith(`${mirror.host}/corp/qhc/`)).toBe(true);
    expect(d.status?.readyReplicas).toBe(1);
  }

  return env;
}

/** 5. The installation script (the console's command) applies the same region's objects. */
async function expectScriptInstallFromMirror(region: Region, credentials: InstallCredentials, env: NodeJS.ProcessEnv): Promise<void> {
  scriptNamespace = `${sandbox.namespace}-script`;
  const scriptRegion = parseRegion(JSON.stringify({ ...region, namespace: scriptNamespace }));
  // --skip-preflight: the credentials' control plane (qhc.example.com) does not exist; the preflight has its own tests.
  writeFileSync(join(work, 'install.sh'), renderInstallScript(scriptRegion, buildInstallation(scriptRegion, credentials)));
  await timed('scriptInstall', () =>
    exec('bash', [join(work, 'install.sh'), '--skip-preflight'], { env, timeout: 300_000 }).catch((error: { stderr?: string; message: string }) => {
      throw new Error(`the installation script failed: ${error.stderr ?? error.message}`);
    }),
  );
  await waitFor('the script-installed operator Deployment', async () => {
    const d = await client.get<KubeObject & { spec: { template: { spec: { containers: Array<{ image: string }> } } } }>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: scriptNamespace,
      name: 'qhc-operator',
    });
    return d?.spec.template.spec.containers[0]!.image === `${mirror.host}/corp/qhc/qhc-operator:${VERSION}` ? true : undefined;
  });
}
