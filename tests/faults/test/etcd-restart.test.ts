// etcd restarted (same data, same port) while clusters reconcile: the apiserver, still running,
// loses its storage for a few seconds and reconnects; afterwards every cluster the apiserver acknowledged is Healthy with
// one StatefulSet, each written once (generation 1: no second apply with another result).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { waitFor } from '@qhc/kube-sandbox';
import { createKubeClient, loadKubeConfig, type KubeClient } from '@qhc/kube';
import type { RunningOperator } from '@qhc/operator';
import { clusterObject, installCrds, lost, snapshot, startTestOperator, waitConverged } from './support/clusters.ts';
import { recordResult } from './support/results.ts';

const CLUSTERS = 10;
const sandbox = useSandboxNamespace('fault-etcd');
let client: KubeClient;
let operator: RunningOperator | undefined;

beforeAll(async () => {
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-faults' });
  await installCrds(client, sandbox.namespace);
  operator = await startTestOperator(sandbox.kubeconfigPath, sandbox.namespace, { leaderElection: false });
});
afterAll(async () => {
  await operator?.stop();
});

describe('etcd restarted', () => {
  it(`while ${CLUSTERS} clusters reconcile: all converge, nothing lost, nothing written twice`, async () => {
    const sizes = new Map<string, number>();
    await Promise.all(Array.from({ length: CLUSTERS }, async (_, i) => {
      const id = `etcd-${i}`;
      await client.apply(clusterObject(sandbox.namespace, id, 1 + (i % 2)));
      sizes.set(id, 1 + (i % 2));
    }));
    // Mid-reconcile: some StatefulSets written, not all clusters Healthy.
    await waitFor('the operator part-way through', async () => {
      const s = await snapshot(client, sandbox.namespace);
      const healthy = [...s.clusters.values()].filter((c) => c.status?.phase === 'Healthy').length;
      return s.statefulSets.size > 0 && healthy < CLUSTERS ? true : undefined;
    }, { timeoutMs: 30_000, intervalMs: 50 });
    await sandbox.restartEtcd();
    const restartedAt = Date.now();

    const { at, last } = await waitConverged(client, sandbox.namespace, sizes, 120_000);
    const recoverMs = at - restartedAt;
    expect(last.clusters.size).toBe(CLUSTERS);
    for (const [id, sets] of last.statefulSets) {
      expect(sets, id).toHaveLength(1);
      expect(sets[0]!.metadata.generation, `${id}: StatefulSet written with another spec`).toBe(1);
    }
    for (const c of last.clusters.values()) expect(c.metadata.generation).toBe(1);
    recordResult('2-etcd-restart', {
      fault: `etcd restarted while ${CLUSTERS} clusters reconcile`,
      checked: `${CLUSTERS} clusters Healthy at their size; 1 StatefulSet each, generation 1`,
      recoverMs,
      dataLost: lost(last, sizes),
    });
  });
});
