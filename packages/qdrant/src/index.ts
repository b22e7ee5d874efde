export { connectQdrant, type QdrantEndpoint } from './connect.ts';
export { QdrantOperationError, describeQdrantError, httpStatusOf, type DrainFailure } from './errors.ts';
export { peerOfHost, readPlacement, readTopology, type CollectionPlacement, type Peer, type Shard, type ShardReplica, type Topology, type Transfer } from './topology.ts';
export { drainPeer, type DrainRequest, type DrainResult, type DrainStep } from './drain.ts';
