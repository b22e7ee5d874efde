import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type * as Undici from 'undici';
import type { KubeTransport } from '@qhc/kube';
import type { PreflightFacts } from '@qhc/manifests';
import type { Region } from '@qhc/schemas';
import type { hybridV1 } from '@qhc/cloud-api';
import { CliError, EXIT } from '../exit.ts';
import { checkFormat, print } from '../output.ts';
import type { Global } from './region.ts';

export interface PreflightOptions {
  kubeconfig?: string;
  kubeContext?: string;
  controlPlaneUrl?: string;
  file?: string;
}

/**
 * `qhc region preflight [name]`: the installation script's preflight checks (the same list,
 * the same words, from @qhc/manifests) against a kubeconfig. The region comes from the
 * control plane (by name), a file (-f) or the defaults; exit 1 when a check failed.
 */
export async function regionPreflight(name: string | undefined, options: PreflightOptions, g: Global): Promise<void> {
  const [{ evaluatePreflight, formatPreflightLine, preflightTargets, PREFLIGHT_STOP_MESSAGE }, { parseRegion }] = await Promise.all([
    import('@qhc/manifests'),
    import('@qhc/schemas'),
  ]);
  const { region, controlPlaneUrl, classes } = await regionAndUrl(name, options, g, parseRegion);
  const facts = await gatherFacts(region, controlPlaneUrl, options);
  const results = evaluatePreflight(facts, { ...preflightTargets(region, controlPlaneUrl), ...classes });
  const format = checkFormat(g.output);
  if (format === 'table' || format === 'wide') process.stdout.write(results.map((r) => `${formatPreflightLine(r)}\n`).join(''));
  else await print(results, { format, noHeaders: g.noHeaders, name: (r) => r.id, kind: 'check', columns: [] });
  if (results.some((r) => r.status === 'fail'))
    throw new CliError(PREFLIGHT_STOP_MESSAGE.replace('nothing was applied', 'the installation would stop before applying anything'), { code: EXIT.error });
}

async function regionAndUrl(
  name: string | undefined,
  options: PreflightOptions,
  g: Global,
  parseRegion: (text: string, o?: { source?: string }) => Region,
): Promise<{ region: Region; controlPlaneUrl: string; classes?: { storageClass: string; snapshotClass: string } }> {
  if (name) {
    const { cloudApi } = await import('./region.ts');
    const { environmentOf } = await import('./resolve.ts');
    const api = cloudApi(g);
    const environment = await environmentOf(api, name);
    return { ...regionOfEnvironment(environment, parseRegion), controlPlaneUrl: options.controlPlaneUrl ?? api.url };
  }
  if (!options.controlPlaneUrl)
    throw new CliError('which control plane? name a region of the current context, or pass --control-plane-url', {
      code: EXIT.usage,
      hint: 'qhc region preflight <region> --kubeconfig <file>',
    });
  const text = options.file
    ? readFileSync(options.file, 'utf8')
    : JSON.stringify({ name: 'preflight', namespace: 'qhc', agentVersion: '0.0.0', operatorVersion: '0.0.0' });
  return { region: parseRegion(text, { source: options.file }), controlPlaneUrl: options.controlPlaneUrl };
}

/** What the checks read of an environment's configuration: its namespace, proxy, CA and storage classes. */
function regionOfEnvironment(environment: hybridV1.HybridCloudEnvironment, parseRegion: (text: string) => Region) {
  const c = environment.configuration;
  const proxy =
    c?.httpProxyUrl || c?.httpsProxyUrl
      ? { proxy: { httpProxy: c.httpProxyUrl ?? c.httpsProxyUrl, httpsProxy: c.httpsProxyUrl ?? c.httpProxyUrl, noProxy: c.noProxyConfigs } }
      : {};
  const region = parseRegion(
    JSON.stringify({
      name: environment.name,
      namespace: c?.namespace || 'qhc',
      agentVersion: '0.0.0',
      operatorVersion: '0.0.0',
      advanced: { ...proxy, ...(c?.caCertificates ? { caCertificate: c.caCertificates } : {}) },
    }),
  );
  return { region, classes: { storageClass: c?.databaseStorageClass ?? '', snapshotClass: c?.volumeSnapshotStorageClass ?? '' } };
}

async function gatherFacts(region: Region, controlPlaneUrl: string, options: PreflightOptions): Promise<PreflightFacts> {
  const { createKubeClient, loadKubeConfig } = await import('@qhc/kube');
  const controlPlane = await callControlPlane(region, controlPlaneUrl);
  const transport = createKubeClient(loadKubeConfig({ kubeconfigPath: options.kubeconfig, context: options.kubeContext }), {
    fieldManager: 'qhc-cli',
  }).transport;
  let version: string;
  try {
    version = (await transport.request<{ gitVersion?: string }>('GET', '/version', { timeoutMs: 15_000 })).body.gitVersion ?? 'unknown';
  } catch (error) {
    return {
      cluster: { reached: false, error: message(error) },
      missingRights: [],
      storageClasses: { items: [] },
      snapshots: { served: false, classes: [] },
      controlPlane,
    };
  }
  return {
    cluster: { reached: true, server: transport.server, version },
    missingRights: await missingRights(transport),
    storageClasses: await storageClasses(transport),
    snapshots: await snapshotClasses(transport),
    controlPlane,
  };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);

/** A SelfSubjectAccessReview per right the installation needs, as `kubectl auth can-i` makes. */
async function missingRights(transport: KubeTransport): Promise<string[]> {
  const { INSTALL_CLUSTER_RIGHTS } = await import('@qhc/manifests');
  const missing: string[] = [];
  for (const { verb, resource } of INSTALL_CLUSTER_RIGHTS) {
    const dot = resource.indexOf('.');
    const attributes = dot < 0 ? { verb, resource } : { verb, resource: resource.slice(0, dot), group: resource.slice(dot + 1) };
    const review = { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attributes } };
    const allowed = await transport
      .request<{ status?: { allowed?: boolean } }>('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { body: review })
      .then(
        (r) => r.body.status?.allowed === true,
        () => false,
      );
    if (!allowed) missing.push(`${verb} ${resource}`);
  }
  return missing;
}

type Annotated = { metadata: { name: string; annotations?: Record<string, string> } };

async function storageClasses(transport: KubeTransport): Promise<PreflightFacts['storageClasses']> {
  try {
    const list = await transport.request<{ items: Array<Annotated & { allowVolumeExpansion?: boolean }> }>('GET', '/apis/storage.k8s.io/v1/storageclasses');
    const { isDefaultStorageClass } = await import('@qhc/manifests');
    return {
      items: list.body.items.map((c) => ({
        name: c.metadata.name,
        default: isDefaultStorageClass(c.metadata.annotations),
        allowVolumeExpansion: c.allowVolumeExpansion === true,
      })),
    };
  } catch (error) {
    return { error: message(error) };
  }
}

async function snapshotClasses(transport: KubeTransport): Promise<PreflightFacts['snapshots']> {
  const { SNAPSHOT_API_GROUP, SNAPSHOT_API_RESOURCES, isDefaultSnapshotClass } = await import('@qhc/manifests');
  try {
    const { status, response } = await transport.raw('GET', `/apis/${SNAPSHOT_API_GROUP}/v1`);
    if (status === 404) return { served: false, classes: [] };
    const served = ((await response.json()) as { resources?: Array<{ name: string }> }).resources?.map((r) => r.name) ?? [];
    if (!SNAPSHOT_API_RESOURCES.every((r) => served.includes(r))) return { served: false, classes: [] };
    const list = await transport.request<{ items: Annotated[] }>('GET', `/apis/${SNAPSHOT_API_GROUP}/v1/volumesnapshotclasses`);
    return { served: true, classes: list.body.items.map((c) => ({ name: c.metadata.name, default: isDefaultSnapshotClass(c.metadata.annotations) })) };
  } catch (error) {
    return { error: message(error) };
  }
}

/** GET /healthz through the region's proxy, trusting its CA on top of the system's: what the agent's client does. */
async function callControlPlane(region: Region, controlPlaneUrl: string): Promise<PreflightFacts['controlPlane']> {
  const { controlPlaneHealthUrl } = await import('@qhc/manifests');
  const loaded = (await import('undici')) as typeof Undici & { default?: typeof Undici };
  const { EnvHttpProxyAgent, fetch } = loaded.default ?? loaded;
  const { proxy, caCertificate } = region.advanced;
  const ca = caCertificate ? [...rootCertificates, caCertificate] : undefined;
  const dispatcher = new EnvHttpProxyAgent({
    ...(proxy ? { httpProxy: proxy.httpProxy, httpsProxy: proxy.httpsProxy ?? proxy.httpProxy, noProxy: proxy.noProxy.join(',') } : {}),
    connect: ca ? { ca } : {},
    ...(ca ? { proxyTls: { ca }, requestTls: { ca } } : {}),
  } as ConstructorParameters<typeof EnvHttpProxyAgent>[0]);
  try {
    const res = await fetch(controlPlaneHealthUrl(controlPlaneUrl), { dispatcher, signal: AbortSignal.timeout(15_000) });
    await res.text();
    return res.ok ? { answered: true } : { answered: false, error: `HTTP ${res.status}` };
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    return { answered: false, error: (cause?.message ?? message(error)).slice(0, 300) };
  } finally {
    await dispatcher.close();
  }
}
