// The agent SIGKILLed while it applies a desired state of many clusters, then started again:
// it converges with every cluster the API acknowledged, none created twice or with another spec.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@qhc/kube-sandbox';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { lost, snapshot, waitConverged } from './support/clusters.ts';
import { startHybrid, type Hybrid } from './support/hybrid.ts';
import { recordResult } from './support/results.ts';

const CLUSTERS = 20;
const sandbox = useSandboxNamespace('fault-agent-kill');
let h: Hybrid;

beforeAll(async () => {
  h = await startHybrid(sandbox);
});
afterAll(async () => {
  await h?.stop();
});

describe('the agent killed mid-apply', () => {
  it('restarts and converges; nothing lost, nothing applied twice', async () => {
    const sizes = new Map<string, number>();
    for (let i = 0; i < CLUSTERS; i++) {
      sizes.set(await h.createCluster(`kill-${i}`, 1), 1);
    }
    // One cluster at a time: with the default 8 in flight all 20 could land before the kill,
    // leaving nothing half-done to recover from.
    const first = h.startAgent(undefined, ['--apply-concurrency', '1']);
    // Killed as soon as part of the desired state is in the region.
    let partial = 0;
    await waitFor(
      'the first clusters applied',
      async () => {
        partial = (await snapshot(h.client, sandbox.namespace)).clusters.size;
        return partial > 0 ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 10 },
    );
    await first.kill();
    const applied = (await snapshot(h.client, sandbox.namespace)).clusters;
    // Otherwise the kill came after the apply, and there was nothing half-done to recover from.
    expect(applied.size, 'clusters in the region when the agent was killed').toBeLessThan(CLUSTERS);
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
