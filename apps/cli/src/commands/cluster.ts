import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ClusterRecordView, LABEL_CLUSTER_ID, LABEL_CUSTOMER_ID, RegionRecordView, clusterResourceName } from '@qhc/schemas';
import { answeredSpec } from '../answers.ts';
import { ControlPlane } from '../api.ts';
import { resolveContext } from '../config.ts';
import { confirmOrExit } from '../confirm.ts';
import { CliError, EXIT } from '../exit.ts';
import { print } from '../output.ts';
import { direct, fromObject, fromRecord, getObject, getRecord, kube, region, REF, showRaw, withCrdHint } from './cluster-targets.ts';
import type { QdrantClusterObject, Spec, Target } from './cluster-targets.ts';
import { waitControlPlane, waitDirect } from './cluster-wait.ts';
import { applyConfigFlags, type ConfigOptions } from './cluster-config.ts';

export type { Target } from './cluster-targets.ts';
export { waitControlPlane, waitDirect } from './cluster-wait.ts';
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
  const spec = clusterSpec(options);
  if (direct(t)) {
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
  const body = { name, spec };
  if (options.dryRun) return void (await print(body, { format: 'yaml', columns: [], name: () => name, kind: 'cluster' }));
  const api = new ControlPlane(resolveContext(t));
  const since = Date.now();
  const created = await api.record(ClusterRecordView, 'POST', `/api/v1/regions/${region(t)}/clusters`, body);
  if (options.wait) await waitControlPlane(api, t, name, { since, timeout: options.timeout });
  return showRaw(fromRecord(options.wait ? await getRecord(api, t, name) : created), t);
}

/** Just the names, for completion. */
export async function clusterNames(t: Target): Promise<string[]> {
  if (direct(t)) {
    const { client, namespace } = await kube(t);
    return (await client.list<QdrantClusterObject & { apiVersion: string; kind: string }>(REF, { namespace })).items.map((c) => c.spec.id);
  }
  const context = resolveContext(t);
  const api = new ControlPlane(context);
  const regions = t.region ? [t.region] : (await api.list('/api/v1/regions', RegionRecordView)).map((r) => r.name);
  const names: string[] = [];
  for (const r of regions) names.push(...(await api.list(`/api/v1/regions/${encodeURIComponent(r)}/clusters`, ClusterRecordView)).map((c) => c.name));
  return names;
}

export async function clusterList(options: { limit?: number }, t: Target): Promise<void> {
  if (direct(t)) {
    const { client, namespace } = await kube(t);
    const list = await withCrdHint(() => client.list<QdrantClusterObject & { apiVersion: string; kind: string }>(REF, { namespace }));
    return showRaw(list.items.slice(0, options.limit).map(fromObject), t);
  }
  const api = new ControlPlane(resolveContext(t));
  return showRaw((await api.list(`/api/v1/regions/${region(t)}/clusters`, ClusterRecordView, options.limit)).map(fromRecord), t);
}

export async function clusterGet(name: string, t: Target): Promise<void> {
  if (direct(t)) return showRaw(fromObject(await getObject(t, name)), t);
  return showRaw(fromRecord(await getRecord(new ControlPlane(resolveContext(t)), t, name)), t);
}

export async function clusterScale(name: string, options: { replicas: string } & WaitOptions, t: Target): Promise<void> {
  const size = Number(options.replicas);
  if (!Number.isInteger(size) || size < 1)
    throw new CliError(`--replicas must be a whole number of nodes, at least 1 (got ${options.replicas})`, { code: EXIT.usage });
  return clusterChange(name, { spec: (spec) => ({ ...spec, size }), what: `scaling to ${size} node(s)` }, options, t);
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
  const api = new ControlPlane(resolveContext(t));
  await getRecord(api, t, name);
  if (options.dryRun) return void process.stderr.write(`cluster ${name} would be deleted (dry run)\n`);
  await confirmOrExit(`Delete cluster ${name} in region ${t.region}?`, options);
  await api.request('DELETE', `/api/v1/regions/${region(t)}/clusters/${encodeURIComponent(name)}`);
  process.stderr.write(`cluster ${name} is being deleted in region ${t.region}\n`);
}

// ---- changes, waiting, describe ---------------------------------------------------------

export interface WaitOptions {
  wait?: boolean;
  timeout?: string;
}

export type SpecChange = (spec: Spec) => Spec;
export interface ClusterChangeInput {
  spec?: SpecChange;
  restart?: boolean;
  what: string;
}

/**
 * One change to a cluster's spec (or a restart), the same through the control plane or
 * directly; with --wait, until the cluster is Healthy again with the change applied.
 */
/** A merge patch keeps a key it does not name, so a top-level key the change removed (e.g. `clusterManager` back to the region's default) is sent as null. */
export function mergePatchOf(current: Spec, next: Spec): Spec {
  const removed = Object.keys(current).filter((k) => !(k in next) || (next as Record<string, unknown>)[k] === undefined);
  return { ...next, ...Object.fromEntries(removed.map((k) => [k, null])) } as Spec;
}

export async function clusterChange(name: string, change: ClusterChangeInput, options: WaitOptions & { dryRun?: boolean }, t: Target): Promise<void> {
  const since = Date.now();
  if (direct(t)) {
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
  const api = new ControlPlane(resolveContext(t));
  // The spec as the control plane sent it, changed only where the command changes it: unknown fields and no defaults of this qhc.
  const current = answeredSpec(await getRecord(api, t, name)) as Spec;
  if (options.dryRun)
    return void (await print(change.restart ? { restart: name } : { spec: change.spec!(current) }, {
      format: 'yaml',
      columns: [],
      name: () => name,
      kind: 'cluster',
    }));
  const changed = change.restart
    ? await api.record(ClusterRecordView, 'POST', `/api/v1/regions/${region(t)}/clusters/${encodeURIComponent(name)}/restart`)
    : await api.record(ClusterRecordView, 'PUT', `/api/v1/regions/${region(t)}/clusters/${encodeURIComponent(name)}`, { spec: change.spec!(current) });
  process.stderr.write(`cluster ${name}: ${change.what}\n`);
  if (options.wait) await waitControlPlane(api, t, name, { since, timeout: options.timeout });
  return showRaw(fromRecord(options.wait ? await getRecord(api, t, name) : changed), t);
}
