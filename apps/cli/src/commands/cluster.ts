import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { LABEL_CLUSTER_ID, LABEL_CUSTOMER_ID, clusterResourceName } from '@qhc/schemas';
import { confirmOrExit } from '../confirm.ts';
import { CliError, EXIT } from '../exit.ts';
import { print } from '../output.ts';
import { direct, fromObject, getObject, kube, REF, showRaw, withCrdHint } from './cluster-targets.ts';
import type { QdrantClusterObject, Spec, Target } from './cluster-targets.ts';
import { waitDirect } from './cluster-wait.ts';
import { applyConfigFlags, type ConfigOptions } from './cluster-config.ts';
import type { ClusterAction, ConfigurationChange } from './cluster-cloud-change.ts';
import type { ExtensionChange } from './cluster-extension.ts';

export type { Target } from './cluster-targets.ts';
export { waitDirect } from './cluster-wait.ts';
export { clusterDescribe } from './cluster-describe.ts';

// ---- verbs ----------------------------------------------------------------------------

export interface CreateOptions extends ConfigOptions {
  wait?: boolean;
  timeout?: string;
  file?: string;
  version?: string;
  size?: string;
  cpu?: string;
  memory?: string;
  storage?: string;
  package?: string;
  dryRun?: boolean;
}

function clusterSpec(options: CreateOptions): Record<string, unknown> {
  const fromFile = options.file ? ((parse(readFileSync(options.file, 'utf8')) ?? {}) as Record<string, unknown>) : {};
  const spec = ((fromFile.spec ?? fromFile) as Record<string, unknown>) ?? {};
  const resources = (spec.resources ?? {}) as Record<string, unknown>;
  return applyConfigFlags(
    {
      ...spec,
      version: options.version ?? spec.version ?? 'v1.16.2',
      size: options.size !== undefined ? Number(options.size) : (spec.size ?? 1),
      resources: {
        cpu: options.cpu ?? resources.cpu ?? '1',
        memory: options.memory ?? resources.memory ?? '1Gi',
        storage: options.storage ?? resources.storage ?? '10Gi',
      },
    },
    options,
  );
}

export async function clusterCreate(name: string, options: CreateOptions, t: Target): Promise<void> {
  if (!direct(t)) return (await import('./cluster-cloud.ts')).cloudCreate(name, options, t);
  const spec = clusterSpec(options);
  const { client, namespace } = await kube(t);
  const object = {
    ...REF,
    metadata: { name: clusterResourceName(name), namespace, labels: { [LABEL_CLUSTER_ID]: name, [LABEL_CUSTOMER_ID]: 'qhc-cli' } },
    spec: { ...spec, id: name },
  };
  if (options.dryRun) return void (await print(object, { format: 'yaml', columns: [], name: () => name, kind: 'cluster' }));
  const since = Date.now();
  const created = await withCrdHint(() => client.apply(object as never));
  if (options.wait) await waitDirect(t, name, { since, timeout: options.timeout });
  return showRaw(fromObject(options.wait ? await getObject(t, name) : (created as unknown as QdrantClusterObject)), t);
}

/** Just the names, for completion. */
export async function clusterNames(t: Target): Promise<string[]> {
  if (direct(t)) {
    const { client, namespace } = await kube(t);
    return (await client.list<QdrantClusterObject & { apiVersion: string; kind: string }>(REF, { namespace })).items.map((c) => c.spec.id);
  }
  return (await import('./cluster-cloud.ts')).cloudNames(t);
}

export async function clusterList(options: { limit?: number }, t: Target): Promise<void> {
  if (direct(t)) {
    const { client, namespace } = await kube(t);
    const list = await withCrdHint(() => client.list<QdrantClusterObject & { apiVersion: string; kind: string }>(REF, { namespace }));
    return showRaw(list.items.slice(0, options.limit).map(fromObject), t);
  }
  return (await import('./cluster-cloud.ts')).cloudList(options, t);
}

export async function clusterGet(name: string, t: Target): Promise<void> {
  if (direct(t)) return showRaw(fromObject(await getObject(t, name)), t);
  return (await import('./cluster-cloud.ts')).cloudGet(name, t);
}

export async function clusterScale(name: string, options: { replicas: string } & WaitOptions, t: Target): Promise<void> {
  const size = Number(options.replicas);
  if (!Number.isInteger(size) || size < 1)
    throw new CliError(`--replicas must be a whole number of nodes, at least 1 (got ${options.replicas})`, { code: EXIT.usage });
  return clusterChange(
    name,
    { spec: (spec) => ({ ...spec, size }), configuration: (c) => ({ ...c, numberOfNodes: size }), what: `scaling to ${size} node(s)` },
    options,
    t,
  );
}

export async function clusterDelete(name: string, options: { yes?: boolean; dryRun?: boolean }, t: Target): Promise<void> {
  if (direct(t)) {
    const current = await getObject(t, name);
    if (options.dryRun) return void process.stderr.write(`cluster ${name} would be deleted (dry run)\n`);
    await confirmOrExit(`Delete cluster ${name} in namespace ${current.metadata.namespace}?`, options);
    const { client } = await kube(t);
    await client.delete({ ...REF, namespace: current.metadata.namespace, name: current.metadata.name! });
    return void process.stderr.write(`cluster ${name} deleted\n`);
  }
  return (await import('./cluster-cloud.ts')).cloudDelete(name, options, t);
}

// ---- changes, waiting, describe ---------------------------------------------------------

export interface WaitOptions {
  wait?: boolean;
  timeout?: string;
}

export type SpecChange = (spec: Spec) => Spec;
export interface ClusterChangeInput {
  /** The change on a QdrantCluster's spec (--kubeconfig). */
  spec?: SpecChange;
  /** The same change on the Cloud API's ClusterConfiguration (--region); none when the API has no field for it. */
  configuration?: ConfigurationChange;
  /** Through the Cloud API, an action instead of a configuration change. */
  action?: ClusterAction;
  /** Through qhc's own ClusterExtensionService: what the Cloud API's Cluster has no field for. */
  extension?: ExtensionChange;
  restart?: boolean;
  what: string;
  command?: string;
}

/** A merge patch keeps a key it does not name, so a top-level key the change removed (e.g. `clusterManager` back to the region's default) is sent as null. */
export function mergePatchOf(current: Spec, next: Spec): Spec {
  const removed = Object.keys(current).filter((k) => !(k in next) || (next as Record<string, unknown>)[k] === undefined);
  return { ...next, ...Object.fromEntries(removed.map((k) => [k, null])) } as Spec;
}

/**
 * One change to a cluster's spec (or a restart), through the control plane or directly; with
 * --wait, until the cluster is Healthy again with the change applied.
 */
export async function clusterChange(name: string, change: ClusterChangeInput, options: WaitOptions & { dryRun?: boolean }, t: Target): Promise<void> {
  if (!direct(t)) return (await import('./cluster-cloud-change.ts')).cloudChange(name, change, options, t);
  const since = Date.now();
  const current = await getObject(t, name);
  const { client } = await kube(t);
  const ref = { ...REF, namespace: current.metadata.namespace, name: current.metadata.name! };
  const patch = change.restart
    ? { metadata: { annotations: { restartedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } } }
    : { spec: mergePatchOf(current.spec as unknown as Spec, change.spec!(structuredClone(current.spec) as unknown as Spec)) };
  if (options.dryRun) return void (await print(patch, { format: 'yaml', columns: [], name: () => name, kind: 'cluster' }));
  // A merge patch of the whole spec: lists (pauses) are replaced as a whole, which is what a change means.
  const changed = (await client.patch(ref, patch)) as unknown as QdrantClusterObject;
  process.stderr.write(`cluster ${name}: ${change.what}\n`);
  if (options.wait) await waitDirect(t, name, { restart: change.restart, since, timeout: options.timeout });
  return showRaw(fromObject(options.wait ? await getObject(t, name) : changed), t);
}
