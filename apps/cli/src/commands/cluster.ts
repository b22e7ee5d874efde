import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ControlPlane } from '../api.ts';
import { resolveContext } from '../config.ts';
import { confirmOrExit } from '../confirm.ts';
import { CliError, EXIT } from '../exit.ts';
import { age, checkFormat, print, type Column } from '../output.ts';
import { didYouMean } from './names.ts';
import type { Global } from './region.ts';

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
  print(Array.isArray(rows) ? rows : rows, { format: checkFormat(t.output), noHeaders: t.noHeaders, columns: COLUMNS, name: (c) => c.name, kind: 'cluster' }).then(() => undefined);
const showRaw = (rows: Row[] | Row, t: Target) => {
  const format = checkFormat(t.output);
  // Scripts get the API objects themselves.
  if (format === 'json' || format === 'yaml') return print(Array.isArray(rows) ? rows.map((r) => r.raw) : rows.raw, { format, columns: [], name: () => '', kind: 'cluster' });
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
const fromRecord = (c: ClusterRecord): Row => ({ name: c.name, phase: c.status?.phase, size: c.spec.size, ready: c.status?.nodesReady, version: c.status?.version ?? c.spec.version, created: c.createdAt, raw: c });
function region(t: Target): string {
  if (!t.region) throw new CliError('which region?', { code: EXIT.usage, hint: 'add --region <name> (see `qhc region list`), or --kubeconfig to work on a cluster directly' });
  return encodeURIComponent(t.region);
}
async function getRecord(api: ControlPlane, t: Target, name: string): Promise<ClusterRecord> {
  try {
    return await api.request<ClusterRecord>('GET', `/api/v1/regions/${region(t)}/clusters/${encodeURIComponent(name)}`);
  } catch (error) {
    if (error instanceof CliError && error.code === EXIT.notFound && !error.message.startsWith('region ')) {
      const names = (await api.request<{ items: ClusterRecord[] }>('GET', `/api/v1/regions/${region(t)}/clusters`)).items.map((c) => c.name);
      throw new CliError(`cluster "${name}" does not exist in region ${t.region}`, { code: EXIT.notFound, hint: didYouMean(name, names, `qhc cluster list --region ${t.region}`) });
    }
    throw error;
  }
}

// ---- direct mode ----------------------------------------------------------------------

type QdrantClusterObject = { metadata: { name?: string; namespace?: string; creationTimestamp?: string }; spec: { id: string; size: number; version: string }; status?: { phase?: string; availableNodes?: number; version?: string } };
const fromObject = (c: QdrantClusterObject): Row => ({ name: c.spec.id, phase: c.status?.phase, size: c.spec.size, ready: c.status?.availableNodes, version: c.status?.version ?? c.spec.version, created: c.metadata.creationTimestamp, raw: c });

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
      throw new CliError(`the cluster has no QdrantCluster resource type: ${message}`, { hint: "install qhc's CRDs and operator first (`qhc region install-command`, or `kubectl apply -f` the CRDs)" });
    }
    if (/ECONNREFUSED|ENOTFOUND|connect/i.test(message)) throw new CliError(`cannot reach the Kubernetes API: ${message}`, { hint: 'check the kubeconfig and that the cluster runs' });
    throw error;
  }
}
async function getObject(t: Target, name: string): Promise<QdrantClusterObject> {
  const { client, namespace } = await kube(t);
  const object = await withCrdHint(() => client.get<QdrantClusterObject & { apiVersion: string; kind: string }>({ ...REF, namespace, name: `qdrant-${name}` }));
  if (object) return object;
  const names = (await client.list<QdrantClusterObject & { apiVersion: string; kind: string }>(REF, { namespace })).items.map((c) => c.spec.id);
  throw new CliError(`cluster "${name}" does not exist in namespace ${namespace}`, { code: EXIT.notFound, hint: didYouMean(name, names, `qhc cluster list -n ${namespace}`) });
}

// ---- verbs ----------------------------------------------------------------------------

export interface CreateOptions {
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
  return {
    ...spec,
    version: options.version ?? spec.version ?? 'v1.16.2',
    size: options.size !== undefined ? Number(options.size) : (spec.size ?? 1),
    resources: { cpu: options.cpu ?? resources.cpu ?? '1', memory: options.memory ?? resources.memory ?? '1Gi', storage: options.storage ?? resources.storage ?? '10Gi' },
  };
}

export async function clusterCreate(name: string, options: CreateOptions, t: Target): Promise<void> {
  const spec = clusterSpec(options);
  if (direct(t)) {
    const { client, namespace } = await kube(t);
    const object = { ...REF, metadata: { name: `qdrant-${name}`, namespace, labels: { 'cluster-id': name, 'customer-id': 'qhc-cli' } }, spec: { ...spec, id: name } };
    if (options.dryRun) return void (await print(object, { format: 'yaml', columns: [], name: () => name, kind: 'cluster' }));
    const created = await withCrdHint(() => client.apply(object as never));
    return showRaw(fromObject(created as unknown as QdrantClusterObject), t);
  }
  const body = { name, spec };
  if (options.dryRun) return void (await print(body, { format: 'yaml', columns: [], name: () => name, kind: 'cluster' }));
  const api = new ControlPlane(resolveContext(t));
  return showRaw(fromRecord(await api.request<ClusterRecord>('POST', `/api/v1/regions/${region(t)}/clusters`, body)), t);
}

export async function clusterList(t: Target): Promise<void> {
  if (direct(t)) {
    const { client, namespace } = await kube(t);
    const list = await withCrdHint(() => client.list<QdrantClusterObject & { apiVersion: string; kind: string }>(REF, { namespace }));
    return showRaw(list.items.map(fromObject), t);
  }
  const api = new ControlPlane(resolveContext(t));
  return showRaw((await api.request<{ items: ClusterRecord[] }>('GET', `/api/v1/regions/${region(t)}/clusters`)).items.map(fromRecord), t);
}

export async function clusterGet(name: string, t: Target): Promise<void> {
  if (direct(t)) return showRaw(fromObject(await getObject(t, name)), t);
  return showRaw(fromRecord(await getRecord(new ControlPlane(resolveContext(t)), t, name)), t);
}

export async function clusterScale(name: string, options: { replicas: string }, t: Target): Promise<void> {
  const size = Number(options.replicas);
  if (!Number.isInteger(size) || size < 1) throw new CliError(`--replicas must be a whole number of nodes, at least 1 (got ${options.replicas})`, { code: EXIT.usage });
  if (direct(t)) {
    const current = await getObject(t, name);
    const { client } = await kube(t);
    const scaled = await client.patch({ ...REF, namespace: current.metadata.namespace, name: current.metadata.name! }, { spec: { size } });
    return showRaw(fromObject(scaled as unknown as QdrantClusterObject), t);
  }
  const api = new ControlPlane(resolveContext(t));
  await getRecord(api, t, name);
  return showRaw(fromRecord(await api.request<ClusterRecord>('POST', `/api/v1/regions/${region(t)}/clusters/${encodeURIComponent(name)}/scale`, { size })), t);
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
