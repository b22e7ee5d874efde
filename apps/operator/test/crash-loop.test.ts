import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@qhc/kube-sandbox';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { QDRANT_API_VERSION, allKinds, buildCrd, clusterResourceName, type QdrantCluster } from '@qhc/schemas';
import { qdrantClusterFixture } from '@qhc/schemas/test';
import { joinPodsAsPeers, peerUri, startQdrantDouble, type ClusterSimulation, type QdrantDouble } from '@qhc/qdrant-double';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The operator process is SIGKILLed at random points while clusters are created, scaled and
// upgraded; after the last kill a fresh process must bring every cluster to the same end state.

const sandbox = useSandboxNamespace('crash');
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let client: KubeClient;
let settingsPath: string;
let double: QdrantDouble;
const sims = new Map<string, ClusterSimulation>();

type Cluster = KubeObject & Pick<QdrantCluster, 'status'>;
const ids = ['k1', 'k2', 'k3'];
const ref = (id: string) => ({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster', namespace: sandbox.namespace, name: clusterResourceName(id) });
const cluster = (id: string, size: number, version: string): KubeObject => qdrantClusterFixture(id, { version, size }, { namespace: sandbox.namespace });

function startOperatorProcess(): { child: ChildProcess; started: Promise<void> } {
  const args = [
    '--settings',
    settingsPath,
    '--kubeconfig',
    sandbox.kubeconfigPath,
    '--namespace',
    sandbox.namespace,
    '--port',
    '0',
    '--no-leader-elect',
    '--qdrant-url',
    `${double.url}/{namespace}%2F{name}/{node}`,
  ];
  const child = spawn(process.execPath, [main, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, QHC_LOG_LEVEL: 'info', QHC_OPERATOR_BIND: '127.0.0.1' },
  });
  // "operator started" is logged once its caches are synced and it reconciles: the random
  // kill delay counts from there, so kills land inside the work whatever the machine's load.
  const started = new Promise<void>((resolve) => {
    let buffer = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      if (buffer.includes('"msg":"operator started"')) resolve();
    });
    child.once('exit', () => resolve());
  });
  return { child, started };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-test' });
  for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
  await waitFor('CRDs served', () => client.list({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' }, { namespace: sandbox.namespace }).then(() => true));
  const dir = mkdtempSync(join(tmpdir(), 'qhc-crash-'));
  settingsPath = join(dir, 'settings.yaml');
  writeFileSync(settingsPath, 'settings:\n  app_environment: local\n  backOff:\n    minDelay: 1\n    maxDelay: 2\n    increment: 1\n');
  // Qdrant for the scale-downs' drains: the pods' peers, with data on the first node that
  // spreads as the drains move it (transfers take 100 ms, so kills land in them too).
  double = await startQdrantDouble();
  for (const id of ids) {
    const sim = double.cluster(`${sandbox.namespace}/qdrant-${id}`, peerUri(sandbox.namespace, id));
    sim.transfer.durationMs = 100;
    sims.set(id, sim);
  }
  double.onRequest = async (call) => {
    const id = /\/qdrant-(.+)$/.exec(call.cluster)?.[1];
    const sim = id ? sims.get(id) : undefined;
    if (!id || !sim) return;
    await joinPodsAsPeers(client, sandbox.namespace, id, sim);
    if (sim.collections.size === 0 && sim.peers.size > 0) sim.addCollection('docs', { shards: 6 });
  };
});
afterAll(async () => {
  await double?.close();
});

describe('an operator killed at random points', () => {
  it('converges every cluster to the same end state after 20 kills', async () => {
    // A seeded sequence: the same kills and changes on every run.
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const versions = ['v1.11.3', 'v1.12.4', 'v1.13.0'];
    const want = new Map<string, { size: number; version: string }>();

    for (let round = 0; round < 20; round++) {
      const id = ids[round % ids.length]!;
      const next = { size: 1 + Math.floor(random() * 4), version: versions[Math.floor(random() * versions.length)]! };
      want.set(id, next);
      await client.apply(cluster(id, next.size, next.version));
      const { child, started } = startOperatorProcess();
      await started;
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 1500)));
      await kill(child);
    }

    // The killed processes did get work done (a pass's first write is the cluster's ConfigMap):
    // the test is about resuming interrupted work, not about starting.
    const applied = await Promise.all(ids.map((id) => client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: sandbox.namespace, name: `qdrant-${id}` })));
    expect(applied.filter(Boolean).length).toBeGreaterThan(0);

    const { child: final } = startOperatorProcess();
    try {
      for (const [id, { size, version }] of want) {
        const done = await waitFor(
          `qdrant-${id} to converge`,
          async () => {
            const c = await client.get<Cluster>(ref(id));
            const sts = await client.get<KubeObject & { spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } } }>({
              apiVersion: 'apps/v1',
              kind: 'StatefulSet',
              namespace: sandbox.namespace,
              name: `qdrant-${id}`,
            });
            const converged =
              c?.status?.phase === 'Healthy' &&
              c.status.availableNodes === size &&
              sts?.spec.replicas === size &&
              sts.spec.template.spec.containers[0]?.image === `qdrant/qdrant:${version}`;
            return converged ? c : undefined;
          },
          { timeoutMs: 90_000, intervalMs: 250 },
        );
        expect(done.status?.currentNodes).toBe(size);
        // Nothing holds a cluster back from its deletion (owner references do the rest).
        expect(done.metadata.finalizers).toBeUndefined();
        expect(done.status?.deleteInProgressNodeIndexes).toBeUndefined();
        // Whatever the kills interrupted, no shard was lost and none is left on a removed peer.
        const sim = sims.get(id)!;
        for (const shard of sim.collections.get('docs')?.shards ?? []) {
          expect(shard.replicas.length).toBeGreaterThanOrEqual(1);
          for (const replica of shard.replicas) expect(sim.peers.get(replica.peerId)?.node).toBeLessThan(size);
        }
      }
    } finally {
      await kill(final);
    }
  }, 300_000);
});
