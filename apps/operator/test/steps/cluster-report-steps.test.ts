import type { KubeObject } from '@qhc/kube';
import { describe, expect, it } from 'vitest';
import { decideNextPass } from '../../src/reconcile/cluster-report-steps.ts';
import { NODE_DETAILS_DELAY_MS, NODE_DETAILS_WRITES_PER_SECOND, nodeDetailsDelayMs } from '../../src/reconcile/cluster-status.ts';
import { NOW, clusterObject, pod } from './cluster-scenarios.ts';
import { passBefore } from './cluster-step-harness.ts';

describe('observeCluster and manageCluster', () => {
  it('observeCluster: what the status is derived from, with this pass deleting and clock', async () => {
    const { pass, step } = await passBefore('observeCluster', [clusterObject({})]);
    await step.run(pass);
    expect(pass.observed).toMatchObject({ now: NOW, deleting: [], operationTimeoutMs: pass.settings.settings.operationTimeout * 1000 });
    expect(pass.observed?.statefulSet).toBe(pass.appliedSts);
  });

  it('manageCluster: an unmanaged cluster makes no call', async () => {
    const { pass, kube, step } = await passBefore('manageCluster', [clusterObject({ clusterManager: false })]);
    await step.run(pass);
    expect(pass.manager).toBeUndefined();
    expect(kube.journal).toEqual([]);
  });

  it('manageCluster: a managed one is called and its next call is a pullInterval away', async () => {
    const { pass, kube, step } = await passBefore('manageCluster', [clusterObject({ clusterManager: true })]);
    await step.run(pass);
    expect(kube.journal).toEqual(['manage', 'event Normal ClusterManagerRebalanced']);
    expect(Date.parse(pass.manager!.nextClusterManagerInvocation)).toBe(NOW + pass.settings.settings.clusterManager.pullInterval * 1000);
  });
});

describe('writeStatus', () => {
  it('writes the status and records the phase change', async () => {
    const { pass, kube, step } = await passBefore('writeStatus', [clusterObject({})]);
    await step.run(pass);
    expect(pass.written?.phase).toBe('Creating');
    expect(kube.journal).toEqual(['applyStatus QdrantCluster qdrant-a', 'event Normal Creating']);
  });

  it('writes nothing when the status would not change', async () => {
    const first = await passBefore('writeStatus', [clusterObject({})]);
    await first.step.run(first.pass);
    const written = first.kube.find({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', namespace: 'qdrant', name: 'qdrant-a' })!;
    const second = await passBefore('writeStatus', [written]);
    await second.step.run(second.pass);
    expect(second.kube.journal).toEqual([]);
  });
});

describe("writeStatus: the nodes' details in a young phase in progress", () => {
  const REF = { apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', namespace: 'qdrant', name: 'qdrant-a' };
  const scheduled = { ...pod(0), status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] } } as KubeObject;
  /** A pass over a cluster Creating for `ageMs`, whose pod has appeared since its status was written (ready: before its StatefulSet says so). */
  const creatingFor = async (ageMs: number, node = scheduled, progressWrites?: Map<string, number>, inProgress?: number) => {
    const first = await passBefore('writeStatus', [clusterObject({})], (deps) => ({ ...deps, now: () => NOW - ageMs }));
    await first.step.run(first.pass);
    return passBefore('writeStatus', [first.kube.find(REF)!, node], (deps) => ({ ...deps, progressWrites, inProgress: () => inProgress ?? 0 }));
  };

  it('a change of the nodes alone waits, and the pass comes back when it is due', async () => {
    const { pass, kube, step } = await creatingFor(10_000);
    await step.run(pass);
    expect(kube.journal).toEqual([]);
    expect(pass.written).toMatchObject({ phase: 'Creating', detailsDueInMs: NODE_DETAILS_DELAY_MS - 10_000 });
    expect(await decideNextPass.run(pass)).toMatchObject({ kind: 'requeue', afterMs: NODE_DETAILS_DELAY_MS - 10_000 });
  });

  it('so does a count in the reason: the pod ready before its StatefulSet says so', async () => {
    const { pass, kube, step } = await creatingFor(10_000, pod(0));
    await step.run(pass);
    expect(pass.written).toMatchObject({ phase: 'Creating', reason: '1 of 1 nodes ready', detailsDueInMs: NODE_DETAILS_DELAY_MS - 10_000 });
    expect(kube.journal).toEqual([]);
  });

  it('is written once the phase has gone on for NODE_DETAILS_DELAY_MS', async () => {
    const { pass, kube, step } = await creatingFor(NODE_DETAILS_DELAY_MS);
    await step.run(pass);
    expect(kube.journal).toEqual(['applyStatus QdrantCluster qdrant-a']);
    expect(pass.written?.detailsDueInMs).toBeUndefined();
  });

  it('past that, at most once per NODE_DETAILS_DELAY_MS from the last write in the phase', async () => {
    const writes = new Map([['qdrant/qdrant-a', NOW - 10_000]]);
    const early = await creatingFor(2 * NODE_DETAILS_DELAY_MS, scheduled, writes);
    await early.step.run(early.pass);
    expect(early.kube.journal).toEqual([]);
    expect(early.pass.written?.detailsDueInMs).toBe(NODE_DETAILS_DELAY_MS - 10_000);
    writes.set('qdrant/qdrant-a', NOW - NODE_DETAILS_DELAY_MS);
    const due = await creatingFor(2 * NODE_DETAILS_DELAY_MS, scheduled, writes);
    await due.step.run(due.pass);
    expect(due.kube.journal).toEqual(['applyStatus QdrantCluster qdrant-a']);
    expect(writes.get('qdrant/qdrant-a')).toBe(NOW);
  });

  it('waits longer with more clusters in progress: about NODE_DETAILS_WRITES_PER_SECOND in all', async () => {
    expect(nodeDetailsDelayMs(0)).toBe(NODE_DETAILS_DELAY_MS);
    expect(nodeDetailsDelayMs(3000)).toBe((3000 / NODE_DETAILS_WRITES_PER_SECOND) * 1000);
    // Enough clusters in progress for twice the delay: a change due after NODE_DETAILS_DELAY_MS alone waits as long again.
    const inProgress = 2 * (NODE_DETAILS_DELAY_MS / 1000) * NODE_DETAILS_WRITES_PER_SECOND;
    const { pass, kube, step } = await creatingFor(NODE_DETAILS_DELAY_MS, scheduled, undefined, inProgress);
    await step.run(pass);
    expect(kube.journal).toEqual([]);
    expect(pass.written?.detailsDueInMs).toBe(NODE_DETAILS_DELAY_MS);
    const later = await creatingFor(2 * NODE_DETAILS_DELAY_MS, scheduled, undefined, inProgress);
    await later.step.run(later.pass);
    expect(later.kube.journal).toEqual(['applyStatus QdrantCluster qdrant-a']);
  });
});

const decide = async (setup: (pass: Awaited<ReturnType<typeof passBefore>>['pass']) => void) => {
  const { pass, step } = await passBefore('decideNextPass', [clusterObject({})]);
  setup(pass);
  return step.run(pass);
};

describe('decideNextPass', () => {
  it('a recorded retryable failure becomes a retry, after the status was written', async () => {
    expect(await decide((p) => (p.failure = { reason: 'DrainFailed', message: 'x', retry: true }))).toEqual({ kind: 'retry', reason: 'DrainFailed: x' });
  });

  it('an overrun operation is retried', async () => {
    expect(await decide((p) => (p.written = { phase: 'FailedToUpdate', reason: 'OperationTimeout: Updating' }))).toMatchObject({ kind: 'retry' });
  });

  it('a converging cluster waits for events, and comes back on its own when its operation would time out', async () => {
    const { pass, step } = await passBefore('decideNextPass', [clusterObject({})]);
    const timeoutMs = pass.settings.settings.operationTimeout * 1000;
    expect(await step.run(pass)).toMatchObject({ kind: 'requeue', afterMs: timeoutMs + 1_000 });
  });

  it('a drain or a restart in progress (no watch event reports them) comes back after progressRequeueMs', async () => {
    expect(await decide((p) => (p.busy = true))).toMatchObject({ kind: 'requeue', afterMs: 5_000 });
    expect(await decide((p) => (p.restarting = true))).toMatchObject({ kind: 'requeue', afterMs: 5_000 });
    // A scale-down that removed a node and has more to remove: one node per pass.
    expect(await decide((p) => (p.desiredSts = { ...p.desiredSts!, spec: { replicas: p.cluster!.spec.size + 1 } }))).toMatchObject({
      kind: 'requeue',
      afterMs: 5_000,
    });
  });

  it('a suspension whose pods are still going comes back after progressRequeueMs (their StatefulSet, which leads their events to the cluster, is gone)', async () => {
    expect(await decide((p) => (p.written = { phase: 'Suspending', reason: 'removing everything but the volumes' }))).toMatchObject({
      kind: 'requeue',
      afterMs: 5_000,
    });
  });

  it('a settled cluster stops, or comes back for the cluster manager', async () => {
    expect(await decide((p) => (p.written = { phase: 'Healthy', reason: '1 of 1 nodes ready' }))).toEqual({ kind: 'stop' });
    const next = new Date(NOW + 30_000).toISOString();
    const manager = { clusterManagerResponse: { status: 'Skipped', description: '' }, nextClusterManagerInvocation: next };
    expect(await decide((p) => ((p.written = { phase: 'Healthy', reason: '' }), (p.manager = manager)))).toMatchObject({ kind: 'requeue', afterMs: 30_000 });
  });

  it('a Healthy cluster still expanding its volumes is not settled', async () => {
    const expanding = { condition: { type: 'StorageResize', status: 'False' as const, reason: 'Expanding', message: '' }, expanded: [] };
    expect(await decide((p) => ((p.written = { phase: 'Healthy', reason: '' }), (p.storage = expanding)))).toMatchObject({ kind: 'requeue' });
  });
});
