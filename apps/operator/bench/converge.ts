// pnpm bench (operator): how long N clusters take to converge, against the floor of the
// same objects server-side-applied in a tight loop on the same sandbox in the same run;
// writes per no-op resync; the operator's peak RSS. Not a test: it prints figures.
//   node bench/converge.ts [N ...]     (default: 100 1000)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox, waitFor } from '@qhc/kube-sandbox';
import { createKubeClient, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { buildClusterObjects } from '@qhc/manifests';
import { allKinds, buildCrd, defaultOperatorSettings, validateQdrantCluster } from '@qhc/schemas';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const counts = sizes.length > 0 ? sizes : [100, 1000];
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

const cluster = (namespace: string, i: number): KubeObject => ({
  apiVersion: 'qdrant.io/v1',
  kind: 'QdrantCluster',
  metadata: { name: `qdrant-b${i}`, namespace, labels: { 'cluster-id': `b${i}`, 'customer-id': 'bench' } },
  spec: { id: `b${i}`, version: 'v1.12.4', size: 1, resources: { cpu: '100m', memory: '256Mi', storage: '1Gi' } },
});

async function createNamespace(client: KubeClient, name: string): Promise<void> {
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  await waitFor(`default ServiceAccount in ${name}`, async () =>
    (await client.get({ apiVersion: 'v1', kind: 'ServiceAccount', namespace: name, name: 'default' })) ? true : undefined,
  );
}

/** The floor: the operator's objects for N clusters, applied one after the other. */
async function floor(client: KubeClient, n: number): Promise<{ seconds: number; readySeconds: number; objects: number }> {
  const ns = `floor-${n}`;
  await createNamespace(client, ns);
  const settings = defaultOperatorSettings();
  // No owner: the floor has no QdrantCluster, and the garbage collector would take objects
  // owned by one that does not exist.
  const objects = Array.from({ length: n }, (_, i) => buildClusterObjects(validateQdrantCluster(cluster(ns, i)), settings))
    .flat()
    .map((o) => ({ ...o, metadata: { ...o.metadata, ownerReferences: undefined } }));
  const started = performance.now();
  for (const object of objects) await client.apply(object as unknown as KubeObject);
  const seconds = (performance.now() - started) / 1000;
  // What the cluster itself adds (pods scheduled, volumes bound, pods Ready): the same objects,
  // without an operator, until every StatefulSet is ready. The operator cannot beat this.
  await waitFor(
    `${n} floor StatefulSets ready`,
    async () => {
      const list = await client.list<KubeObject & { status?: { readyReplicas?: number } }>({ apiVersion: 'apps/v1', kind: 'StatefulSet' }, { namespace: ns });
      return list.items.filter((s) => s.status?.readyReplicas === 1).length === n ? true : undefined;
    },
    { timeoutMs: 30 * 60_000, intervalMs: 1000 },
  );
  return { seconds, readySeconds: (performance.now() - started) / 1000, objects: objects.length };
}

function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function converge(client: KubeClient, kubeconfigPath: string, n: number) {
  const ns = `bench-${n}`;
  await createNamespace(client, ns);
  for (let i = 0; i < n; i++) await client.apply(cluster(ns, i));
  const dir = mkdtempSync(join(tmpdir(), 'qhc-bench-'));
  writeFileSync(join(dir, 'settings.yaml'), 'settings:\n  app_environment: local\n');
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [main, '--settings', join(dir, 'settings.yaml'), '--kubeconfig', kubeconfigPath, '--namespace', ns, '--port', '0', '--no-leader-elect'],
    { stdio: 'ignore', env: { ...process.env, QHC_LOG_LEVEL: 'error', QHC_OPERATOR_BIND: '127.0.0.1' } },
  );
  let rss = 0;
  const sampler = setInterval(() => (rss = Math.max(rss, peakRss(child.pid!))), 500);
  try {
    await waitFor(
      `${n} clusters Healthy`,
      async () => {
        const list = await client.list<KubeObject & { status?: { phase?: string } }>({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster' }, { namespace: ns });
        return list.items.filter((c) => c.status?.phase === 'Healthy').length === n ? true : undefined;
      },
      { timeoutMs: 30 * 60_000, intervalMs: 1000 },
    );
    const seconds = (performance.now() - started) / 1000;
    // A no-op resync: touch every cluster, let the operator look at each again, count writes
    // from the apiserver's side (resourceVersions of everything the operator owns).
    const before = await ownedVersions(client, ns);
    for (let i = 0; i < n; i++)
      await client.patch(
        { apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', namespace: ns, name: `qdrant-b${i}` },
        { metadata: { annotations: { 'bench/touch': '1' } } },
      );
    await new Promise((resolve) => setTimeout(resolve, Math.max(5_000, n * 20)));
    const after = await ownedVersions(client, ns);
    const changed = [...after].filter(([key, rv]) => before.get(key) !== rv).length;
    return { seconds, rssMiB: Math.round(Math.max(rss, peakRss(child.pid!))), noOpWrites: changed };
  } finally {
    clearInterval(sampler);
    child.kill('SIGKILL');
  }
}

/** resourceVersion of every object the operator writes (statuses included), by kind/name. */
async function ownedVersions(client: KubeClient, ns: string): Promise<Map<string, string>> {
  const versions = new Map<string, string>();
  for (const kind of [
    { apiVersion: 'v1', kind: 'ConfigMap' },
    { apiVersion: 'v1', kind: 'Service' },
    { apiVersion: 'apps/v1', kind: 'StatefulSet' },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  ]) {
    const list = await client.list(kind, { namespace: ns, labelSelector: 'app.kubernetes.io/managed-by=qhc-operator' });
    for (const item of list.items) versions.set(`${kind.kind}/${item.metadata.name}`, `${item.metadata.generation ?? ''}`);
  }
  const clusters = await client.list<KubeObject & { status?: unknown }>({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster' }, { namespace: ns });
  for (const c of clusters.items) versions.set(`status/${c.metadata.name}`, JSON.stringify(c.status));
  return versions;
}

/**
 * The sandbox has one fake node for 250 pods; the floor and the operator's clusters need a
 * pod each per cluster, so more kwok nodes like it are added (250 pods each).
 */
async function addNodes(client: KubeClient, n: number): Promise<void> {
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

const sandbox = await startSandbox();
try {
  const client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-operator' });
  for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject);
  await addNodes(client, Math.max(...counts));
  await waitFor('CRDs served', () => client.list({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster' }).then(() => true));
  for (const n of counts) {
    const base = await floor(client, n);
    const result = await converge(client, sandbox.kubeconfigPath, n);
    console.log(
      JSON.stringify({
        clusters: n,
        floorSeconds: Number(base.seconds.toFixed(1)),
        floorObjects: base.objects,
        floorObjectsPerSecond: Math.round(base.objects / base.seconds),
        floorReadySeconds: Number(base.readySeconds.toFixed(1)),
        convergeSeconds: Number(result.seconds.toFixed(1)),
        ratioToFloor: Number((result.seconds / base.seconds).toFixed(2)),
        ratioToFloorReady: Number((result.seconds / base.readySeconds).toFixed(2)),
        noOpResyncWrites: result.noOpWrites,
        operatorPeakRssMiB: result.rssMiB,
      }),
    );
  }
} finally {
  await sandbox.stop();
}
