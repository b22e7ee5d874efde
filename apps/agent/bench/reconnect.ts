// pnpm bench (agent): one region of N clusters (each with its API-key Secret) on the kube
// sandbox. The first apply; a reconnect with nothing changed (the same answer again: writes,
// target 0); an answer changing M clusters, against the floor of the same objects
// server-side-applied one after the other in a tight loop, in the same run (target ≤ 2×).
// Not a test: it prints figures.
//   node bench/reconnect.ts [clusters=500] [changed=50] [concurrency=8 ...]
import { writeBenchTable } from '@qhc/bench';
import { startSandbox, waitFor } from '@qhc/kube-sandbox';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { buildDesiredStateObjects } from '@qhc/manifests';
import { DesiredState, QDRANT_API_VERSION, allKinds, buildCrd, parseRegion } from '@qhc/schemas';
import { clusterSpecFixture } from '@qhc/schemas/test';
import { applyDesiredState } from '../src/apply.ts';

const [clusterCount = 500, changedCount = 50, ...concurrencies] = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const logger = createLogger({ level: 'error' });
// Ctrl-C, or turbo stopping the task, ends the run through process.exit, whose hook kills
// the sandbox's processes (@qhc/kube-sandbox) rather than leaving them running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

/** Every request the agent makes, by whether it writes. */
const requests = { writes: 0, reads: 0 };
const countRequest = ({ verb }: { verb: string }) => void (verb === 'GET' ? requests.reads++ : requests.writes++);

/** The region's answer at `revision`: the first `changed` clusters at size 2, the rest at 1. */
function desiredState(namespace: string, revision: number, changed = 0): DesiredState {
  return DesiredState.parse({
    revision,
    region: parseRegion(JSON.stringify({ name: 'bench', namespace, operatorVersion: '0.1.0', agentVersion: '0.1.0' })),
    clusters: Array.from({ length: clusterCount }, (_, i) => ({
      id: `b${i}`,
      spec: clusterSpecFixture(`b${i}`, { size: i < changed ? 2 : 1 }),
      apiKeys: { apiKey: `bench-key-${i}` },
    })),
    deletions: [],
  });
}

async function createNamespace(client: KubeClient, name: string): Promise<void> {
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  await waitFor(`default ServiceAccount in ${name}`, async () =>
    (await client.get({ apiVersion: 'v1', kind: 'ServiceAccount', namespace: name, name: 'default' })) ? true : undefined,
  );
}

/** Server-side apply of `objects`, one after the other: the floor nothing that applies them can beat by much. */
async function rawApply(client: KubeClient, objects: KubeObject[]): Promise<number> {
  const started = performance.now();
  for (const object of objects) await client.apply(object);
  return (performance.now() - started) / 1000;
}

/** The floor: the region's objects applied raw, then the changed clusters' objects. */
async function floor(client: KubeClient): Promise<{ firstSeconds: number; changeSeconds: number; changeObjects: number }> {
  const ns = 'floor';
  await createNamespace(client, ns);
  const first = buildDesiredStateObjects(desiredState(ns, 1), { namespace: ns });
  const firstSeconds = await rawApply(client, first.clusters.flatMap((c) => [c.apiKeySecret!, c.cluster]) as KubeObject[]);
  // What changed: the changed clusters' QdrantClusters (their Secrets are the same).
  const changed = buildDesiredStateObjects(desiredState(ns, 2, changedCount), { namespace: ns }).clusters.slice(0, changedCount);
  const changeSeconds = await rawApply(client, changed.map((c) => c.cluster) as KubeObject[]);
  return { firstSeconds, changeSeconds, changeObjects: changed.length };
}

/** One timed apply by the agent's code, with the requests it made. */
async function timed(client: KubeClient, ns: string, state: DesiredState, concurrency: number) {
  Object.assign(requests, { writes: 0, reads: 0 });
  const started = performance.now();
  const result = await applyDesiredState(client, ns, state, logger, { concurrency });
  const seconds = (performance.now() - started) / 1000;
  return { seconds, writes: requests.writes, reads: requests.reads, applied: result.applied.length, unchanged: result.unchanged.length };
}

async function region(client: KubeClient, concurrency: number, floorSeconds: { firstSeconds: number; changeSeconds: number }) {
  const ns = `agent-c${concurrency}`;
  await createNamespace(client, ns);
  const first = await timed(client, ns, desiredState(ns, 1), concurrency);
  // A reconnect: the agent (restarted, or its long-poll answered afresh) gets the same answer.
  const reconnect = await timed(client, ns, desiredState(ns, 1), concurrency);
  const change = await timed(client, ns, desiredState(ns, 2, changedCount), concurrency);
  if (change.applied !== changedCount) throw new Error(`the change applied ${change.applied} objects, not ${changedCount}`);
  return {
    clusters: clusterCount,
    concurrency,
    firstSeconds: first.seconds,
    firstWrites: first.writes,
    firstFloorSeconds: floorSeconds.firstSeconds,
    reconnectWrites: reconnect.writes,
    reconnectReads: reconnect.reads,
    reconnectSeconds: reconnect.seconds,
    changed: changedCount,
    changeWrites: change.writes,
    changeSeconds: change.seconds,
    changeFloorSeconds: floorSeconds.changeSeconds,
    changeRatio: change.seconds / floorSeconds.changeSeconds,
  };
}

const sandbox = await startSandbox();
try {
  const client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-agent', onRequest: countRequest });
  for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
  await waitFor('CRDs served', () => client.list({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' }).then(() => true));
  const floorSeconds = await floor(client);
  const rows = [];
  for (const concurrency of concurrencies.length > 0 ? concurrencies : [8]) rows.push(await region(client, concurrency, floorSeconds));
  writeBenchTable({
    component: 'agent',
    title: `one region of ${clusterCount} clusters (each with its API-key Secret): first apply, reconnect with nothing changed, ${changedCount} clusters changed`,
    columns: [
      { key: 'clusters', header: 'clusters' },
      { key: 'concurrency', header: 'apply concurrency' },
      { key: 'firstSeconds', header: 'first apply (s)' },
      { key: 'firstWrites', header: 'first apply writes' },
      { key: 'firstFloorSeconds', header: 'first apply raw floor (s)' },
      { key: 'reconnectWrites', header: 'reconnect writes', target: '= 0' },
      { key: 'reconnectReads', header: 'reconnect reads' },
      { key: 'reconnectSeconds', header: 'reconnect (s)' },
      { key: 'changed', header: 'clusters changed' },
      { key: 'changeWrites', header: 'change writes' },
      { key: 'changeSeconds', header: 'change apply (s)' },
      { key: 'changeFloorSeconds', header: 'change raw floor (s)' },
      { key: 'changeRatio', header: 'change / floor', target: '≤ 2' },
    ],
    rows,
    context: { floor: 'the same objects server-side-applied one after the other, same sandbox, same run', installation: 'none in the namespace (not applied)' },
  });
} finally {
  await sandbox.stop();
}
