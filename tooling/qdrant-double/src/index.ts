export {
  ClusterSimulation,
  QdrantRefusal,
  type ReplicaState,
  type SimCollection,
  type SimPeer,
  type SimReplica,
  type SimShard,
  type SimTransfer,
  type TransferBehaviour,
} from './simulation.ts';
export { startQdrantDouble, type Fault, type QdrantDouble, type RecordedCall } from './server.ts';
export { joinPodsAsPeers, peerUri, type PodLister } from './follow-pods.ts';
