import type { ClusterPhase, QdrantCluster } from '@qhc/schemas';
import { parsedQdrantClusterFixture } from '@qhc/schemas/test';
import { describe, expect, it } from 'vitest';
import { deriveStatus, mergeConditions, type ObservedState } from '../src/index.ts';
import { nodeStatuses } from '../src/status.ts';

function cluster(spec: Record<string, unknown> = {}, phase?: ClusterPhase, version?: string): QdrantCluster {
  const parsed = parsedQdrantClusterFixture('c', { version: 'v1.13.0', size: 3, ...spec }, { namespace: 'ns', labels: { 'customer-id': 'a' } });
  const c = { ...parsed, metadata: { ...parsed.metadata, generation: 2 } };
  return phase ? { ...c, status: { phase, version } } : c;
}

const readyPod = { metadata: { name: 'p' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
const pendingPod = { metadata: { name: 'p' }, status: { conditions: [{ type: 'Ready', status: 'False' }] } };
const sts = (status: Record<string, number | string>, replicas = 3, generation = 1) => ({
  metadata: { generation },
  spec: { replicas },
  status: { observedGeneration: generation, ...status },
});
const settled = sts({ replicas: 3, readyReplicas: 3, updatedReplicas: 3 });

const phase = (observed: ObservedState) => deriveStatus(observed).phase;

/** Each situation the operator observes, and the phase it reports for it. */
const PHASES: Array<[string, ObservedState, ClusterPhase]> = [
  ['a new cluster without a StatefulSet', { cluster: cluster(), statefulSet: undefined, pods: [] }, 'Creating'],
  [
    'a cluster whose nodes are starting',
    { cluster: cluster({}, 'Creating'), statefulSet: sts({ replicas: 3, readyReplicas: 1, updatedReplicas: 3 }), pods: [readyPod, pendingPod, pendingPod] },
    'Creating',
  ],
  ['all nodes ready and updated', { cluster: cluster({}, 'Creating'), statefulSet: settled, pods: [readyPod, readyPod, readyPod] }, 'Healthy'],
  [
    'a healthy cluster losing a node',
    {
      cluster: cluster({}, 'Healthy', 'v1.13.0'),
      statefulSet: sts({ replicas: 3, readyReplicas: 2, updatedReplicas: 3 }),
      pods: [readyPod, readyPod, pendingPod],
    },
    'NotReady',
  ],
  [
    'a size change in flight',
    {
      cluster: cluster({ size: 5 }, 'Healthy', 'v1.13.0'),
      statefulSet: sts({ replicas: 3, readyReplicas: 3, updatedReplicas: 3 }, 5),
      pods: [readyPod, readyPod, readyPod],
    },
    'Scaling',
  ],
  [
    'a version change in flight',
    {
      cluster: cluster({}, 'Healthy', 'v1.12.4'),
      statefulSet: sts({ replicas: 3, readyReplicas: 3, updatedReplicas: 1 }, 3, 2),
      pods: [readyPod, readyPod, readyPod],
    },
    'Upgrading',
  ],
  [
    'a template change in flight',
    {
      cluster: cluster({}, 'Healthy', 'v1.13.0'),
      statefulSet: sts({ replicas: 3, readyReplicas: 3, updatedReplicas: 1 }, 3, 2),
      pods: [readyPod, readyPod, readyPod],
    },
    'Updating',
  ],
  [
    'a rollout replacing a pod (one missing for a moment)',
    {
      cluster: cluster({}, 'Healthy', 'v1.13.0'),
      statefulSet: sts({ replicas: 2, readyReplicas: 2, updatedReplicas: 1, currentRevision: 'r1', updateRevision: 'r2' }),
      pods: [readyPod, readyPod],
    },
    'Updating',
  ],
  [
    'a scale-down draining a node (StatefulSet still larger)',
    {
      cluster: cluster({ size: 2 }, 'Healthy', 'v1.13.0'),
      statefulSet: sts({ replicas: 3, readyReplicas: 3, updatedReplicas: 3, currentRevision: 'r1', updateRevision: 'r1' }),
      pods: [readyPod, readyPod, readyPod],
    },
    'Scaling',
  ],
  ['a pause', { cluster: cluster({ pauses: [{ owner: 'ops', reason: 'disk swap' }] }, 'Healthy'), statefulSet: settled, pods: [] }, 'ManualMaintenance'],
  ['suspend with pods left', { cluster: cluster({ suspend: true }, 'Healthy'), statefulSet: settled, pods: [readyPod] }, 'Suspending'],
  ['suspend with nothing left', { cluster: cluster({ suspend: true }, 'Suspending'), statefulSet: undefined, pods: [] }, 'Suspended'],
  ['resume', { cluster: cluster({}, 'Suspended'), statefulSet: undefined, pods: [] }, 'Resuming'],
  ['a failure before the first success', { cluster: cluster(), statefulSet: undefined, pods: [], failure: { reason: 'X', message: 'y' } }, 'FailedToCreate'],
  [
    'a failure of a running cluster',
    { cluster: cluster({}, 'Healthy'), statefulSet: settled, pods: [], failure: { reason: 'X', message: 'y' } },
    'FailedToUpdate',
  ],
];

describe('deriveStatus', () => {
  it.each(PHASES)('%s', (_name, observed, expected) => {
    expect(phase(observed)).toBe(expected);
  });

  it("derives the scale subresource fields and Qdrant's conditions", () => {
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

const progressingSince = (inPhase: ClusterPhase, since: string): QdrantCluster => ({
  ...cluster({}, inPhase, 'v1.13.0'),
  status: {
    phase: inPhase,
    version: 'v1.13.0',
    conditions: [{ type: 'Progressing', status: 'True', reason: inPhase, message: '', lastTransitionTime: since }],
  },
});

describe('operationTimeout', () => {
  const rolling = sts({ replicas: 3, readyReplicas: 2, updatedReplicas: 1, currentRevision: 'r1', updateRevision: 'r2' });
  const now = Date.parse('2026-12-01T10:00:00Z');

  it('fails an operation in progress for longer than the timeout, naming it', () => {
    const derived = deriveStatus({
      cluster: progressingSince('Updating', '2026-12-01T09:00:00Z'),
      statefulSet: rolling,
      pods: [readyPod, readyPod, pendingPod],
      now,
      operationTimeoutMs: 1_800_000,
    });
    expect(derived.phase).toBe('FailedToUpdate');
    expect(derived.reason).toBe('OperationTimeout: Updating did not finish within 1800s (1 of 3 nodes updated)');
    expect(derived.conditionsWanted.find((c) => c.type === 'Degraded')?.status).toBe('True');
  });

  it('leaves an operation within its time, and a creation fails as FailedToCreate', () => {
    expect(
      deriveStatus({ cluster: progressingSince('Updating', '2026-12-01T09:45:00Z'), statefulSet: rolling, pods: [], now, operationTimeoutMs: 1_800_000 }).phase,
    ).toBe('Updating');
    expect(
      deriveStatus({ cluster: progressingSince('Creating', '2026-12-01T09:00:00Z'), statefulSet: rolling, pods: [], now, operationTimeoutMs: 60_000 }).phase,
    ).toBe('FailedToCreate');
  });

  it('counts only while the previous pass was in progress too (a retry starts the clock again)', () => {
    const failedBefore = { ...progressingSince('Updating', '2026-12-01T09:00:00Z'), status: { phase: 'FailedToUpdate' as const, version: 'v1.13.0' } };
    expect(deriveStatus({ cluster: failedBefore, statefulSet: rolling, pods: [], now, operationTimeoutMs: 60_000 }).phase).toBe('Updating');
  });
});

describe('nodeStatuses', () => {
  it('reports each pod with its conditions, version, restarts and database volume', () => {
    const nodes = nodeStatuses(
      [
        {
          metadata: { name: 'qdrant-c-0' },
          spec: { containers: [{ name: 'qdrant', image: 'qdrant/qdrant:v1.13.0' }] },
          status: {
            phase: 'Running',
            startTime: '2026-12-01T09:00:00Z',
            conditions: [{ type: 'Ready', status: 'True' }],
            containerStatuses: [{ name: 'qdrant', restartCount: 2 }],
          },
        },
        { metadata: { name: 'qdrant-c-1' }, status: { phase: 'Pending' } },
      ],
      [{ metadata: { name: 'qdrant-storage-qdrant-c-0' }, spec: { storageClassName: 'fast' }, status: { phase: 'Bound', capacity: { storage: '10Gi' } } }],
      (pod) => `qdrant-storage-${pod}`,
    );
    expect(nodes).toEqual({
      'qdrant-c-0': {
        name: 'qdrant-c-0',
        started_at: '2026-12-01T09:00:00Z',
        state: { Ready: 'True' },
        version: 'v1.13.0',
        podPhase: 'Running',
        restartCount: 2,
        databasePVCStatus: { storageClassName: 'fast', phase: 'Bound', capacity: { storage: '10Gi' } },
      },
      'qdrant-c-1': { name: 'qdrant-c-1', podPhase: 'Pending', restartCount: 0 },
    });
  });
});
