// One shape for "a control-plane component restarts while clusters reconcile": the operator's
// watches and requests fail for a few seconds; afterwards every cluster the apiserver
// acknowledged is Healthy with one StatefulSet, each written once (generation 1: no second
// apply with another result).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { waitFor } from '@qhc/kube-sandbox';
import { createKubeClient, loadKubeConfig, type KubeClient } from '@qhc/kube';
import type { RunningOperator } from '@qhc/operator';
import { clusterObject, installCrds, lost, snapshot, startTestOperator, waitConverged } from './clusters.ts';
import { recordResult } from './results.ts';

export interface RestartFault {
  /** What restarts, in words: "kube-apiserver", "etcd". */
  component: string;
  /** Namespace prefix and cluster id prefix. */
  prefix: string;
  clusters: number;
  result: string;
  restart(sandbox: ReturnType<typeof useSandboxNamespace>): Promise<void>;
}

export function restartWhileReconciling(fault: RestartFault): void {
  const sandbox = useSandboxNamespace(`fault-${fault.prefix}`);
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

  describe(`${fault.component} restarted`, () => {
    it(`while ${fault.clusters} clusters reconcile: all converge, nothing lost, nothing written twice`, async () => {
      const sizes = await createClusters(client, sandbox.namespace, fault.prefix, fault.clusters);
      // Mid-reconcile: some StatefulSets written, not all clusters Healthy.
      await waitFor(
        'the operator part-way through',
        async () => {
          const s = await snapshot(client, sandbox.namespace);
          const healthy = [...s.clusters.values()].filter((c) => c.status?.phase === 'Healthy').length;
          return s.statefulSets.size > 0 && healthy < fault.clusters ? true : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 50 },
      );
      await fault.restart(sandbox);
      const restartedAt = Date.now();

      const { at, last } = await waitConverged(client, sandbox.namespace, sizes, 120_000);
      expect(last.clusters.size).toBe(fault.clusters);
      for (const [id, sets] of last.statefulSets) {
        expect(sets, id).toHaveLength(1);
        expect(sets[0]!.metadata.generation, `${id}: StatefulSet written with another spec`).toBe(1);
      }
      for (const c of last.clusters.values()) expect(c.metadata.generation).toBe(1);
      recordResult(fault.result, {
        fault: `${fault.component} restarted while ${fault.clusters} clusters reconcile`,
        checked: `${fault.clusters} clusters Healthy at their size; 1 StatefulSet each, generation 1`,
        recoverMs: at - restartedAt,
        dataLost: lost(last, sizes),
      });
    });
  });
}

async function createClusters(client: KubeClient, namespace: string, prefix: string, count: number): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const id = `${prefix}-${i}`;
      await client.apply(clusterObject(namespace, id, 1 + (i % 2)));
      sizes.set(id, 1 + (i % 2));
    }),
  );
  return sizes;
}
