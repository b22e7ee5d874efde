import type { ClusterSimulation } from './simulation.ts';

interface Listed {
  metadata: { name?: string; uid?: string; deletionTimestamp?: string };
}

/** What the helper needs of a Kubernetes client (structurally: @qhc/kube's KubeClient fits). */
export interface PodLister {
  list(kind: { apiVersion: string; kind: string }, options: { namespace?: string; labelSelector?: string }): Promise<{ items: Listed[] }>;
}

/**
 * Makes the simulated peers follow a StatefulSet's pods: every pod that exists (and is not
 * being deleted) has joined as the peer of its database volume `qdrant-storage-<pod>`, so
 * the same volume is the same peer, a new volume a new peer, and a removed peer's volume
 * never rejoins. Call it before the double answers (double.onRequest) or whenever a test
 * needs the peers current.
 */
export async function joinPodsAsPeers(client: PodLister, namespace: string, clusterId: string, sim: ClusterSimulation): Promise<void> {
  const selector = { namespace, labelSelector: `cluster-id=${clusterId}` };
  const [pods, claims] = await Promise.all([
    client.list({ apiVersion: 'v1', kind: 'Pod' }, selector),
    client.list({ apiVersion: 'v1', kind: 'PersistentVolumeClaim' }, selector),
  ]);
  for (const pod of pods.items) {
    if (pod.metadata.deletionTimestamp) continue;
    const name = pod.metadata.name!;
    const claim = claims.items.find((c) => c.metadata.name === `qdrant-storage-${name}`);
    if (claim?.metadata.uid) sim.join(Number(name.slice(name.lastIndexOf('-') + 1)), claim.metadata.uid);
  }
}

/** The p2p URI a node of a cluster announces, as the StatefulSet's pods do. */
export const peerUri = (namespace: string, clusterId: string) => (node: number) =>
  `http://qdrant-${clusterId}-${node}.qdrant-headless-${clusterId}.${namespace}:6335/`;
