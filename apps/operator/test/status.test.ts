import { validateQdrantCluster, type ClusterPhase, type QdrantCluster } from '@qhc/schemas';
import { describe, expect, it } from 'vitest';
import { deriveStatus, mergeConditions, type ObservedState } from '../src/index.ts';

function cluster(spec: Record<string, unknown> = {}, phase?: ClusterPhase, version?: string): QdrantCluster {
  const c = validateQdrantCluster({
    apiVersion: 'qdrant.io/v1',
    kind: 'QdrantCluster',
    metadata: { name: 'qdrant-c', namespace: 'ns', labels: { 'cluster-id': 'c', 'customer-id': 'a' }, generation: 2 },
    spec: { id: 'c', version: 'v1.13.0', size: 3, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' }, ...spec },
  });
  return phase ? { ...c, status: { phase, version } } : c;
}

const readyPod = { metadata: { name: 'p' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
const pendingPod = { metadata: { name: 'p' }, status: { conditions: [{ type: 'Ready', status: 'False' }] } };
const sts = (status: Record<string, number>, replicas = 3, generation = 1) => ({ metadata: { generation }, spec: { replicas }, status: { observedGeneration: generation, ...status } });
const settled = sts({ replicas: 3, readyReplicas: 3, updatedReplicas: 3 });

const phase = (observed: ObservedState) => deriveStatus(observed).phase;

describe('deriveStatus', () => {
  it.each<[string, ObservedState, ClusterPhase]>([
    ['a new cluster without a StatefulSet', { cluster: cluster(), statefulSet: undefined, pods: [] }, 'Creating'],
    ['a cluster whose nodes are starting', { cluster: cluster({}, 'Creating'), statefulSet: sts({ replicas: 3, readyReplicas: 1, updatedReplicas: 3 }), pods: [readyPod, pendingPod, pendingPod] }, 'Creating'],
    ['all nodes ready and updated', { cluster: cluster({}, 'Creating'), statefulSet: settled, pods: [readyPod, readyPod, readyPod] }, 'Healthy'],
    ['a healthy cluster losing a node', { cluster: cluster({}, 'Healthy', 'v1.13.0'), statefulSet: sts({ replicas: 3, readyReplicas: 2, updatedReplicas: 3 }), pods: [readyPod, readyPod, pendingPod] }, 'NotReady'],
    ['a size change in flight', { cluster: cluster({ size: 5 }, 'Healthy', 'v1.13.0'), statefulSet: sts({ replicas: 3, readyReplicas: 3, updatedReplicas: 3 }, 5), pods: [readyPod, readyPod, readyPod] }, 'Scaling'],
    ['a version change in flight', { cluster: cluster({}, 'Healthy', 'v1.12.4'), statefulSet: sts({ replicas: 3, readyReplicas: 3, updatedReplicas: 1 }, 3, 2), pods: [readyPod, readyPod, readyPod] }, 'Upgrading'],
    ['a template change in flight', { cluster: cluster({}, 'Healthy', 'v1.13.0'), statefulSet: sts({ replicas: 3, readyReplicas: 3, updatedReplicas: 1 }, 3, 2), pods: [readyPod, readyPod, readyPod] }, 'Updating'],
    ['a pause', { cluster: cluster({ pauses: [{ owner: 'ops', reason: 'disk swap' }] }, 'Healthy'), statefulSet: settled, pods: [] }, 'ManualMaintenance'],
    ['suspend with pods left', { cluster: cluster({ suspend: true }, 'Healthy'), statefulSet: settled, pods: [readyPod] }, 'Suspending'],
    ['suspend with nothing left', { cluster: cluster({ suspend: true }, 'Suspending'), statefulSet: undefined, pods: [] }, 'Suspended'],
    ['resume', { cluster: cluster({}, 'Suspended'), statefulSet: undefined, pods: [] }, 'Resuming'],
    ['a failure before the first success', { cluster: cluster(), statefulSet: undefined, pods: [], failure: { reason: 'X', message: 'y' } }, 'FailedToCreate'],
    ['a failure of a running cluster', { cluster: cluster({}, 'Healthy'), statefulSet: settled, pods: [], failure: { reason: 'X', message: 'y' } }, 'FailedToUpdate'],
  ])('%s', (_name, observed, expected) => {
    expect(phase(observed)).toBe(expected);
  });

  it('derives the scale subresource fields and Qdrant\'s conditions', () => {
    const status = deriveStatus({ cluster: cluster({}, 'Creating'), statefulSet: settled, pods: [readyPod, readyPod, readyPod] });
    expect(status).toMatchObject({ availableNodes: 3, currentNodes: 3, selector: 'app=qdrant,cluster-id=c', endpoint: 'http://qdrant-c.ns.svc:6333' });
    expect(status.conditionsWanted.map((c) => [c.type, c.status])).toEqual([
      ['Ready', 'True'],
      ['Progressing', 'False'],
      ['Degraded', 'False'],
      ['AcceptingConnection', 'True'],
      ['RecoveryMode', 'False'],
    ]);
  });
});

describe('mergeConditions', () => {
  it('keeps the transition time of a condition whose status did not change', () => {
    const before = mergeConditions(undefined, [{ type: 'Ready', status: 'False', reason: 'Creating', message: 'm' }], '2026-01-01T00:00:00Z', 1);
    const same = mergeConditions(before, [{ type: 'Ready', status: 'False', reason: 'Creating', message: 'm2' }], '2026-01-01T00:01:00Z', 2);
    const flipped = mergeConditions(same, [{ type: 'Ready', status: 'True', reason: 'Healthy', message: 'ok' }], '2026-01-01T00:02:00Z', 2);
    expect(same[0]?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(flipped[0]?.lastTransitionTime).toBe('2026-01-01T00:02:00Z');
  });
});
