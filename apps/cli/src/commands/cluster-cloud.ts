// `qhc cluster …` through the control plane's Cloud API (ClusterService): clusters of a region
// (= hybrid cloud environment), named by name or id, their configuration in the API's shape.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { clusterV1, type hybridV1 } from '@qhc/cloud-api';
import { CloudApi, messageOf, viewOf, type Json } from '../cloud.ts';
import { resolveContext } from '../config.ts';
import { confirmOrExit } from '../confirm.ts';
import { CliError, EXIT } from '../exit.ts';
import { print } from '../output.ts';
import { parseDuration, waitUntil } from '../progress.ts';
import { applyConfigFlagsToConfiguration } from './cluster-config-cloud.ts';
import type { ConfigOptions } from './cluster-config.ts';
import { additionalDisk, choosePackage, packagesOf } from './cluster-packages.ts';
import { showRaw, type Row, type Target } from './cluster-targets.ts';
import { clusterOf, clustersIn, environmentOf, HYBRID } from './resolve.ts';

const CLUSTER = clusterV1.ClusterSchema;
const PHASE = 'CLUSTER_PHASE_';
type ClusterJson = Json & { id: string; name: string; createdAt?: string; configuration?: Json; state?: Json };

/** PascalCase of the API's phase: CLUSTER_PHASE_NOT_READY → NotReady. */
export const phaseName = (phase: unknown) =>
  typeof phase === 'string'
    ? phase
        .replace(PHASE, '')
        .toLowerCase()
        .replace(/(^|_)(\w)/g, (_m, _s, c: string) => c.toUpperCase())
    : undefined;

export const clusterRow = (c: clusterV1.Cluster): Row =>
  viewOf(CLUSTER, c, (json) => {
    const j = json as ClusterJson;
    const state = (j.state ?? {}) as { phase?: string; nodesUp?: number; version?: string };
    return {
      name: j.name,
      phase: phaseName(state.phase),
      size: (j.configuration?.numberOfNodes as number | undefined) ?? 0,
      ready: state.nodesUp,
      version: state.version || (j.configuration?.version as string | undefined),
      created: j.createdAt,
      raw: json,
    };
  });

export const cloud = (t: Target) => new CloudApi(resolveContext(t));
export async function environmentOfTarget(api: CloudApi, t: Target): Promise<hybridV1.HybridCloudEnvironment> {
  if (!t.region)
    throw new CliError('which region?', {
      code: EXIT.usage,
      hint: 'add --region <name or id> (see `qhc region list`), or --kubeconfig to work on a cluster directly',
    });
  return environmentOf(api, t.region);
}

export interface CloudCreateOptions extends ConfigOptions {
  file?: string;
  version?: string;
  size?: string;
  package?: string;
  cpu?: string;
  memory?: string;
  storage?: string;
  dryRun?: boolean;
  wait?: boolean;
  timeout?: string;
}

/** The configuration from -f (a ClusterConfiguration, or a Cluster with `configuration`, as YAML or JSON in proto JSON names) and the flags. */
async function configurationOf(api: CloudApi, environmentId: string, options: CloudCreateOptions): Promise<Json> {
  const doc = options.file ? ((parse(readFileSync(options.file, 'utf8')) ?? {}) as Json) : {};
  const fromFile = (typeof doc.configuration === 'object' && doc.configuration !== null ? doc.configuration : doc) as Json;
  const configuration: Json = { ...fromFile };
  if (options.size !== undefined || configuration.numberOfNodes === undefined) configuration.numberOfNodes = Number(options.size ?? 1);
  if (options.version) configuration.version = options.version;
  if (options.package || options.cpu || options.memory || !configuration.packageId) {
    const pkg = choosePackage(await packagesOf(api, environmentId), options);
    configuration.packageId = pkg.id;
    const disk = additionalDisk(pkg, options.storage);
    if (disk) configuration.additionalResources = { disk };
  }
  return applyConfigFlagsToConfiguration(configuration, options);
}

export async function cloudCreate(name: string, options: CloudCreateOptions, t: Target): Promise<void> {
  const api = cloud(t);
  const environment = await environmentOfTarget(api, t);
  const configuration = await configurationOf(api, environment.id, options);
  const body = { accountId: api.accountId, name, cloudProviderId: HYBRID, cloudProviderRegionId: environment.id, configuration };
  const message = messageOf(CLUSTER, body, options.file ?? 'the cluster');
  if (options.dryRun)
    return void (await print(
      viewOf(CLUSTER, message, (j) => j),
      { format: 'yaml', columns: [], name: () => name, kind: 'cluster' },
    ));
  const since = Date.now();
  const created = (await api.call('CreateCluster', () => api.clusters.createCluster({ cluster: message }))).cluster!;
  if (options.wait) return showRaw(await cloudWait(api, environment, created, { since, timeout: options.timeout }), t);
  return showRaw(clusterRow(created), t);
}

export async function cloudList(options: { limit?: number }, t: Target): Promise<void> {
  const api = cloud(t);
  const environment = await environmentOfTarget(api, t);
  return showRaw((await clustersIn(api, environment.id, options.limit)).map(clusterRow), t);
}

export async function cloudGet(ref: string, t: Target): Promise<void> {
  const api = cloud(t);
  return showRaw(clusterRow(await clusterOf(api, await environmentOfTarget(api, t), ref)), t);
}

/** Cluster names of a region (or of every region), for completion. */
export async function cloudNames(t: Target): Promise<string[]> {
  const api = cloud(t);
  const { environments } = await import('./resolve.ts');
  const ids = t.region ? [(await environmentOf(api, t.region)).id] : (await environments(api)).map((e) => e.id);
  const names: string[] = [];
  for (const id of ids) names.push(...(await clustersIn(api, id)).map((c) => c.name));
  return names;
}

export async function cloudDelete(ref: string, options: { yes?: boolean; dryRun?: boolean }, t: Target): Promise<void> {
  const api = cloud(t);
  const environment = await environmentOfTarget(api, t);
  const cluster = await clusterOf(api, environment, ref);
  if (options.dryRun) return void process.stderr.write(`cluster ${cluster.name} would be deleted (dry run)\n`);
  await confirmOrExit(`Delete cluster ${cluster.name} in region ${environment.name}?`, options);
  await api.call('DeleteCluster', () => api.clusters.deleteCluster({ accountId: api.accountId, clusterId: cluster.id }));
  process.stderr.write(`cluster ${cluster.name} is being deleted in region ${environment.name}\n`);
}

/**
 * Healthy with every node up, as reported by an agent that has applied the environment's
 * latest revision (qhc.v1 GetEnvironmentHealth) after `since`.
 */
export async function cloudWait(
  api: CloudApi,
  environment: hybridV1.HybridCloudEnvironment,
  cluster: { id: string; name: string },
  options: { since: number; timeout?: string },
): Promise<Row> {
  const clusterId = cluster.id;
  const health = () =>
    api.call('GetEnvironmentHealth', () => api.environments.getEnvironmentHealth({ accountId: api.accountId, hybridCloudEnvironmentId: environment.id }));
  const target = (await health()).health?.revision ?? 0n;
  let row: Row | undefined;
  await waitUntil(
    `cluster ${cluster.name}`,
    async () => {
      const [h, c] = await Promise.all([health(), api.call('GetCluster', () => api.clusters.getCluster({ accountId: api.accountId, clusterId }))]);
      row = clusterRow(c.cluster!);
      const seen = h.health?.lastSeenAt ? Number(h.health.lastSeenAt.seconds) * 1000 + Math.floor(h.health.lastSeenAt.nanos / 1e6) : 0;
      const fresh = (h.health?.appliedRevision ?? -1n) >= target && seen >= options.since - 1000;
      return { done: fresh && row.phase === 'Healthy' && row.ready === row.size, phase: fresh ? row.phase : 'Applying', ready: row.ready, size: row.size };
    },
    { timeoutMs: parseDuration(options.timeout ?? '10m') },
  );
  return row!;
}
