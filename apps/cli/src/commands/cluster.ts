import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ControlPlane } from '../api.ts';
import { resolveContext } from '../config.ts';
import { confirmOrExit } from '../confirm.ts';
import { CliError, EXIT } from '../exit.ts';
import { age, checkFormat, print, type Column } from '../output.ts';
import { didYouMean } from './names.ts';
import { parseDuration, waitUntil } from '../progress.ts';
import type { Global } from './region.ts';
import { applyConfigFlags, type ConfigOptions } from './cluster-config.ts';

export interface Target extends Global {
  region?: string;
  kubeconfig?: string;
  kubeContext?: string;
  namespace?: string;
}

/** One row, whichever target: the control plane's record or the QdrantCluster itself. */
interface Row {
  name: string;
  phase?: string;
  size?: number;
  ready?: number;
  version?: string;
  created?: string;
  raw: unknown;
}

const COLUMNS: Column<Row>[] = [
  { header: 'name', value: (c) => c.name },
  { header: 'phase', value: (c) => c.phase ?? 'Pending' },
  { header: 'nodes', value: (c) => `${c.ready ?? 0}/${c.size ?? '?'}` },
  { header: 'version', value: (c) => c.version },
  { header: 'age', value: (c) => age(c.created) },
];

const show = (rows: Row | Row[], t: Target) =>
  print(Array.isArray(rows) ? rows : rows, {
    format: checkFormat(t.output),
    noHeaders: t.noHeaders,
    columns: COLUMNS,
    name: (c) => c.name,
    kind: 'cluster',
  }).then(() => undefined);
const showRaw = (rows: Row[] | Row, t: Target) => {
  const format = checkFormat(t.output);
  // Scripts get the API objects themselves.
  if (format === 'json' || format === 'yaml')
    return print(Array.isArray(rows) ? rows.map((r) => r.raw) : rows.raw, { format, columns: [], name: () => '', kind: 'cluster' });
  return show(rows, t);
};

const direct = (t: Target) => Boolean(t.kubeconfig || t.kubeContext);

// ---- control-plane mode ---------------------------------------------------------------

interface ClusterRecord {
  name: string;
  spec: { size: number; version: string };
  status?: { phase?: string; nodesReady?: number; version?: string };
  createdAt: string;
}
const fromRecord = (c: ClusterRecord): Row => ({
  name: c.name,
  phase: c.status?.phase,
  size: c.spec.size,
  ready: c.status?.nodesReady,
  version: c.status?.version ?? c.spec.version,
  created: c.createdAt,
  raw: c,
});
function region(t: Target): string {
  if (!t.region)
    throw new CliError('which region?', {
      code: EXIT.usage,
      hint: 'add --region <name> (see `qhc region list`), or --kubeconfig to work on a cluster directly',
    });
  return encodeURIComponent(t.region);
}
async function getRecord(api: ControlPlane, t: Target, name: string): Promise<ClusterRecord> {
  try {
    return await api.request<ClusterRecord>('GET', `/api/v1/regions/${region(t)}/clusters/${encodeURIComponent(name)}`);
  } catch (error) {
    if (error instanceof CliError && error.code === EXIT.notFound && !error.message.startsWith('region ')) {
      const names = (await api.list<ClusterRecord>(`/api/v1/regions/${region(t)}/clusters`)).map((c) => c.name);
      throw new CliError(`cluster "${name}" does not exist in region ${t.region}`, {
        code: EXIT.notFound,
        hint: didYouMean(name, names, `qhc cluster list --region ${t.region}`),
      });
    }
    throw error;
  }
}

// ---- direct mode ----------------------------------------------------------------------

type QdrantClusterObject = {
  metadata: { name?: string; namespace?: string; creationTimestamp?: string };
  spec: { id: string; size: number; version: string };
  status?: { phase?: string; availableNodes?: number; version?: string };
};
const fromObject = (c: QdrantClusterObject): Row => ({
  name: c.spec.id,
  phase: c.status?.phase,
  size: c.spec.size,
  ready: c.status?.availableNodes,
  version: c.status?.version ?? c.spec.version,
  created: c.metadata.creationTimestamp,
  raw: c,
});

async function kube(t: Target) {
  const { createKubeClient, currentNamespace, loadKubeConfig, KubeConfigError } = await import('@qhc/kube');
  try {
    const kc = loadKubeConfig({ kubeconfigPath: t.kubeconfig, context: t.kubeContext });
    return { client: createKubeClient(kc, { fieldManager: 'qhc-cli' }), namespace: t.namespace ?? currentNamespace(kc) };
  } catch (error) {
    if (error instanceof KubeConfigError) throw new CliError(error.message, { code: EXIT.usage, hint: 'check --kubeconfig / --kube-context' });
    throw error;
  }
}
const REF = { apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster' };
async function withCrdHint<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/QdrantCluster/.test(message) && /(not found|no resource|unknown kind|could not find)/i.test(message)) {
      throw new CliError(`the cluster has no QdrantCluster resource type: ${message}`, {
        hint: "install qhc's CRDs and operator first (`qhc region install-command`, or `kubectl apply -f` the CRDs)",
      });
    }
    if (/ECONNREFUSED|ENOTFOUND|connect/i.test(message))
      throw new CliError(`cannot reach the Kubernetes API: ${message}`, { hint: 'check the kubeconfig and that the cluster runs' });
    throw error;
  }
}
async function getObject(t: Target, name: string): Promise<QdrantClusterObject> {
  const { client, namespace } = await kube(t);
  const object = await withCrdHint(() => client.get<QdrantClusterObject & { apiVersion: string; kind: string }>({ ...REF, namespace, name: `qdrant-${name}` }));
  if (object) return object;
  const names = (await client.list<QdrantClusterObject & { apiVersion: string; kind: string }>(REF, { namespace })).items.map((c) => c.spec.id);
  throw new CliError(`cluster "${name}" does not exist in namespace ${namespace}`, {
    code: EXIT.notFound,
    hint: didYouMean(name, names, `qhc cluster list -n ${namespace}`),
  });
}

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
      metadata: { name: `qdrant-${name}`, namespace, labels: { 'cluster-id': name, 'customer-id': 'qhc-cli' } },
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
  const created = await api.request<ClusterRecord>('POST', `/api/v1/regions/${region(t)}/clusters`, body);
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
  const regions = t.region ? [t.region] : (await api.list<{ name: string }>('/api/v1/regions')).map((r) => r.name);
  const names: string[] = [];
  for (const r of regions) names.push(...(await api.list<ClusterRecord>(`/api/v1/regions/${encodeURIComponent(r)}/clusters`)).map((c) => c.name));
  return names;
}

export async function clusterList(options: { limit?: number }, t: Target): Promise<void> {
  if (direct(t)) {
    const { client, namespace } = await kube(t);
    const list = await withCrdHint(() => client.list<QdrantClusterObject & { apiVersion: string; kind: string }>(REF, { namespace }));
    return showRaw(list.items.slice(0, options.limit).map(fromObject), t);
  }
  const api = new ControlPlane(resolveContext(t));
  return showRaw((await api.list<ClusterRecord>(`/api/v1/regions/${region(t)}/clusters`, options.limit)).map(fromRecord), t);
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

type Spec = Record<string, unknown> & {
  size?: number;
  version?: string;
  resources?: Record<string, unknown>;
  pauses?: Array<{ owner?: string; reason?: string; creationTimestamp?: string }>;
  service?: Record<string, unknown>;
};
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
  const current = await getRecord(api, t, name);
  if (options.dryRun)
    return void (await print(change.restart ? { restart: name } : { spec: change.spec!(structuredClone(current.spec) as unknown as Spec) }, {
      format: 'yaml',
      columns: [],
      name: () => name,
      kind: 'cluster',
    }));
  const changed = change.restart
    ? await api.request<ClusterRecord>('POST', `/api/v1/regions/${region(t)}/clusters/${encodeURIComponent(name)}/restart`)
    : await api.request<ClusterRecord>('PUT', `/api/v1/regions/${region(t)}/clusters/${encodeURIComponent(name)}`, {
        spec: change.spec!(structuredClone(current.spec) as unknown as Spec),
      });
  process.stderr.write(`cluster ${name}: ${change.what}\n`);
  if (options.wait) await waitControlPlane(api, t, name, { since, timeout: options.timeout });
  return showRaw(fromRecord(options.wait ? await getRecord(api, t, name) : changed), t);
}

/** Healthy, with every node ready, as reported by an agent that has applied the latest revision after `since`. */
export async function waitControlPlane(api: ControlPlane, t: Target, name: string, options: { since: number; timeout?: string }): Promise<void> {
  const target = (await api.request<{ revision: number }>('GET', `/api/v1/regions/${region(t)}`)).revision;
  await waitUntil(
    `cluster ${name}`,
    async () => {
      const [r, c] = await Promise.all([
        api.request<{ appliedRevision?: number; lastSeenAt?: string }>('GET', `/api/v1/regions/${region(t)}`),
        getRecord(api, t, name),
      ]);
      const fresh = (r.appliedRevision ?? -1) >= target && Date.parse(r.lastSeenAt ?? '0') >= options.since;
      const ready = c.status?.nodesReady ?? 0;
      return { done: fresh && c.status?.phase === 'Healthy' && ready === c.spec.size, phase: fresh ? c.status?.phase : 'Applying', ready, size: c.spec.size };
    },
    { timeoutMs: parseDuration(options.timeout ?? '10m') },
  );
}

/** Healthy at the spec's generation with every node available; after a restart, once it has left Healthy. */
export async function waitDirect(t: Target, name: string, options: { restart?: boolean; since: number; timeout?: string }): Promise<void> {
  let left = !options.restart;
  await waitUntil(
    `cluster ${name}`,
    async () => {
      const c = (await getObject(t, name)) as QdrantClusterObject & { metadata: { generation?: number }; status?: { observedGeneration?: number } };
      if (c.status?.phase !== 'Healthy') left = true;
      // A restart the operator has not picked up within 15 s had nothing to do.
      if (!left && Date.now() - options.since > 15_000) left = true;
      const current = c.status?.observedGeneration === c.metadata.generation;
      return {
        done: left && current && c.status?.phase === 'Healthy' && (c.status?.availableNodes ?? 0) === c.spec.size,
        phase: c.status?.phase,
        ready: c.status?.availableNodes,
        size: c.spec.size,
      };
    },
    { timeoutMs: parseDuration(options.timeout ?? '10m') },
  );
}

/** What `kubectl describe` would show: the spec in short, phase, conditions, nodes, endpoint, recent events. */
export async function clusterDescribe(name: string, t: Target): Promise<void> {
  const lines: string[] = [];
  const add = (label: string, value: unknown) => lines.push(`${`${label}:`.padEnd(14)}${value ?? '<none>'}`);
  if (direct(t)) {
    const c = (await getObject(t, name)) as QdrantClusterObject & {
      spec: Spec;
      status?: {
        reason?: string;
        endpoint?: string;
        conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
        nodes?: Record<string, { state?: Record<string, string>; version?: string; restartCount?: number }>;
      };
    };
    add('Name', name);
    add('Namespace', c.metadata.namespace);
    add('Version', c.spec.version);
    add('Nodes', `${c.status?.availableNodes ?? 0}/${c.spec.size} ready`);
    add('Resources', `cpu ${c.spec.resources?.cpu}, memory ${c.spec.resources?.memory}, storage ${c.spec.resources?.storage}`);
    add('Phase', `${c.status?.phase ?? 'Pending'}${c.status?.reason ? ` (${c.status.reason})` : ''}`);
    add('Endpoint', c.status?.endpoint);
    if (c.spec.pauses?.length) add('Paused by', c.spec.pauses.map((p) => `${p.owner ?? '?'}${p.reason ? `: ${p.reason}` : ''}`).join('; '));
    lines.push('Conditions:');
    for (const k of c.status?.conditions ?? []) lines.push(`  ${k.type.padEnd(20)}${k.status.padEnd(8)}${k.reason ?? ''}${k.message ? `  ${k.message}` : ''}`);
    lines.push('Nodes:');
    for (const [pod, n] of Object.entries(c.status?.nodes ?? {}))
      lines.push(`  ${pod.padEnd(28)}ready=${n.state?.Ready ?? 'Unknown'}  version=${n.version ?? '?'}  restarts=${n.restartCount ?? 0}`);
    const { client } = await kube(t);
    const events = (
      await client.list<{
        apiVersion: string;
        kind: string;
        metadata: { name?: string };
        type?: string;
        reason?: string;
        note?: string;
        eventTime?: string;
        regarding?: { name?: string; kind?: string };
      }>({ apiVersion: 'events.k8s.io/v1', kind: 'Event' }, { namespace: c.metadata.namespace })
    ).items
      .filter((e) => e.regarding?.kind === 'QdrantCluster' && e.regarding.name === c.metadata.name)
      .toSorted((a, b) => (a.eventTime ?? '').localeCompare(b.eventTime ?? ''))
      .slice(-15);
    lines.push('Events:');
    for (const e of events) lines.push(`  ${age(e.eventTime).padEnd(6)}${(e.type ?? '').padEnd(9)}${(e.reason ?? '').padEnd(22)}${e.note ?? ''}`);
  } else {
    const api = new ControlPlane(resolveContext(t));
    const c = (await getRecord(api, t, name)) as ClusterRecord & {
      spec: Spec;
      status?: { reason?: string; conditions?: Array<{ type: string; status: string; reason?: string }>; nodes?: number };
    };
    add('Name', name);
    add('Region', t.region);
    add('Version', c.spec.version);
    add('Nodes', `${c.status?.nodesReady ?? 0}/${c.spec.size} ready`);
    add('Resources', `cpu ${c.spec.resources?.cpu}, memory ${c.spec.resources?.memory}, storage ${c.spec.resources?.storage}`);
    add('Phase', `${c.status?.phase ?? 'Pending'}${c.status?.reason ? ` (${c.status.reason})` : ''}`);
    lines.push('Conditions:');
    for (const k of c.status?.conditions ?? []) lines.push(`  ${k.type.padEnd(20)}${k.status.padEnd(8)}${k.reason ?? ''}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
