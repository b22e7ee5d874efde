// The agent SIGKILLed while it applies a desired state of many clusters, then started again:
// it converges with every cluster the API acknowledged, none created twice or with another spec.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@qhc/kube-sandbox';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { holdClusterCreation, type AdmissionHold } from './support/admission-hold.ts';
import { lost, snapshot, waitConverged } from './support/clusters.ts';
import { startHybrid, type Hybrid } from './support/hybrid.ts';
import { recordResult } from './support/results.ts';

const CLUSTERS = 20;
/** Clusters the admission hold lets in before the kill. */
const ADMITTED = 5;
const sandbox = useSandboxNamespace('fault-agent-kill');
let h: Hybrid;
let hold: AdmissionHold | undefined;

beforeAll(async () => {
  h = await startHybrid(sandbox);
});
afterAll(async () => {
  // Cluster-scoped: the namespace's deletion would leave it behind.
  try {
    await hold?.release();
  } finally {
    await h?.stop();
  }
});

describe('the agent killed mid-apply', () => {
  it('restarts and converges; nothing lost, nothing applied twice', async () => {
    const sizes = new Map<string, number>();
    for (let i = 0; i < CLUSTERS; i++) {
      sizes.set(await h.createCluster(`kill-${i}`, 1), 1);
    }
    // Part of the desired state let in, the rest refused (the agent retries it) until the kill:
    // the agent is killed with an apply half-done, however fast it applies.
    const admitted = [...sizes.keys()].slice(0, ADMITTED);
    hold = await holdClusterCreation(h.client, sandbox.namespace, admitted);
    const first = h.startAgent();
    await first.waitForLog('an apply refused by the hold', /held back by the test/);
    await waitFor('the admitted clusters applied', async () => ((await snapshot(h.client, sandbox.namespace)).clusters.size >= ADMITTED ? true : undefined), {
      timeoutMs: 60_000,
    });
    await first.kill();
    await hold.release();
    const applied = (await snapshot(h.client, sandbox.namespace)).clusters;
    expect([...applied.keys()].toSorted(), 'clusters in the region when the agent was killed').toEqual(admitted.toSorted());
    const uids = new Map([...applied].map(([id, c]) => [id, c.metadata.uid]));

    const second = h.startAgent();
    const restartedAt = Date.now();
    const { at, last } = await waitConverged(h.client, sandbox.namespace, sizes, 90_000);
    await second.waitForLog('an apply after the restart', /"msg":"desired state applied"/);
    await h.waitApiHealthy([...sizes.keys()], 60_000);
    for (const [id, uid] of uids) expect(last.clusters.get(id)?.metadata.uid, `${id} recreated`).toBe(uid);
    for (const [id, c] of last.clusters) expect(c.metadata.generation, id).toBe(1);
    for (const [id, sets] of last.statefulSets)
      expect(
        sets.map((s) => s.metadata.generation),
        id,
      ).toEqual([1]);
    expect(last.clusters.size).toBe(CLUSTERS);
    recordResult('4-agent-kill', {
      fault: `agent SIGKILLed mid-apply (${applied.size}/${CLUSTERS} clusters in), restarted`,
      checked: `${CLUSTERS} clusters Healthy in region and API; same UIDs; generation 1 each`,
      recoverMs: at - restartedAt,
      dataLost: lost(last, sizes),
    });
  }, 240_000);
});
