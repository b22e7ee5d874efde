import { ANNOTATION_RECREATE_NODE } from '@qhc/schemas';
import type { KubeObject } from '@qhc/kube';
import { describe, expect, it } from 'vitest';
import type { ClusterReconcilerDeps } from '../../src/reconcile/cluster-pass.ts';
import {
  PREPARED,
  clusterObject,
  expandable,
  fakeManager,
  healthyStatus,
  leftover,
  liveStatefulSet,
  pod,
  runScenario,
  smallClaim,
} from './cluster-scenarios.ts';
import type { FakeKube } from './fake-kube.ts';
import { passBefore } from './cluster-step-harness.ts';

const settled = { status: healthyStatus(2) };
const failingDrain = (deps: ClusterReconcilerDeps): ClusterReconcilerDeps => ({
  ...deps,
  clusterManager: { ...deps.clusterManager!, drainer: async () => ({ ok: false, reason: 'DrainTimeout', message: 'shards still moving' }) },
});

describe('scaleDown', () => {
  it('marks the node, drains it and lowers the StatefulSet by one', async () => {
    const { pass, kube, step } = await passBefore('scaleDown', [clusterObject({ clusterManager: true }, settled), liveStatefulSet(2), pod(0), pod(1)]);
    await step.run(pass);
    expect(pass.desiredSts?.spec.replicas).toBe(1);
    expect(pass.deleting).toEqual([1]);
    expect(pass.busy).toBe(true);
    expect(pass.cluster?.status?.deleteInProgressNodeIndexes).toEqual([1]);
    expect(kube.journal.filter((j) => !j.startsWith('list'))).toEqual([
      'applyStatus QdrantCluster qdrant-a',
      'event Normal Scaling',
      'drain 1',
      'event Normal NodeRemoved',
    ]);
  });

  it('a failed drain keeps the replicas and is recorded as a failure to retry', async () => {
    const objects = [clusterObject({ clusterManager: true }, settled), liveStatefulSet(2), pod(0), pod(1)];
    const { pass, kube, step } = await passBefore('scaleDown', objects, failingDrain);
    await step.run(pass);
    expect(pass.desiredSts?.spec.replicas).toBe(2);
    expect(pass.failure).toMatchObject({ reason: 'DrainTimeout', retry: true });
    expect(kube.journal).toContain('event Warning DrainTimeout');
  });
});

describe('recreateNodes, applyDesired, pruneUnwanted, applyTraefik', () => {
  it('recreateNodes: an annotated pod loses its volumes, then goes', async () => {
    const objects = [clusterObject({}, settled), liveStatefulSet(1), pod(0, { [ANNOTATION_RECREATE_NODE]: '' })];
    const { pass, kube, step } = await passBefore('recreateNodes', objects);
    await step.run(pass);
    expect(kube.journal).toEqual([
      'cache.list Pod',
      'delete PersistentVolumeClaim qdrant-storage-qdrant-a-0',
      'delete Pod qdrant-a-0',
      'event Normal RecreateNode',
    ]);
  });

  it('applyDesired: applies what changed, and nothing on the next pass (a converged resync writes nothing)', async () => {
    const first = await passBefore('applyDesired', [clusterObject({}, settled)]);
    await first.step.run(first.pass);
    expect(first.kube.journal.filter((j) => j.startsWith('apply '))).toHaveLength(6);
    expect(first.pass.appliedSts?.metadata.name).toBe('qdrant-a');
    const applied = first.kube.all({ apiVersion: 'v1', kind: 'ConfigMap' }, 'qdrant');
    const objects = [
      clusterObject({}, settled),
      ...applied,
      ...['Service', 'NetworkPolicy', 'StatefulSet'].flatMap((kind) =>
        first.kube.all({ apiVersion: kind === 'Service' ? 'v1' : kind === 'NetworkPolicy' ? 'networking.k8s.io/v1' : 'apps/v1', kind }, 'qdrant'),
      ),
    ];
    const second = await passBefore('applyDesired', objects);
    await second.step.run(second.pass);
    expect(second.kube.journal.filter((j) => j.startsWith('apply '))).toEqual([]);
    expect(second.pass.appliedSts).toBeUndefined();
  });

  it('pruneUnwanted: deletes an owned object no longer desired, keeps the desired ones', async () => {
    const { pass, kube, step } = await passBefore('pruneUnwanted', [clusterObject({}, settled), leftover]);
    await step.run(pass);
    expect(kube.journal.filter((j) => j.startsWith('delete'))).toEqual(['delete ConfigMap qdrant-a-old']);
    expect(kube.find({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'qdrant', name: 'qdrant-a' })).toBeDefined();
  });

  it('applyTraefik: nothing wanted and the kinds not served is no failure', async () => {
    const { pass, kube, step } = await passBefore('applyTraefik', [clusterObject({}, settled)]);
    await step.run(pass);
    expect(pass.failure).toBeUndefined();
    expect(kube.journal).toEqual(['resource IngressRoute']);
  });
});

describe('restartGuarded and resizeStorage', () => {
  it('restartGuarded: copies first, then the highest outdated pod goes', async () => {
    const objects = [clusterObject({ clusterManager: true, onDemandReplication: 'Auto', size: 2 }, settled), liveStatefulSet(2), pod(0), pod(1)];
    const { pass, kube, step } = await passBefore('restartGuarded', objects);
    await step.run(pass);
    expect(pass.restarting).toBe(true);
    expect(kube.journal).toEqual(['list Pod', 'prepare 1', 'delete Pod qdrant-a-1', 'event Normal NodeRestarted']);
  });

  it('restartGuarded: new copies are written where the rest of the status is as it was; the pass goes on from the status written', async () => {
    const copies = PREPARED['guarded restart with copies']!;
    const withCopies = (deps: ClusterReconcilerDeps, kube: FakeKube) => ({ ...deps, clusterManager: fakeManager(kube, copies) });
    const spec = { clusterManager: true, onDemandReplication: 'Auto', size: 2 } as const;
    // Updating already, as the copies' write leaves it: only the copies differ.
    const { temporaryReplicas: _, ...updating } = (await runScenario('guarded restart with copies')).statuses[0]!.status as Record<string, unknown>;
    const objects = [liveStatefulSet(2), pod(0), pod(1)];
    const { pass, kube, step } = await passBefore('restartGuarded', [clusterObject(spec, { ...settled, status: updating }), ...objects], withCopies);
    await step.run(pass);
    expect(kube.journal.filter((j) => !j.includes('list'))).toEqual([
      'prepare 1',
      'applyStatus QdrantCluster qdrant-a',
      'delete Pod qdrant-a-1',
      'event Normal NodeRestarted',
    ]);
    expect(kube.statuses[0]?.status).toMatchObject({ temporaryReplicas: copies.map((c) => ({ ...c, node: 1 })) });
    // From Healthy: the write says Updating, and so does the pass's cluster (the report step compares with it).
    const healthy = await passBefore('restartGuarded', [clusterObject(spec, settled), ...objects], withCopies);
    await healthy.step.run(healthy.pass);
    expect(healthy.kube.journal.filter((j) => j.startsWith('event'))).toEqual(['event Normal Updating', 'event Normal NodeRestarted']);
    expect(healthy.pass.cluster?.status).toEqual(healthy.kube.statuses[0]?.status);
  });

  it('restartGuarded: waits while a scale-down is under way', async () => {
    const objects = [clusterObject({ clusterManager: true, onDemandReplication: 'Auto', size: 1 }, settled), liveStatefulSet(2), pod(0), pod(1)];
    const { pass, kube, step } = await passBefore('restartGuarded', objects);
    await step.run(pass);
    expect(pass.deleting).toEqual([1]);
    expect(kube.journal).toEqual([]);
  });

  it('resizeStorage: grows the volume and says so once', async () => {
    const { pass, kube, step } = await passBefore('resizeStorage', [clusterObject({}, settled), smallClaim, expandable]);
    await step.run(pass);
    expect(pass.storage?.condition.reason).toBe('Expanding');
    expect(kube.journal).toEqual(['get StorageClass fast', 'patch PersistentVolumeClaim qdrant-storage-qdrant-a-0', 'event Normal Expanding']);
    const status = {
      ...healthyStatus(1),
      conditions: [{ type: 'StorageResize', status: 'False', reason: 'Expanding', message: 'growing', lastTransitionTime: '2026-01-01T00:00:00Z' }],
    };
    const again = await passBefore('resizeStorage', [clusterObject({}, { ...settled, status }), smallClaim, expandable]);
    await again.step.run(again.pass);
    expect(again.kube.journal).not.toContain('event Normal Expanding');
  });

  it('resizeStorage: a volume not provisioned yet, at the size asked, is no expansion', async () => {
    const unbound = {
      ...smallClaim,
      spec: { storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } },
      status: { phase: 'Pending' },
    } as KubeObject;
    const { pass, kube, step } = await passBefore('resizeStorage', [clusterObject({}, settled), unbound, expandable]);
    await step.run(pass);
    expect(pass.storage?.condition).toMatchObject({ status: 'True', reason: 'AtRequestedSize' });
    expect(kube.journal).toEqual([]);
  });

  it('resizeStorage: a volume not bound yet, asking less, is grown once bound (the apiserver refuses before)', async () => {
    const unbound = { ...smallClaim, status: { phase: 'Pending' } } as KubeObject;
    const { pass, kube, step } = await passBefore('resizeStorage', [clusterObject({}, settled), unbound, expandable]);
    await step.run(pass);
    expect(pass.storage?.condition).toMatchObject({ status: 'False', reason: 'Expanding', message: '0 of 1 volumes have 1Gi; waiting for the storage driver' });
    expect(pass.storage?.expanded).toEqual([]);
    expect(kube.journal).toEqual(['get StorageClass fast', 'event Normal Expanding']);
  });
});
