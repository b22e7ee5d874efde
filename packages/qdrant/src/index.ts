export { connectQdrant, type QdrantEndpoint } from './connect.ts';
export { QdrantOperationError, call as qdrantCall, describeQdrantError, httpStatusOf, type DrainFailure } from './errors.ts';
export {
  peerOfHost,
  readPlacement,
  readTopology,
  type CollectionPlacement,
  type Peer,
  type Shard,
  type ShardReplica,
  type Topology,
  type Transfer,
} from './topology.ts';
export { drainPeer, type DrainRequest, type DrainResult, type DrainStep } from './drain.ts';
export { applyMoves, planRebalance, type Move, type PlacedCollection, type PlacedShard, type Placement, type RebalanceStrategy } from './rebalance/plan.ts';
export { executePlan, type ExecuteOptions, type ExecuteResult } from './rebalance/execute.ts';
export type { QdrantClient } from '@qdrant/js-client-rest';
export {
  releaseTemporaryReplicas,
  replicateBeforeRestart,
  type OnDemandMode,
  type PreparedRestart,
  type ReleaseResult,
  type RestartPreparation,
  type TemporaryReplica,
} from './restart.ts';
