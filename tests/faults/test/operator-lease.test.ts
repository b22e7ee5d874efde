// The operator's lease lost to a network stall: replica A reaches the apiserver through a
// proxy that black-holes; replica B, connected directly, takes the Lease once it expires. Changes
// made during the stall are reconciled by B; after the stall exactly one replica leads and no
// cluster was written with two different results.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@qhc/kube-sandbox';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, loadKubeConfig, type KubeClient } from '@qhc/kube';
import type { RunningOperator } from '@qhc/operator';
import { clusterObject, clusterRef, installCrds, lost, startTestOperator, waitConverged } from './support/clusters.ts';
import { recordResult } from './support/results.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

const TIMING = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 250 };
const sandbox = useSandboxNamespace('fault-lease');
let client: KubeClient;
let proxy: TcpProxy;
const operators: RunningOperator[] = [];

beforeAll(async () => {
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-faults' });
  await installCrds(client, sandbox.namespace);
  proxy = await startTcpProxy(Number(new URL(sandbox.server).port));
});
afterAll(async () => {
  for (const operator of operators) await operator.stop({ release: false });
  await proxy?.close();
});

/** The admin kubeconfig, with the apiserver reached through the proxy (same certificate: 127.0.0.1). */
function proxiedKubeconfig(): string {
  const text = readFileSync(sandbox.kubeconfigPath, 'utf8').replaceAll(sandbox.server, `https://127.0.0.1:${proxy.port}`);
  const file = join(mkdtempSync(join(tmpdir(), 'qhc-faults-kc-')), 'kubeconfig');
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

describe("the operator's lease lost to a network stall", () => {
  it('the other replica takes over; one leader after the stall; clusters converge once', async () => {
    const a = await startTestOperator(proxiedKubeconfig(), sandbox.namespace, { leaderElection: TIMING });
    operators.push(a);
    await waitFor('A leading', async () => (a.isLeader() ? true : undefined), { timeoutMs: 15_000 });
    const b = await startTestOperator(sandbox.kubeconfigPath, sandbox.namespace, { leaderElection: TIMING });
    operators.push(b);

    const sizes = new Map<string, number>();
    for (let i = 0; i < 5; i++) {
      await client.apply(clusterObject(sandbox.namespace, `lease-${i}`, 1));
      sizes.set(`lease-${i}`, 1);
    }
    await waitConverged(client, sandbox.namespace, sizes, 60_000);

    // The fault is only exercised if A leads when the network stalls.
    expect(a.isLeader()).toBe(true);
    // Both replicas run in this process: sampling them shows any moment both believe they lead.
    const samples = { taken: 0, overlaps: 0 };
    const sampler = setInterval(() => {
      samples.taken++;
      if (a.isLeader() && b.isLeader()) samples.overlaps++;
    }, 10);
    proxy.blackhole();
    const stalledAt = Date.now();
    // Changes while A is cut off: B must make them happen.
    for (const i of [0, 1]) {
      await client.patch(clusterRef(sandbox.namespace, `lease-${i}`), { spec: { size: 2 } });
      sizes.set(`lease-${i}`, 2);
    }
    await client.apply(clusterObject(sandbox.namespace, 'lease-new', 1));
    sizes.set('lease-new', 1);
    await waitFor('B leading', async () => (b.isLeader() ? true : undefined), { timeoutMs: 20_000 });
    const takeoverMs = Date.now() - stalledAt;
    // A must have given up by now: its renewals cannot have succeeded for longer than the deadline.
    await waitFor('A no longer leading', async () => (a.isLeader() ? undefined : true), { timeoutMs: TIMING.leaseDurationMs });
    proxy.restore();
    const restoredAt = Date.now();
    clearInterval(sampler);
    // The sampler ran through the stall and the takeover: no overlap is not a sampler that never fired.
    expect(samples.taken).toBeGreaterThan(10);
    expect(samples.overlaps, 'samples in which A and B both led').toBe(0);

    const { at, last } = await waitConverged(client, sandbox.namespace, sizes, 60_000);
    expect([a.isLeader(), b.isLeader()]).toEqual([false, true]);
    for (const [id, c] of last.clusters) expect(c.metadata.generation, id).toBe(sizes.get(id) === 2 ? 2 : 1);
    for (const [id, sets] of last.statefulSets)
      expect(
        sets.map((s) => s.metadata.generation),
        id,
      ).toEqual([sizes.get(id) === 2 ? 2 : 1]);
    recordResult('5-operator-lease', {
      fault: `operator lease lost to a network stall (taken over in ${takeoverMs} ms)`,
      checked: 'one leader after; resize and create made during the stall converged; StatefulSet written once per spec',
      recoverMs: at - restoredAt,
      dataLost: lost(last, sizes),
    });
  }, 180_000);
});
