import { describe, expect, it } from 'vitest';
import { SCENARIOS, formatOutcome, goldenPath, runScenario } from './cluster-scenarios.ts';

// Whole cluster passes over the fake apiserver. The golden files hold every read and write
// in order (the mutation test in cluster-steps-order.test.ts holds a changed step list to
// them); the assertions next to them state what each scenario is about.

describe('cluster pass scenarios: golden journals', () => {
  for (const name of Object.keys(SCENARIOS)) {
    it(`${name}: reads and writes what its golden file lists`, async () => {
      await expect(formatOutcome(await runScenario(name))).toMatchFileSnapshot(goldenPath(name));
    });
  }
});

describe('cluster pass scenarios: what each one is about', () => {
  it('new cluster: objects applied first, no finalizer, Creating, back on its own only when the operation would time out', async () => {
    const outcome = await runScenario('new cluster');
    expect(outcome.journal[0]).toBe('cache.get QdrantCluster qdrant-a');
    expect(outcome.journal.filter((line) => line.startsWith('patch QdrantCluster'))).toEqual([]);
    expect(outcome.finalizers).toBeUndefined();
    expect(outcome.journal).toContain('apply StatefulSet qdrant-a');
    expect(outcome.phase).toBe('Creating');
    expect(outcome.result).toEqual({ requeueAfterMs: 7_200_000 + 1_000 });
  });

  it('scale-down: marked, drained, lowered, then applied; the leftover pruned after the apply', async () => {
    const { journal, statefulSetReplicas, phase } = await runScenario('scale-down');
    expect(journal.indexOf('applyStatus QdrantCluster qdrant-a')).toBeLessThan(journal.indexOf('drain 1'));
    expect(journal.indexOf('drain 1')).toBeLessThan(journal.indexOf('apply StatefulSet qdrant-a'));
    expect(journal.indexOf('apply StatefulSet qdrant-a')).toBeLessThan(journal.indexOf('delete ConfigMap qdrant-a-old'));
    expect(journal).toContain('delete Pod qdrant-a-0');
    expect(journal).toContain('patch PersistentVolumeClaim qdrant-storage-qdrant-a-0');
    expect(statefulSetReplicas).toBe(1);
    expect(phase).toBe('Scaling');
  });

  it('guarded restart: the copies are prepared before the pod goes, and the manager is told a restart is on', async () => {
    const { journal, result } = await runScenario('guarded restart');
    expect(journal.indexOf('prepare 1')).toBeLessThan(journal.indexOf('delete Pod qdrant-a-1'));
    expect(journal.indexOf('delete Pod qdrant-a-1')).toBeLessThan(journal.indexOf('manage'));
    expect(result).toEqual({ requeueAfterMs: 5_000 });
  });

  it('guarded restart with copies: the copies are in the status before the pod goes, and stay in the last write', async () => {
    const { journal, statuses } = await runScenario('guarded restart with copies');
    const copies = [{ collection: 'docs', shardId: 0, peerId: 1000, standsInFor: 1001, node: 1 }];
    expect(journal.indexOf('prepare 1')).toBeLessThan(journal.indexOf('applyStatus QdrantCluster qdrant-a'));
    expect(journal.indexOf('applyStatus QdrantCluster qdrant-a')).toBeLessThan(journal.indexOf('delete Pod qdrant-a-1'));
    expect(statuses.map((s) => (s.status as { temporaryReplicas?: unknown }).temporaryReplicas)).toEqual([copies, copies]);
  });

  it("deleted invalid cluster: an earlier version's finalizer is removed, nothing else is written", async () => {
    const outcome = await runScenario('deleted invalid cluster');
    expect(outcome.journal).toEqual(['cache.get QdrantCluster qdrant-a', 'patch QdrantCluster qdrant-a']);
    expect(outcome.finalizers).toEqual([]);
    expect(outcome.result).toBeUndefined();
  });

  it('invalid spec: reported in the status and an event, no finalizer', async () => {
    const outcome = await runScenario('invalid spec');
    expect(outcome.journal).toContain('event Warning InvalidSpec');
    expect(outcome.phase).toBe('FailedToCreate');
    expect(outcome.finalizers).toBeUndefined();
    expect(outcome.result).toBeUndefined();
  });
});
