import * as z from 'zod';
import { Condition, ContainerStatus, ResourceList, Timestamp } from '../k8s/index.ts';
import { KubernetesEventInfo } from './common.ts';

// status of a QdrantCluster: upstream's fields, plus observedGeneration and endpoint,
// which our operator writes.

export const CLUSTER_PHASES = [
  'Creating',
  'FailedToCreate',
  'Updating',
  'FailedToUpdate',
  'Scaling',
  'Upgrading',
  'Suspending',
  'Suspended',
  'FailedToSuspend',
  'Resuming',
  'FailedToResume',
  'Healthy',
  'NotReady',
  'RecoveryMode',
  'ManualMaintenance',
] as const;
export const ClusterPhase = z.enum(CLUSTER_PHASES);
export type ClusterPhase = z.infer<typeof ClusterPhase>;

/** Upstream's convention: a phase in progress ends in "ing". */
export function isActivePhase(phase: ClusterPhase): boolean {
  return phase.endsWith('ing');
}

/** Upstream's convention: a failed phase starts with "FailedTo". */
export function isFailedPhase(phase: ClusterPhase): boolean {
  return phase.startsWith('FailedTo');
}

/** Condition types: Qdrant's two, then the standard three our operator maintains. */
export const CLUSTER_CONDITION_TYPES = ['AcceptingConnection', 'RecoveryMode', 'Ready', 'Progressing', 'Degraded'] as const;
export const ClusterConditionType = z.enum(CLUSTER_CONDITION_TYPES);
export type ClusterConditionType = z.infer<typeof ClusterConditionType>;

const ConditionStatus = z.enum(['True', 'False', 'Unknown']);

/** core/v1 PodCondition. */
export const PodCondition = z.strictObject({
  type: z.string(),
  status: ConditionStatus,
  observedGeneration: z.int().min(0).optional(),
  lastProbeTime: Timestamp.optional(),
  lastTransitionTime: Timestamp.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

/** core/v1 PersistentVolumeClaimCondition. */
export const PersistentVolumeClaimCondition = z.strictObject({
  type: z.string(),
  status: ConditionStatus,
  lastProbeTime: Timestamp.optional(),
  lastTransitionTime: Timestamp.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

export const NodePVCStatus = z.strictObject({
  storageClassName: z.string().optional(),
  phase: z.enum(['Pending', 'Bound', 'Lost']).optional(),
  conditions: z.array(PersistentVolumeClaimCondition).optional(),
  /** Events of the PVC from the last 30 minutes. */
  events: z.array(KubernetesEventInfo).optional(),
  /** The actual size of the volume, e.g. { storage: "10Gi" }. */
  capacity: ResourceList.optional(),
  currentVolumeAttributesClassName: z.string().optional(),
  /** A ControllerModifyVolume in progress, if any. */
  modifyVolumeStatus: z
    .strictObject({ status: z.enum(['Pending', 'InProgress', 'Infeasible']), targetVolumeAttributesClassName: z.string().optional() })
    .optional(),
});
export type NodePVCStatus = z.infer<typeof NodePVCStatus>;

export const NodeStatus = z.strictObject({
  /** The pod's name. */
  name: z.string().optional(),
  /** RFC 3339, as upstream writes it (a string, not metav1.Time). */
  started_at: z.string().optional(),
  /** Pod condition type → status. */
  state: z.record(z.string(), ConditionStatus).optional(),
  version: z.string().optional(),
  /** The node answered the liveness request (reported before readiness, to show recovery). */
  liveness: z.boolean().optional(),
  zone: z.string().optional(),
  podPhase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']).optional(),
  podConditions: z.array(PodCondition).optional(),
  podMessage: z.string().optional(),
  podReason: z.string().optional(),
  containerStatuses: z.array(ContainerStatus).optional(),
  /** Events of the pod from the last 30 minutes. */
  events: z.array(KubernetesEventInfo).optional(),
  /** Restarts of the qdrant container. */
  restartCount: z.int().min(0).optional(),
  databasePVCStatus: NodePVCStatus.optional(),
  snapshotsPVCStatus: NodePVCStatus.optional(),
});
export type NodeStatus = z.infer<typeof NodeStatus>;

const NodeIndex = z.int().min(0);

export const QdrantClusterStatus = z.strictObject({
  phase: ClusterPhase.optional(),
  reason: z.string().optional(),
  availableNodes: z.int().min(0).optional(),
  /**
   * Not contiguous: new indexes are allocated above the current maximum and never reused,
   * so treat this list, not 0..size-1, as the truth.
   */
  availableNodeIndexes: z.array(NodeIndex).optional(),
  /** Nodes being removed; a started removal cannot be reverted. */
  deleteInProgressNodeIndexes: z.array(NodeIndex).optional(),
  /** Set to let the operator remove one peer; it resets the flag afterwards. */
  scaleDownAllowed: z.boolean().optional(),
  // The capital S is upstream's JSON name; kept for compatibility.
  /** The node to remove on scale-down; unset: the last of availableNodeIndexes. */
  ScaleDownNodeIndex: NodeIndex.optional(),
  conditions: z.array(Condition).optional(),
  /** Per node, keyed by node index or pod name as the writer chose. */
  nodes: z.record(z.string(), NodeStatus).optional(),
  nextClusterManagerInvocation: Timestamp.optional(),
  /** The version running or being rolled to; may trail spec.version while upgrading minor by minor. */
  version: z.string().optional(),
  /** The last answer of the cluster-manager's manage endpoint. */
  clusterManagerResponse: z.strictObject({ status: z.string().optional(), description: z.string().optional() }).optional(),
  /** Existing nodes: the scale subresource's replicas. */
  currentNodes: z.int().min(0).optional(),
  /** The pods' label selector: the scale subresource's selector. */
  selector: z.string().optional(),
  // Ours.
  observedGeneration: z.int().min(0).optional(),
  /** The in-cluster REST URL, e.g. http://qdrant-<id>.<namespace>.svc:6333. */
  endpoint: z.string().optional(),
  /**
   * Shard copies made before restarting a node (spec.onDemandReplication Auto or On), dropped
   * once that node is back; `node` is the restarted node's index.
   */
  temporaryReplicas: z
    .array(z.strictObject({ node: NodeIndex, collection: z.string(), shardId: z.int().min(0), peerId: z.int().min(0), standsInFor: z.int().min(0) }))
    .optional(),
});
export type QdrantClusterStatus = z.infer<typeof QdrantClusterStatus>;
