// Where a cluster command works: the control plane's Cloud API (--region) or the QdrantCluster
// objects themselves (--kubeconfig). Each as a Row the commands show.
import { QDRANT_API_VERSION, clusterResourceName, qdrantClusterKind } from '@qhc/schemas';
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

/** One row, whichever target: the Cloud API's cluster or the QdrantCluster itself. */
export interface Row {
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
export const showRaw = (rows: Row[] | Row, t: Target) => {
  const format = checkFormat(t.output);
  // Scripts get the API objects themselves.
  if (format === 'json' || format === 'yaml')
    return print(Array.isArray(rows) ? rows.map((r) => r.raw) : rows.raw, { format, columns: [], name: () => '', kind: 'cluster' });
  return show(rows, t);
};

export const direct = (t: Target) => Boolean(t.kubeconfig || t.kubeContext);

export type Spec = Record<string, unknown> & {
  size?: number;
  version?: string;
  resources?: Record<string, unknown>;
  pauses?: Array<{ owner?: string; reason?: string; creationTimestamp?: string }>;
  service?: Record<string, unknown>;
};

// ---- direct mode ----------------------------------------------------------------------

export type QdrantClusterObject = {
  metadata: { name?: string; namespace?: string; creationTimestamp?: string };
  spec: { id: string; size: number; version: string };
  status?: { phase?: string; availableNodes?: number; version?: string };
};
export const fromObject = (c: QdrantClusterObject): Row => ({
  name: c.spec.id,
  phase: c.status?.phase,
  size: c.spec.size,
  ready: c.status?.availableNodes,
  version: c.status?.version ?? c.spec.version,
  created: c.metadata.creationTimestamp,
  raw: c,
});

export async function kube(t: Target) {
  const { createKubeClient, currentNamespace, loadKubeConfig, KubeConfigError } = await import('@qhc/kube');
  try {
    const kc = loadKubeConfig({ kubeconfigPath: t.kubeconfig, context: t.kubeContext });
    return { client: createKubeClient(kc, { fieldManager: 'qhc-cli' }), namespace: t.namespace ?? currentNamespace(kc) };
  } catch (error) {
    if (error instanceof KubeConfigError) throw new CliError(error.message, { code: EXIT.usage, hint: 'check --kubeconfig / --kube-context' });
    throw error;
  }
}
export const REF = { apiVersion: QDRANT_API_VERSION, kind: qdrantClusterKind.kind };
export async function withCrdHint<T>(run: () => Promise<T>): Promise<T> {
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
export async function getObject(t: Target, name: string): Promise<QdrantClusterObject> {
  const { client, namespace } = await kube(t);
  const object = await withCrdHint(() =>
    client.get<QdrantClusterObject & { apiVersion: string; kind: string }>({ ...REF, namespace, name: clusterResourceName(name) }),
  );
  if (object) return object;
  const names = (await client.list<QdrantClusterObject & { apiVersion: string; kind: string }>(REF, { namespace })).items.map((c) => c.spec.id);
  throw new CliError(`cluster "${name}" does not exist in namespace ${namespace}`, {
    code: EXIT.notFound,
    hint: didYouMean(name, names, `qhc cluster list -n ${namespace}`),
  });
}
