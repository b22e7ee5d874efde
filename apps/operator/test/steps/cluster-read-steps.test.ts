import { ANNOTATION_VOLUME_RETENTION, defaultOperatorSettings } from '@qhc/schemas';
import { describe, expect, it } from 'vitest';
import { CLUSTER_STEPS, FINALIZER } from '../../src/reconcile/cluster.ts';
import { newClusterPass, type ClusterReconcilerDeps } from '../../src/reconcile/cluster-pass.ts';
import { runSteps } from '../../src/reconcile/steps.ts';
import { NOW, clusterDeps, clusterObject } from './cluster-scenarios.ts';
import { passBefore } from './cluster-step-harness.ts';
import { FakeKube } from './fake-kube.ts';

const legacy = { metadata: { finalizers: [FINALIZER] } };

describe('readCluster and releaseDeleted', () => {
  it('readCluster: a cluster that is gone ends the pass', async () => {
    const { pass, step } = await passBefore('readCluster', []);
    expect(await step.run(pass)).toEqual({ kind: 'stop' });
  });

  it("releaseDeleted: a deleted cluster loses an earlier version's finalizer and the pass ends", async () => {
    const { pass, kube, step } = await passBefore('releaseDeleted', [clusterObject({}, { metadata: { ...legacy.metadata, deletionTimestamp: 'x' } })]);
    expect(await step.run(pass)).toEqual({ kind: 'stop' });
    expect(kube.journal).toEqual(['patch QdrantCluster qdrant-a']);
  });

  it('releaseDeleted: a deleted cluster without it ends the pass without a request', async () => {
    const { pass, kube, step } = await passBefore('releaseDeleted', [clusterObject({}, { metadata: { deletionTimestamp: 'x' } })]);
    expect(await step.run(pass)).toEqual({ kind: 'stop' });
    expect(kube.journal).toEqual([]);
  });

  it('releaseDeleted: a live cluster goes on without a request', async () => {
    const { pass, kube, step } = await passBefore('releaseDeleted', [clusterObject({})]);
    expect(await step.run(pass)).toEqual({ kind: 'continue' });
    expect(kube.journal).toEqual([]);
  });
});

describe('validateSpec and adoptCluster', () => {
  it('validateSpec: an invalid spec is written to the status, with an event, and ends the pass', async () => {
    const { pass, kube, step } = await passBefore('validateSpec', [clusterObject({ size: -1 })]);
    expect(await step.run(pass)).toEqual({ kind: 'stop' });
    expect(kube.journal).toEqual(['applyStatus QdrantCluster qdrant-a', 'event Warning FailedToCreate', 'event Warning InvalidSpec']);
  });

  it('adoptCluster: a new cluster is taken in hand without a request (no finalizer)', async () => {
    const { pass, kube, step } = await passBefore('adoptCluster', [clusterObject({})]);
    await step.run(pass);
    expect(kube.journal).toEqual(['cache.list PersistentVolumeClaim']);
    expect(pass.object?.metadata.finalizers).toBeUndefined();
  });

  it("adoptCluster: removes an earlier version's finalizer, keeps another's and the resourceVersion it got back", async () => {
    const { pass, kube, step } = await passBefore('adoptCluster', [clusterObject({}, { metadata: { finalizers: ['example.com/keep', FINALIZER] } })]);
    await step.run(pass);
    expect(kube.journal).toEqual(['patch QdrantCluster qdrant-a', 'cache.list PersistentVolumeClaim']);
    expect(pass.object?.metadata.finalizers).toEqual(['example.com/keep']);
    expect(pass.cluster?.metadata.resourceVersion).toBe(kube.find({ ...pass.object!, ...pass.object!.metadata })?.metadata.resourceVersion);
  });

  it("adoptCluster: a cluster written meanwhile keeps an earlier version's finalizer for a later pass, and the pass goes on", async () => {
    const { pass, kube, step } = await passBefore('adoptCluster', [clusterObject({}, legacy)]);
    kube.put(kube.find({ ...pass.object!, ...pass.object!.metadata })!);
    expect(await step.run(pass)).toEqual({ kind: 'continue' });
    expect(kube.journal).toEqual(['patch QdrantCluster qdrant-a', 'cache.list PersistentVolumeClaim']);
    expect(pass.object?.metadata.finalizers).toEqual([FINALIZER]);
  });

  it("adoptCluster: a cluster gone while its earlier version's finalizer is removed ends the pass", async () => {
    const { pass, kube, step } = await passBefore('adoptCluster', [clusterObject({}, legacy)]);
    await kube.client.delete({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', namespace: 'qdrant', name: 'qdrant-a' });
    kube.journal.length = 0;
    expect(await step.run(pass)).toEqual({ kind: 'stop' });
    expect(kube.journal).toEqual(['patch QdrantCluster qdrant-a']);
  });

  it('adoptCluster: the drain/restart deadline is 0.8 handlerTimeout away, unless the operation ends sooner', async () => {
    const defaults = defaultOperatorSettings();
    const settings = { ...defaults, settings: { ...defaults.settings, handlerTimeout: 60 } };
    const withSettings = (deps: ClusterReconcilerDeps) => ({ ...deps, settings: () => settings });
    const fresh = await passBefore('adoptCluster', [clusterObject({})], withSettings);
    await fresh.step.run(fresh.pass);
    expect(fresh.pass.deadline).toBe(NOW + 48_000);
    const since = NOW - defaults.settings.operationTimeout * 1000 + 5_000;
    const progressing = {
      phase: 'Updating',
      conditions: [{ type: 'Progressing', status: 'True', reason: 'Updating', message: '', lastTransitionTime: new Date(since).toISOString() }],
    };
    const late = await passBefore('adoptCluster', [clusterObject({}, { status: progressing })], withSettings);
    await late.step.run(late.pass);
    expect(late.pass.deadline).toBe(NOW + 5_000);
  });

  it('reads the settings once per pass, however many steps use them', async () => {
    const kube = new FakeKube([clusterObject({ clusterManager: true })]);
    let reads = 0;
    const deps = { ...clusterDeps(kube), settings: () => (reads++, defaultOperatorSettings()) };
    await runSteps(CLUSTER_STEPS, newClusterPass(deps, 'qdrant', 'qdrant-a'));
    expect(reads).toBe(1);
  });
});

describe('buildDesired', () => {
  it('builds the objects and pins nothing without a live StatefulSet', async () => {
    const { pass, kube, step } = await passBefore('buildDesired', [clusterObject({})]);
    await step.run(pass);
    expect(pass.desiredSts?.metadata.name).toBe('qdrant-a');
    expect(pass.live).toBeUndefined();
    expect(kube.journal).toEqual(['cache.get StatefulSet qdrant-a']);
  });

  it('a paused cluster gets nothing built', async () => {
    const { pass, step } = await passBefore('buildDesired', [clusterObject({ pauses: [{ owner: 'ops' }] })]);
    await step.run(pass);
    expect(pass.desired).toBeUndefined();
  });

  it('a spec the builders refuse is a failure that is not retried', async () => {
    const { pass, kube, step } = await passBefore('buildDesired', [
      clusterObject({}, { metadata: { annotations: { [ANNOTATION_VOLUME_RETENTION]: 'Maybe' } } }),
    ]);
    expect(await step.run(pass)).toEqual({ kind: 'continue' });
    expect(pass.failure?.reason).toBe('InvalidCombination');
    expect(pass.failure?.retry).toBeUndefined();
    expect(kube.journal).toEqual(['event Warning InvalidCombination']);
  });
});
