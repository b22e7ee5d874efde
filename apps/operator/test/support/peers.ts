import type { KubeClient } from '@qhc/kube';
import type { ClusterSimulation } from '@qhc/qdrant-double';

/** The p2p URI a node of a cluster announces, as the StatefulSet's pods do. */
export const peerUri = (namespace: string, id: string) => (node: number) => `http://qdrant-${id}-${node}.qdrant-headless-${id}.${namespace}:6335/`;

/**
 * Every pod of the cluster that exists (and is not being deleted) has joined the simulated
 * Qdrant cluster as the peer of its database volume: the same volume is the same peer, a
 * new volume a new peer, and a volume whose peer was removed never rejoins.
 */
export async function joinPodsAsPeers(client: KubeClient, namespace: string, id: string, sim: ClusterSimulation): Promise<void> {
  const [pods, claims] = await Promise.all([
    client.list({ apiVersion: 'v1', kind: 'Pod' }, { namespace, labelSelector: `cluster-id=${id}` }),
    client.list({ apiVersion: 'v1', kind: 'PersistentVolumeClaim' }, { namespace, labelSelector: `cluster-id=${id}` }),
  ]);
  for (const pod of pods.items) {
    if (pod.metadata.deletionTimestamp) continue;
    const name = pod.metadata.name!;
    const claim = claims.items.find((c) => c.metadata.name === `qdrant-storage-${name}`);
    if (claim) sim.join(Number(name.slice(name.lastIndexOf('-') + 1)), claim.metadata.uid!);
  }
}
