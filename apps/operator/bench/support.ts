// The bench's sandbox chores: namespaces, the floors the operator is compared with, fake
// nodes, what the apiserver holds, and the operator's own metrics.
import { readFileSync } from 'node:fs';
import { waitFor } from '@qhc/kube-sandbox';
import type { KubeClient, KubeObject } from '@qhc/kube';
import { CpuWindow } from './cpu.ts';
import { WatchedCount, ready as isReady } from './progress.ts';
import { buildClusterObjects } from '@qhc/manifests';
import { defaultOperatorSettings, validateQdrantCluster } from '@qhc/schemas';

/** The kinds the operator writes for a single-node cluster without ingress. */
export const WRITTEN_KINDS = [
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
];
export const MANAGED = 'app.kubernetes.io/managed-by=qhc-operator';

export const cluster = (namespace: string, i: number): KubeObject => ({
  apiVersion: 'qdrant.io/v1',
  kind: 'QdrantCluster',
  metadata: { name: `qdrant-b${i}`, namespace, labels: { 'cluster-id': `b${i}`, 'customer-id': 'bench' } },
  spec: { id: `b${i}`, version: 'v1.12.4', size: 1, resources: { cpu: '100m', memory: '256Mi', storage: '1Gi' } },
});

export async function createNamespace(client: KubeClient, name: string): Promise<void> {
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  await waitFor(`default ServiceAccount in ${name}`, async () =>
    (await client.get({ apiVersion: 'v1', kind: 'ServiceAccount', namespace: name, name: 'default' })) ? true : undefined,
  );
}

/**
 * The floors: the operator's objects for N clusters server-side-applied one after the other
 * (the raw apply floor), then until every StatefulSet is ready (the pod-ready floor: what the
 * cluster itself adds, which the operator cannot beat).
 */
export async function floor(client: KubeClient, n: number): Promise<Floor> {
  const ns = `floor-${n}`;
  await createNamespace(client, ns);
  const settings = defaultOperatorSettings();
  // The same objects as the operator's, owner references included: each owned by its cluster,
  // made here as in the operator's run before the clock starts (no operator watches this
  // namespace). The garbage collector tracks an owned object's owner, work the floor would
  // otherwise be spared.
  const clusters: KubeObject[] = [];
  for (let i = 0; i < n; i++) clusters.push(await client.apply(cluster(ns, i)));
  const objects = clusters.flatMap((c) => buildClusterObjects(validateQdrantCluster(c), settings));
  const started = performance.now();
  const cpu = new CpuWindow(new Map([[process.pid, 'bench']]));
  const ready = new WatchedCount(client, ns, [STATEFUL_SET], n, isReady, started);
  try {
    for (const object of objects) await client.apply(object as unknown as KubeObject);
    const applySeconds = (performance.now() - started) / 1000;
    const applyCpu = cpu.describe();
    const readySeconds = await withTimeout(ready.done, `${n} floor StatefulSets ready`, benchWaitMs(n));
    return { applySeconds, applyCpu, readySeconds, readyTimeline: ready.describe() };
  } finally {
    await ready.stop();
  }
}

export interface Floor {
  applySeconds: number;
  /** Where the CPU went while the floor applied. */
  applyCpu: string;
  readySeconds: number;
  readyTimeline: string;
}

export const STATEFUL_SET = { apiVersion: 'apps/v1', kind: 'StatefulSet' };

/** How long the bench waits for N clusters to get somewhere: 30 minutes a thousand (N=3000 took 28 minutes to converge). */
export const benchWaitMs = (n: number) => Math.max(1, n / 1000) * 30 * 60_000;

/** `done`, or a failure naming what did not happen within `ms` (30 minutes). */
export async function withTimeout<T>(done: Promise<T>, what: string, ms = 30 * 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)));
  try {
    return await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** How many objects of each written kind N clusters have. */
export function expectedPerKind(n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const o of buildClusterObjects(validateQdrantCluster(cluster('x', 0)), defaultOperatorSettings())) counts.set(o.kind, (counts.get(o.kind) ?? 0) + n);
  return counts;
}

/** generation of every object the operator owns and each cluster's status, by kind/name: a write changes one. */
export async function ownedVersions(client: KubeClient, ns: string): Promise<Map<string, string>> {
  const versions = new Map<string, string>();
  for (const kind of WRITTEN_KINDS) {
    const list = await client.list(kind, { namespace: ns, labelSelector: MANAGED });
    for (const item of list.items) versions.set(`${kind.kind}/${item.metadata.name}`, `${item.metadata.resourceVersion ?? ''}`);
  }
  const clusters = await client.list<KubeObject & { status?: unknown }>({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster' }, { namespace: ns });
  for (const c of clusters.items) versions.set(`status/${c.metadata.name}`, JSON.stringify(c.status));
  return versions;
}

export function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** A sample of the operator's Prometheus counters: successful QdrantCluster passes and writes. */
export async function operatorCounters(port: number): Promise<{ passes: number; writes: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let passes = 0;
  let writes = 0;
  for (const line of text.split('\n')) {
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith('qhc_operator_reconciles_total{') && line.includes('kind="QdrantCluster"') && line.includes('result="success"')) passes += value;
    if (line.startsWith('qhc_operator_apiserver_requests_total{') && /verb="(PATCH|PUT|POST|DELETE)"/.test(line)) writes += value;
  }
  return { passes, writes };
}

/** The operator's apiserver requests by verb and kind, and its successful passes, from /metrics. */
export async function requestBreakdown(port: number): Promise<{ passes: number; requests: number; throttledSeconds: number; byVerbKind: Map<string, number> }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const byVerbKind = new Map<string, number>();
  let requests = 0;
  // Summed over requests (several wait at once): whether the client-side limit was reached at all.
  let throttledSeconds = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('qhc_operator_apiserver_throttle_seconds_sum')) throttledSeconds += Number(line.slice(line.lastIndexOf(' ') + 1));
    if (!line.startsWith('qhc_operator_apiserver_requests_total{')) continue;
    const verb = /verb="([^"]*)"/.exec(line)?.[1] ?? '';
    const kind = /kind="([^"]*)"/.exec(line)?.[1] ?? '';
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    byVerbKind.set(`${verb} ${kind}`, (byVerbKind.get(`${verb} ${kind}`) ?? 0) + value);
    requests += value;
  }
  return { passes: (await operatorCounters(port)).passes, requests, throttledSeconds, byVerbKind };
}

/**
 * The sandbox has one fake node for 250 pods; N clusters need a pod each, so more kwok nodes
 * like it are added (250 pods each). Room for 2N pods, as when the floor and the operator shared
 * a sandbox: the same nodes (and their leases) as the runs the README's figures come from.
 */
export async function addNodes(client: KubeClient, n: number): Promise<void> {
  const template = await client.get<KubeObject & { spec: Record<string, unknown>; status: Record<string, unknown> }>({
    apiVersion: 'v1',
    kind: 'Node',
    name: 'sandbox-node-0',
  });
  if (!template) throw new Error('the sandbox has no node sandbox-node-0');
  const needed = Math.ceil((2 * n + 50) / 250);
  for (let i = 1; i < needed; i++) {
    const name = `bench-node-${i}`;
    await client.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, annotations: template.metadata.annotations, labels: { ...template.metadata.labels, 'kubernetes.io/hostname': name } },
      spec: { providerID: `kwok://${name}` },
      status: { allocatable: template.status.allocatable, capacity: template.status.capacity },
    });
  }
  await waitFor(
    `${needed} nodes ready`,
    async () => {
      const nodes = await client.list<KubeObject & { status?: { conditions?: Array<{ type: string; status: string }> } }>({ apiVersion: 'v1', kind: 'Node' });
      return nodes.items.filter((node) => node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length >= needed ? true : undefined;
    },
    { timeoutMs: 120_000 },
  );
}
