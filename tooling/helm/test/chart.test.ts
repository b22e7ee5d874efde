// The chart renders exactly what the control plane's installation command applies, for the
// same inputs; its generated parts are current; `helm lint` passes; bad values are refused
// with the field named, before anything reaches a cluster.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLoopbackTls } from '@qhc/kube-sandbox';
import {
  buildInstallation,
  chartValues,
  installationHash,
  INSTALLATION_HASH_ANNOTATION,
  CA_CHECKSUM_ANNOTATION,
  normalize,
  OPERATOR_SETTINGS_CONFIGMAP,
  OPERATOR_SETTINGS_KEY,
  type InstallationCredentials,
  type KubeObject,
} from '@qhc/manifests';
import { parseOperatorSettings, parseRegion, type RegionInput } from '@qhc/schemas';
import { CHART_DIR, generatedChartFiles, helm } from '../src/index.ts';

const work = mkdtempSync(join(tmpdir(), 'qhc-chart-'));
let ca = '';

beforeAll(async () => {
  ca = (await createLoopbackTls(join(work, 'tls'), 'qhc-chart-test')).ca;
});

/** The chart's values for a region and credentials: the region without its namespace. */
function valuesFor(region: RegionInput, credentials: InstallationCredentials): Record<string, unknown> {
  const { namespace: _namespace, ...rest } = region;
  // As renderHelmInstall writes it (chartValues): the fingerprint the agent compares.
  const hash = installationHash(parseRegion(JSON.stringify(region)), credentials.registry);
  return { region: rest, credentials, namespace: { create: true }, installationHash: hash };
}

async function render(values: Record<string, unknown>, namespace: string, extra: string[] = []): Promise<KubeObject[]> {
  const file = join(work, `values-${Math.random().toString(36).slice(2)}.yaml`);
  // YAML 1.1, as Helm reads it (the way renderHelmInstall writes values).
  writeFileSync(file, stringify(values, { version: '1.1' }));
  const out = await helm(['template', 'qhc', CHART_DIR, '--namespace', namespace, '--include-crds', '-f', file, ...extra]);
  return parseAllDocuments(out)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

function relabel(labels: Record<string, string> | undefined, managedBy: string | undefined): void {
  if (labels?.['app.kubernetes.io/managed-by'] === 'qhc-installer' && managedBy) labels['app.kubernetes.io/managed-by'] = managedBy;
}

const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/**
 * Both sides in one form: sorted by kind/namespace/name, keys normalised, the operator settings
 * compared as the operator reads them (defaults filled), and Helm named as the manager.
 */
function comparable(objects: KubeObject[], managedBy?: string): unknown[] {
  return objects
    .map((o) => {
      const copy = structuredClone(o) as KubeObject & { data?: Record<string, string> };
      relabel(copy.metadata.labels, managedBy);
      const template = (copy as { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } }).spec?.template;
      relabel(template?.metadata?.labels, managedBy);
      if (copy.kind === 'ConfigMap' && copy.metadata.name === OPERATOR_SETTINGS_CONFIGMAP && copy.data) {
        copy.data = { [OPERATOR_SETTINGS_KEY]: JSON.stringify(parseOperatorSettings(copy.data[OPERATOR_SETTINGS_KEY]!)) };
      }
      return normalize(copy);
    })
    .toSorted((a, b) => key(a).localeCompare(key(b)));
}

async function expectSameAsInstallation(region: RegionInput, credentials: InstallationCredentials): Promise<KubeObject[]> {
  const rendered = await render(valuesFor(region, credentials), region.namespace);
  const built = buildInstallation(parseRegion(JSON.stringify(region)), credentials);
  expect(rendered.map(key).toSorted()).toEqual(built.map(key).toSorted());
  expect(comparable(rendered)).toEqual(comparable(built, 'Helm'));
  return rendered;
}

describe('the chart against buildInstallation', () => {
  it('matches for a minimal region (every default)', async () => {
    const rendered = await expectSameAsInstallation(
      { name: 'edge-1', namespace: 'qhc-edge', agentVersion: '0.1.0', operatorVersion: '0.1.0' },
      { controlPlaneUrl: 'https://qhc.example.com', bootstrapToken: 'qhc_b_bootstrap-one' },
    );
    // Not vacuous: the comparison saw the whole installation.
    expect(
      rendered
        .filter((o) => o.kind === 'Deployment')
        .map((o) => o.metadata.name)
        .toSorted(),
    ).toEqual(['qhc-agent', 'qhc-cluster-manager', 'qhc-operator']);
    expect(rendered.filter((o) => o.kind === 'CustomResourceDefinition')).toHaveLength(7);
  });

  it('matches with every advanced option: registry and its credentials, proxy, CA, log levels, settings', async () => {
    await expectSameAsInstallation(
      {
        name: 'onprem-2',
        namespace: 'qhc-onprem',
        agentVersion: '1.2.3',
        operatorVersion: 'v1.3.0-rc.1',
        operatorSettings: {
          settings: {
            backupTimeout: 3600,
            clusterManager: {
              image: { repository: 'example/cluster-manager', tag: '9.9.9' },
              node_selector: { 'node-role.kubernetes.io/infra': '' },
              tolerations: [{ key: 'infra', operator: 'Exists', effect: 'NoSchedule' }],
            },
            qdrant: { log_level: 'DEBUG' },
          },
        },
        advanced: {
          containerRegistryUrl: 'https://registry.internal:5000/mirror/qdrant//',
          chartRepositoryUrl: 'oci://registry.internal:5000/mirror/charts',
          proxy: { httpProxy: 'http://proxy.internal:3128', httpsProxy: 'https://proxy.internal:8443', noProxy: ['.internal', '10.1.0.0/16', '.svc'] },
          caCertificate: ca,
          logLevel: { operator: 'DEBUG', agent: 'WARN' },
          nodeSelector: { 'node-role.kubernetes.io/infra': 'true' },
          tolerations: [{ key: 'infra', operator: 'Equal', value: 'yes', effect: 'NoExecute', tolerationSeconds: 30 }],
        },
      },
      { controlPlaneUrl: 'https://qhc.example.com:8443/base/', bootstrapToken: 'qhc_b_bootstrap-two', registry: { username: 'puller', password: 's3cr:et' } },
    );
  });
});

describe('the chart against buildInstallation: edge values and stamps', () => {
  it('matches with a numeric namespace, empty registry password and v-prefixed versions', async () => {
    await expectSameAsInstallation(
      { name: 'n', namespace: '123', agentVersion: 'v0.2.0', operatorVersion: 'v0.3.0' },
      { controlPlaneUrl: 'https://qhc.example.com', bootstrapToken: 'qhc_b_five', registry: { username: 'token-only', password: '' } },
    );
  });

  it('matches with a proxy on port 80 and an empty proxy block', async () => {
    await expectSameAsInstallation(
      { name: 'p80', namespace: 'qhc-p80', agentVersion: '0.1.0', operatorVersion: '0.1.0', advanced: { proxy: { httpsProxy: 'http://proxy.internal' } } },
      { controlPlaneUrl: 'https://qhc.example.com', bootstrapToken: 'qhc_b_three' },
    );
    await expectSameAsInstallation(
      { name: 'p0', namespace: 'qhc-p0', agentVersion: '0.1.0', operatorVersion: '0.1.0', advanced: { proxy: {} } },
      { controlPlaneUrl: 'https://qhc.example.com', bootstrapToken: 'qhc_b_four' },
    );
  });

  it('stamps the installation fingerprint of the Helm command on the settings, and the CA checksum on every pod template', async () => {
    const input: RegionInput = { name: 'stamped', namespace: 'qhc-stamped', agentVersion: '0.1.0', operatorVersion: '0.1.0', advanced: { caCertificate: ca } };
    const region = parseRegion(JSON.stringify(input));
    const credentials = { controlPlaneUrl: 'https://qhc.example.com', bootstrapToken: 'qhc_b_stamp', registry: { username: 'u', password: 'p' } };
    // The values renderHelmInstall writes, exactly.
    const values = chartValues(region, credentials);
    const rendered = await render(values, region.namespace);
    const deployments = rendered.filter((o) => o.kind === 'Deployment') as Array<
      KubeObject & { spec: { template: { metadata: { annotations?: Record<string, string> } } } }
    >;
    const settings = rendered.find((o) => o.kind === 'ConfigMap' && o.metadata.name === OPERATOR_SETTINGS_CONFIGMAP)!;
    expect(settings.metadata.annotations?.[INSTALLATION_HASH_ANNOTATION]).toBe(installationHash(region, credentials.registry));
    expect(installationHash(region, credentials.registry)).not.toBe(installationHash(region));
    for (const d of deployments) expect(d.spec.template.metadata.annotations?.[CA_CHECKSUM_ANNOTATION]).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes the versions from appVersion when unset, and leaves the Namespace to Helm by default', async () => {
    const objects = await render({ region: { name: 'r' }, credentials: { controlPlaneUrl: 'https://cp.example.com', bootstrapToken: 't' } }, 'ns', [
      '--set',
      'region.name=r',
    ]);
    const chartVersion = (readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8').match(/^appVersion: "(.+)"$/m) ?? [])[1];
    const operator = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'qhc-operator') as KubeObject & {
      spec: { template: { spec: { containers: Array<{ image: string }> } } };
    };
    expect(operator.spec.template.spec.containers[0]!.image).toBe(`ghcr.io/qhc-dev/qhc-operator:${chartVersion}`);
    expect(objects.some((o) => o.kind === 'Namespace')).toBe(false);
  });
});

async function refused(values: unknown): Promise<string> {
  const file = join(work, `bad-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, stringify(values));
  return helm(['template', 'qhc', CHART_DIR, '-n', 'ns', '-f', file]).then(
    () => expect.fail('helm accepted bad values'),
    (error: Error) => error.message,
  );
}

describe('bad values', () => {
  const good = { region: { name: 'r' }, credentials: { controlPlaneUrl: 'https://cp.example.com', bootstrapToken: 't' } };
  it('refuses a bad operator setting through values.schema.json, naming the field', async () => {
    const message = await refused({ ...good, region: { name: 'r', operatorSettings: { settings: { backupTimeout: 'soon' } } } });
    expect(message).toMatch(/backupTimeout/);
    const unknown = await refused({ ...good, region: { name: 'r', operatorSettings: { settings: { bakupTimeout: 5 } } } });
    expect(unknown).toMatch(/bakupTimeout/);
  });

  it('refuses a missing bootstrap token, an http control plane and a bad region name', async () => {
    expect(await refused({ region: { name: 'r' }, credentials: { controlPlaneUrl: 'https://cp.example.com' } })).toMatch(/bootstrapToken/);
    expect(await refused({ ...good, credentials: { controlPlaneUrl: 'http://cp.example.com', bootstrapToken: 't' } })).toMatch(/controlPlaneUrl/);
    expect(await refused({ ...good, region: { name: 'Not_A_Label' } })).toMatch(/\/region\/name/);
    expect(await refused({ ...good, region: { name: 'r', agentVersion: 'latest' } })).toMatch(/agentVersion/);
  });
});

describe('the chart itself', () => {
  it('has its generated files (CRDs, RBAC, values.schema.json) up to date', () => {
    for (const file of generatedChartFiles()) {
      expect(readFileSync(join(CHART_DIR, file.path), 'utf8'), `charts/qhc/${file.path} is stale: run pnpm --filter @qhc/helm generate`).toBe(file.content);
    }
    const crds = readdirSync(join(CHART_DIR, 'crds'));
    expect(crds.toSorted()).toEqual(
      generatedChartFiles()
        .filter((f) => f.path.startsWith('crds/'))
        .map((f) => f.path.slice(5))
        .toSorted(),
    );
  });

  it('passes helm lint --strict with each of its ci values files', async () => {
    for (const file of readdirSync(join(CHART_DIR, 'ci'))) {
      const out = await helm(['lint', '--strict', CHART_DIR, '-f', join(CHART_DIR, 'ci', file)]);
      expect(out).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    }
  });

  it('packages with the release version as chart version and appVersion', async () => {
    const { packageChart } = await import('../src/index.ts');
    const tgz = await packageChart(work, '3.4.5');
    const shown = await helm(['show', 'chart', tgz]);
    expect(shown).toMatch(/^version: 3\.4\.5$/m);
    expect(shown).toMatch(/^appVersion: 3\.4\.5$/m);
  });
});
