// pnpm bench (operator): N single-node clusters converged from scratch by the operator as it
// ships (dist/main.js: build first), against floors taken in the same run:
// the pod-ready floor (the same objects applied without an operator, until every pod is ready)
// and the raw apply floor (the same objects server-side-applied one after the other). The floors
// and the operator each run on a sandbox of their own, started for them. Also the writes of a
// no-op resync and the operator's peak RSS. Not a test: it prints one table.
//   node bench/converge.ts [N ...]     (default: 100 1000)
// QHC_BENCH_HEAP_DIR=<dir>: a heap snapshot of the operator once converged, written there.
// QHC_BENCH_CPU_PROF_DIR=<dir>: a CPU profile of the operator's whole run (node --cpu-prof), written there.
// QHC_BENCH_OPERATOR_MAIN=<file>: another build of the operator's main (a before/after run).
// QHC_BENCH_OPERATOR_NODE_FLAGS: node's flags before the operator's main. Default: the image's
// (package.json's qhc.nodeFlags).
// QHC_BENCH_OPERATOR_NODE_OPTIONS: node flags for the operator (NODE_OPTIONS). Default: what the
// shipped flags (OPERATOR_NODE_OPTIONS: half the container's limit) give in the shipped 512Mi
// container, spelled as a size: this machine's cgroup has no limit to take a percentage of.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBenchTable, type BenchRow } from '@qhc/bench';
import { freePorts, startSandbox, waitFor } from '@qhc/kube-sandbox';
import { createKubeClient, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { allKinds, buildCrd } from '@qhc/schemas';
import { CpuWindow } from './cpu.ts';
import { MemorySampler, WatchedCount, exists, healthy as isHealthy, ready as isReady } from './progress.ts';
import {
  addNodes,
  MANAGED,
  STATEFUL_SET,
  WRITTEN_KINDS,
  withTimeout,
  benchWaitMs,
  cluster,
  createNamespace,
  expectedPerKind,
  floor,
  operatorCounters,
  ownedVersions,
  peakRssMiB,
  requestBreakdown,
} from './support.ts';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const counts = sizes.length > 0 ? sizes : [100, 1000];
const main = process.env.QHC_BENCH_OPERATOR_MAIN ? resolve(process.env.QHC_BENCH_OPERATOR_MAIN) : fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (!existsSync(main)) throw new Error(`${main} is missing: run pnpm --filter @qhc/operator build first`);
const nodeOptions = process.env.QHC_BENCH_OPERATOR_NODE_OPTIONS ?? '--max-semi-space-size=4 --max-old-space-size=256';
// Node's own flags for the operator, before its main (V8 flags NODE_OPTIONS refuses): by
// default those its image's entrypoint carries, from package.json's qhc.nodeFlags.
const shipped = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { qhc?: { nodeFlags?: string[] } }).qhc?.nodeFlags ?? [];
const nodeFlags = (process.env.QHC_BENCH_OPERATOR_NODE_FLAGS ?? shipped.join(' ')).split(' ').filter(Boolean);
const heapDir = process.env.QHC_BENCH_HEAP_DIR ? resolve(process.env.QHC_BENCH_HEAP_DIR) : undefined;
// QHC_BENCH_FLOORS=0: the operator's figures alone, without the floors (at N=3000 the floor's
// 18,000 sequential applies alone take most of an hour on 2 cores).
const withFloors = process.env.QHC_BENCH_FLOORS !== '0';
const profileDir = process.env.QHC_BENCH_CPU_PROF_DIR ? resolve(process.env.QHC_BENCH_CPU_PROF_DIR) : undefined;
// Ctrl-C, or turbo stopping the task, ends the run through process.exit, whose hook kills
// the sandbox's processes (@qhc/kube-sandbox) rather than leaving them running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
// process.exit skips the finally that stops the operator: an operator left running would go on
// retrying a stopped apiserver, and load the next run.
const operators = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of operators) child.kill('SIGKILL');
});

function startOperator(kubeconfigPath: string, ns: string, port: number, n: number): ChildProcess {
  const dir = mkdtempSync(join(tmpdir(), 'qhc-bench-'));
  writeFileSync(join(dir, 'settings.yaml'), 'settings:\n  app_environment: local\n');
  const heap = heapDir ? [`--heapsnapshot-signal=SIGUSR2`, `--diagnostic-dir=${join(heapDir, `n${n}`)}`] : [];
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, `n${n}`)}`] : [];
  if (heapDir) mkdirSync(join(heapDir, `n${n}`), { recursive: true });
  const args = ['--settings', join(dir, 'settings.yaml'), '--kubeconfig', kubeconfigPath, '--namespace', ns, '--port', String(port), '--no-leader-elect'];
  const child = spawn(process.execPath, [...nodeFlags, ...heap, ...profile, main, ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: nodeOptions, QHC_LOG_LEVEL: 'error', QHC_OPERATOR_BIND: '127.0.0.1' },
  });
  operators.add(child);
  child.once('exit', () => operators.delete(child));
  return child;
}

/**
 * A no-op resync: every cluster touched (an annotation, which starts a pass), then once the
 * operator has run a pass per cluster, the writes it made: its own write requests (Events
 * included) and the objects whose version moved, as the apiserver sees them.
 */
async function noOpResync(client: KubeClient, ns: string, n: number, port: number): Promise<{ requests: number; objects: number }> {
  const before = await ownedVersions(client, ns);
  const start = await operatorCounters(port);
  for (let i = 0; i < n; i++)
    await client.patch(
      { apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', namespace: ns, name: `qdrant-b${i}` },
      { metadata: { annotations: { 'bench/touch': '1' } } },
    );
  await waitFor(`${n} passes after the touch`, async () => ((await operatorCounters(port)).passes >= start.passes + n ? true : undefined), {
    timeoutMs: 10 * 60_000,
    intervalMs: 250,
  });
  const end = await operatorCounters(port);
  const after = await ownedVersions(client, ns);
  const changed = [...after].filter(([key, version]) => before.get(key) !== version);
  // What changed, to tell a late pod update the resync only reported from a needless write.
  for (const [key, version] of changed.slice(0, 5)) console.error(`no-op resync changed ${key}:\n  before ${before.get(key)}\n  after  ${version}`);
  return { requests: end.writes - start.writes, objects: changed.length };
}

/** SIGKILL, or with a CPU profile to write, SIGTERM and its exit (the profile is written on exit). */
async function stopOperator(child: ChildProcess): Promise<void> {
  if (!profileDir || child.exitCode !== null || child.signalCode !== null) return void child.kill('SIGKILL');
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await withTimeout(exited, 'the operator to exit', 60_000).catch(() => child.kill('SIGKILL'));
}

/** Sends the snapshot signal and waits until the file stops growing. */
async function heapSnapshot(child: ChildProcess, n: number): Promise<string | undefined> {
  if (!heapDir) return undefined;
  const dir = join(heapDir, `n${n}`);
  child.kill('SIGUSR2');
  let last = -1;
  return waitFor(
    'the heap snapshot',
    async () => {
      const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot'));
      if (!file) return undefined;
      const size = statSync(join(dir, file)).size;
      const done = size > 0 && size === last;
      last = size;
      return done ? join(dir, file) : undefined;
    },
    { timeoutMs: 5 * 60_000, intervalMs: 2000 },
  );
}

async function converge(client: KubeClient, kubeconfigPath: string, n: number) {
  const ns = `bench-${n}`;
  await createNamespace(client, ns);
  for (let i = 0; i < n; i++) await client.apply(cluster(ns, i));
  const [port] = await freePorts(1);
  const started = performance.now();
  const objects = [...expectedPerKind(n).values()].reduce((a, b) => a + b, 0);
  const written = new WatchedCount(client, ns, WRITTEN_KINDS, objects, exists, started, MANAGED);
  const ready = new WatchedCount(client, ns, [STATEFUL_SET], n, isReady, started, MANAGED);
  const healthy = new WatchedCount(client, ns, [{ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster' }], n, isHealthy, started);
  const child = startOperator(kubeconfigPath, ns, port!, n);
  const cpu = new CpuWindow(
    new Map([
      [child.pid!, 'operator'],
      [process.pid, 'bench'],
    ]),
  );
  const appliedCpu = written.done.then(() => cpu.describe());
  let rss = 0;
  const sampler = setInterval(() => (rss = Math.max(rss, peakRssMiB(child.pid!))), 250);
  const memory = new MemorySampler(port!, started);
  try {
    const seconds = await withTimeout(healthy.done, `${n} clusters Healthy`, benchWaitMs(n));
    const appliedSeconds = await withTimeout(written.done, 'every object the operator writes', benchWaitMs(n));
    await withTimeout(ready.done, `${n} StatefulSets ready`, benchWaitMs(n));
    console.error(`N=${n} all applied: ${written.describe()}`);
    console.error(`N=${n} CPU while the operator applied: ${await appliedCpu}`);
    console.error(`N=${n} StatefulSets ready: ${ready.describe()}`);
    console.error(`N=${n} clusters Healthy: ${healthy.describe()}`);
    const converged = await requestBreakdown(port!);
    const perCluster = [...converged.byVerbKind].map(([k, v]) => `${k}: ${(v / n).toFixed(2)}`).join(', ');
    console.error(
      `N=${n} to converge, per cluster: ${(converged.passes / n).toFixed(2)} passes, ${(converged.requests / n).toFixed(2)} requests (${perCluster}); waited for the client-side rate limit: ${converged.throttledSeconds.toFixed(1)} s summed over requests`,
    );
    const noOp = await noOpResync(client, ns, n, port!);
    rss = Math.max(rss, peakRssMiB(child.pid!));
    const snapshot = await heapSnapshot(child, n);
    return {
      seconds,
      appliedSeconds,
      rssMiB: Math.round(rss),
      noOp,
      snapshot,
      requestsPerCluster: converged.requests / n,
      passesPerCluster: converged.passes / n,
    };
  } finally {
    clearInterval(sampler);
    console.error(`N=${n} memory: ${memory.stop()}`);
    await stopOperator(child);
    await Promise.all([written.stop(), ready.stop(), healthy.stop()]);
  }
}

/**
 * `work` on a sandbox of its own, started for it and stopped after: the floor and the operator
 * each start on a new cluster. On one sandbox, with the floor's namespace deleted in between,
 * the operator's run came second to a cluster that had just made and deleted as many objects:
 * its objects were all applied in 78–80 s at N=1,000 and 386–510 s at N=3,000 there (stops
 * 35–36), in 53 s and 244 s on a new sandbox (one run each).
 */
async function onNewSandbox<T>(n: number, work: (client: KubeClient, kubeconfigPath: string) => Promise<T>): Promise<T> {
  // Without the sandbox's snapshot and resize doubles: they list every claim of the cluster five
  // times a second, a load that grows with each claim, and the bench takes no snapshot and grows
  // no volume.
  const sandbox = await startSandbox({ controllers: false });
  try {
    const client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-operator' });
    for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject);
    await addNodes(client, n);
    await waitFor('CRDs served', () => client.list({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster' }).then(() => true));
    return await work(client, sandbox.kubeconfigPath);
  } finally {
    await sandbox.stop();
  }
}

const rows: BenchRow[] = [];
for (const n of counts) {
  const base = withFloors ? await onNewSandbox(n, (client) => floor(client, n)) : undefined;
  if (base) console.error(`N=${n} floor StatefulSets ready: ${base.readyTimeline}`);
  if (base) console.error(`N=${n} CPU while the floor applied: ${base.applyCpu}`);
  const result = await onNewSandbox(n, (client, kubeconfigPath) => converge(client, kubeconfigPath, n));
  if (result.snapshot) console.error(`heap snapshot at N=${n}: ${result.snapshot}`);
  rows.push({
    clusters: n,
    objects: [...expectedPerKind(n).values()].reduce((a, b) => a + b, 0),
    floorReadySeconds: base?.readySeconds,
    convergeSeconds: result.seconds,
    convergeRatio: base && result.seconds / base.readySeconds,
    floorApplySeconds: base?.applySeconds,
    appliedSeconds: result.appliedSeconds,
    appliedRatio: base && result.appliedSeconds / base.applySeconds,
    passesPerCluster: result.passesPerCluster,
    requestsPerCluster: result.requestsPerCluster,
    noOpWriteRequests: result.noOp.requests,
    noOpChangedObjects: result.noOp.objects,
    peakRssMiB: result.rssMiB,
  });
  // Each row as it is taken: a long run that is cut short keeps what it measured.
  console.error(`row: ${JSON.stringify(rows.at(-1))}`);
}
writeBenchTable({
  component: 'operator',
  title: 'N single-node clusters converged from scratch by dist/main.js',
  columns: [
    { key: 'clusters', header: 'clusters' },
    { key: 'objects', header: 'objects written' },
    { key: 'floorReadySeconds', header: 'pod-ready floor (s)' },
    { key: 'convergeSeconds', header: 'converge (s)' },
    { key: 'convergeRatio', header: 'converge / floor', target: '≤ 1.05' },
    { key: 'floorApplySeconds', header: 'raw apply floor (s)' },
    { key: 'appliedSeconds', header: 'all applied (s)' },
    { key: 'appliedRatio', header: 'applied / floor', target: '≤ 1.5' },
    { key: 'passesPerCluster', header: 'passes / cluster' },
    { key: 'requestsPerCluster', header: 'requests / cluster' },
    { key: 'noOpWriteRequests', header: 'no-op resync write requests', target: '0' },
    { key: 'noOpChangedObjects', header: 'no-op resync changed objects', target: '0' },
    { key: 'peakRssMiB', header: 'peak RSS (MiB)', target: '≤ 150 at N=1000, ≤ 300 at N=3000' },
  ],
  rows,
  context: { operator: main, nodeOptions: nodeOptions || '(none)', nodeFlags: nodeFlags.join(' ') || '(none)' },
});
