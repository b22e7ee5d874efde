import { ANNOTATION_RECREATE_NODE, QDRANT_API_VERSION, defaultOperatorSettings, type TemporaryReplica } from '@qhc/schemas';
import { qdrantClusterFixture } from '@qhc/schemas/test';
import { silentLogger, type KubeObject, type ReconcileResult } from '@qhc/kube';
import type { ClusterManagerLink } from '../../src/cluster-manager.ts';
import { CLUSTER_STEPS, FINALIZER, reconcileCluster } from '../../src/reconcile/cluster.ts';
import type { ClusterPass, ClusterReconcilerDeps } from '../../src/reconcile/cluster-pass.ts';
import type { Step } from '../../src/reconcile/steps.ts';
import { FakeKube } from './fake-kube.ts';
import { settle } from './mutations.ts';

// Whole passes over a fake apiserver, each chosen so that a group of steps does visible work:
// together they make every step, and the order of every two neighbours, show in a journal.

export const NOW = Date.parse('2026-01-01T00:00:00Z');
const UID = 'uid-a';
const HEALTHY_AT = '2025-12-31T00:00:00Z';

/** Cluster manager and restart guard that only write to the journal; `prepared` is what the guard reports it copied. */
export function fakeManager(kube: FakeKube, prepared: TemporaryReplica[] = []): ClusterManagerLink {
  return {
    drainer: async (job) => {
      kube.journal.push(`drain ${job.node}`);
      return { ok: true, detail: 'drained' };
    },
    restartGuard: {
      prepare: async (job) => {
        kube.journal.push(`prepare ${job.node}`);
        return { ok: true, replicas: prepared, detail: prepared.length > 0 ? `${prepared.length} shard(s) copied` : 'nothing to copy' };
      },
      release: async (job) => {
        kube.journal.push(`release ${job.node}`);
        return { ok: true, pending: [] };
      },
    },
    invoke: async () => {
      kube.journal.push('manage');
      return { status: 'Rebalanced', description: 'moved 1 shard' };
    },
  };
}

export function clusterDeps(kube: FakeKube, prepared: TemporaryReplica[] = []): ClusterReconcilerDeps {
  return {
    client: kube.client,
    settings: defaultOperatorSettings,
    recorder: kube.recorder,
    logger: silentLogger,
    qdrant: async () => {
      throw new Error('the scenarios use the cluster manager, never Qdrant directly');
    },
    cache: kube.cache,
    now: () => NOW,
    clusterManager: fakeManager(kube, prepared),
    managerFailures: new Map(),
  };
}

export const healthyStatus = (size: number) => ({
  phase: 'Healthy',
  conditions: [{ type: 'Progressing', status: 'False', reason: 'Healthy', message: '', lastTransitionTime: HEALTHY_AT }],
  currentNodes: size,
});

export function clusterObject(spec: Record<string, unknown>, extra: { status?: unknown; metadata?: Record<string, unknown> } = {}): KubeObject {
  const fixture = qdrantClusterFixture('a', spec, { uid: UID });
  return { ...fixture, metadata: { ...fixture.metadata, generation: 1, ...extra.metadata }, ...(extra.status ? { status: extra.status } : {}) } as KubeObject;
}

const owner = [{ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster', name: 'qdrant-a', uid: UID, controller: true }];

export function liveStatefulSet(replicas: number, template = 'qdrant-storage'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'qdrant-a', namespace: 'qdrant', generation: 1, ownerReferences: owner },
    spec: { replicas, updateStrategy: { type: 'OnDelete' }, volumeClaimTemplates: [{ metadata: { name: template } }] },
    status: { observedGeneration: 1, replicas, readyReplicas: replicas, updatedReplicas: 0, currentRevision: 'r1', updateRevision: 'r2' },
  } as KubeObject;
}

export function pod(node: number, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `qdrant-a-${node}`, namespace: 'qdrant', labels: { app: 'qdrant', 'cluster-id': 'a', 'controller-revision-hash': 'r1' }, annotations },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  } as KubeObject;
}

/** A database volume that asks less than the spec's 1Gi, on a class that can grow. */
export const smallClaim: KubeObject = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'qdrant-storage-qdrant-a-0', namespace: 'qdrant', labels: { 'cluster-id': 'a' } },
  spec: { storageClassName: 'fast', resources: { requests: { storage: '512Mi' } } },
  status: { phase: 'Bound', capacity: { storage: '512Mi' } },
} as KubeObject;
export const expandable = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, allowVolumeExpansion: true } as KubeObject;

/** An object the cluster owned under a name the builders no longer produce. */
export const leftover = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'qdrant-a-old',
    namespace: 'qdrant',
    labels: { 'cluster-id': 'a', 'app.kubernetes.io/managed-by': 'qhc-operator' },
    ownerReferences: owner,
  },
} as KubeObject;

export const SCENARIOS: Record<string, () => KubeObject[]> = {
  /** A cluster seen for the first time: every object applied, Creating; no finalizer. */
  'new cluster': () => [clusterObject({})],
  /** A managed cluster shrinking from 2 to 1 node, with a node to recreate, a leftover and a volume to grow. */
  'scale-down': () => [
    clusterObject({ clusterManager: true }, { status: healthyStatus(2) }),
    // Recreating node 0 drops its snapshots volume only, so the database volume is there to grow.
    liveStatefulSet(2, 'qdrant-snapshots'),
    pod(0, { [ANNOTATION_RECREATE_NODE]: 'disk fault' }),
    pod(1),
    leftover,
    smallClaim,
    expandable,
  ],
  /** onDemandReplication's rollout of a managed 2-node cluster whose first volume grows. */
  'guarded restart': () => [
    clusterObject({ clusterManager: true, onDemandReplication: 'Auto', size: 2 }, { status: healthyStatus(2) }),
    liveStatefulSet(2),
    pod(0),
    pod(1),
    smallClaim,
    expandable,
  ],
  /** The same rollout where the guard copies a shard: the copy is recorded in the status before the pod goes. */
  'guarded restart with copies': () => [
    clusterObject({ clusterManager: true, onDemandReplication: 'Auto', size: 2 }, { status: healthyStatus(2) }),
    liveStatefulSet(2),
    pod(0),
    pod(1),
  ],
  /** Deleted with a spec that no longer validates, with an earlier version's finalizer: it still goes (the finalizer is removed). */
  'deleted invalid cluster': () => [clusterObject({ size: -1 }, { metadata: { finalizers: [FINALIZER], deletionTimestamp: HEALTHY_AT } })],
  /** An invalid spec: reported, and nothing else written. */
  'invalid spec': () => [clusterObject({ size: -1 })],
};

/** What the restart guard reports it copied, per scenario (nothing elsewhere). */
export const PREPARED: Partial<Record<string, TemporaryReplica[]>> = {
  'guarded restart with copies': [{ collection: 'docs', shardId: 0, peerId: 1000, standsInFor: 1001 }],
};

export interface ScenarioOutcome {
  result: ReconcileResult | { error: string };
  /** Every read and write of the pass, in order. */
  journal: string[];
  phase: string | undefined;
  finalizers: string[] | undefined;
  statefulSetReplicas: number | undefined;
  /** Every status body written, in order (the scenario clock is fixed, so timestamps are too). */
  statuses: FakeKube['statuses'];
  /** Every event recorded, whole. */
  events: FakeKube['events'];
}

export async function runScenario(name: string, steps: readonly Step<ClusterPass>[] = CLUSTER_STEPS): Promise<ScenarioOutcome> {
  const kube = new FakeKube(SCENARIOS[name]!());
  const result = await settle(() => reconcileCluster(clusterDeps(kube, PREPARED[name]), 'qdrant/qdrant-a', steps));
  const sts = kube.find<KubeObject & { spec: { replicas: number } }>({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'qdrant', name: 'qdrant-a' });
  const cluster = kube.find<KubeObject & { status?: { phase?: string } }>({
    apiVersion: QDRANT_API_VERSION,
    kind: 'QdrantCluster',
    namespace: 'qdrant',
    name: 'qdrant-a',
  });
  return {
    result,
    journal: kube.journal,
    phase: cluster?.status?.phase,
    finalizers: cluster?.metadata.finalizers,
    statefulSetReplicas: sts?.spec.replicas,
    statuses: kube.statuses,
    events: kube.events,
  };
}

/** The golden file of a scenario: what the pass with the real step list does. */
export const goldenPath = (name: string) => new URL(`./golden/${name.replaceAll(' ', '-')}.json`, import.meta.url).pathname;
export const formatOutcome = (outcome: ScenarioOutcome) => `${JSON.stringify(outcome, null, 2)}\n`;
