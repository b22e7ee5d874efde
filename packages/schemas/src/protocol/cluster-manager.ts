import * as z from 'zod';
import { OnDemandReplication, RebalanceStrategy } from '../crds/qdrant-cluster.ts';
import { createParser } from '../parse/index.ts';

// The operator ↔ cluster-manager protocol: the operator POSTs a ManageRequest to the
// manager's /v1/manage for each cluster that has the manager enabled, and records the
// ManageResponse in the cluster's status.clusterManagerResponse.

export const ManagedNode = z.strictObject({
  /** The node index (StatefulSet ordinal). */
  index: z.int().min(0),
  /** The pod name: the host of the peer's p2p URI. */
  host: z.string().min(1),
  /** The node's Qdrant REST base URL. */
  url: z.url(),
  /** The pod is Ready. */
  ready: z.boolean(),
});
export type ManagedNode = z.infer<typeof ManagedNode>;

/** A shard replica made before a restart; dropped once the peer it stands in for is back. */
export const TemporaryReplica = z.strictObject({
  collection: z.string().min(1),
  shardId: z.int().min(0),
  /** Where the copy is. */
  peerId: z.int().min(0),
  /** The restarting peer it stands in for. */
  standsInFor: z.int().min(0),
});
export type TemporaryReplica = z.infer<typeof TemporaryReplica>;

export const ManageRequest = z.strictObject({
  cluster: z.strictObject({ namespace: z.string().min(1), name: z.string().min(1), id: z.string().min(1) }),
  /** Every node that exists, lowest index first; the first ready one coordinates. */
  nodes: z.array(ManagedNode).min(1),
  /** The cluster's API key, when it has one. */
  apiKey: z.string().optional(),
  rebalanceStrategy: RebalanceStrategy.optional(),
  onDemandReplication: OnDemandReplication.default('Off'),
  /** Set while a pause, a suspend or another operation is in progress: the manager does nothing. */
  blockedBy: z.string().optional(),
  /** Drain this node: move its shards to `keep` and remove its peer. */
  scaleDown: z.strictObject({ node: z.int().min(0), keep: z.array(z.int().min(0)).min(1) }).optional(),
  /** Before this node restarts: copy its shards as `mode` requires (spec.onDemandReplication). */
  prepareRestart: z.strictObject({ node: z.int().min(0), mode: z.enum(['Auto', 'On']) }).optional(),
  /** Drop these temporary replicas where the peer they stand in for is back. */
  releaseReplicas: z.array(TemporaryReplica).optional(),
  /** How long the manager may work on this request. */
  deadlineSeconds: z.int().positive().default(600),
});
export type ManageRequest = z.infer<typeof ManageRequest>;
export type ManageRequestInput = z.input<typeof ManageRequest>;

export const MANAGE_STATUSES = ['Skipped', 'Balanced', 'Rebalanced', 'Drained', 'Recovered', 'RestartAllowed', 'Released', 'Failed'] as const;

export const ManageResponse = z.strictObject({
  status: z.enum(MANAGE_STATUSES),
  description: z.string(),
  /** After a drain: the node may go. */
  scaleDownAllowed: z.boolean().optional(),
  /** Shard moves made by this call. */
  moves: z.int().min(0).optional(),
  /** Peers removed from the cluster by this call (drained or dead). */
  removedPeers: z.array(z.int().min(0)).optional(),
  /** RestartAllowed: the copies made; Released: those still waiting for their peer. */
  temporaryReplicas: z.array(TemporaryReplica).optional(),
});
export type ManageResponse = z.infer<typeof ManageResponse>;

/** JSON text or a value in, a ManageRequest out; problems name the field and its line. */
export const manageRequestParser = createParser(ManageRequest, 'manage request');
export const manageResponseParser = createParser(ManageResponse, 'manage response');
