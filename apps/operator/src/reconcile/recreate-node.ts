import { ANNOTATION_RECREATE_NODE, type QdrantCluster } from '@qhc/schemas';
import type { EventRecorder, KubeClient, KubeObject, Logger } from '@qhc/kube';

export interface RecreateInput {
  client: KubeClient;
  recorder: EventRecorder;
  logger: Logger;
  cluster: QdrantCluster;
  object: KubeObject;
  /** The cluster's pods (from the cache). */
  pods: KubeObject[];
  /** The StatefulSet's claim template names (qdrant-storage, qdrant-snapshots, …). */
  claimTemplates: string[];
}

/**
 * The recreate-node flow: a pod annotated `operator.qdrant.com/recreate-node` loses its
 * volumes and is deleted, so the StatefulSet starts that node again empty, as a new peer
 * that fetches its shards from their other replicas; the cluster manager then removes the
 * old peer. The volumes are deleted first (they go once the pod is gone); a pass cut off
 * between the two steps repeats both. Returns the nodes it recreated.
 */
export async function recreateAnnotatedNodes(input: RecreateInput): Promise<string[]> {
  const recreated: string[] = [];
  for (const pod of input.pods) {
    const why = pod.metadata.annotations?.[ANNOTATION_RECREATE_NODE];
    if (why === undefined || pod.metadata.deletionTimestamp) continue;
    const name = pod.metadata.name!;
    const namespace = pod.metadata.namespace;
    for (const template of input.claimTemplates) {
      await input.client.delete({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name: `${template}-${name}` });
    }
    await input.client.delete({ apiVersion: 'v1', kind: 'Pod', namespace, name }, { preconditions: { uid: pod.metadata.uid } });
    input.logger.info('node recreated', { namespace, name: input.cluster.metadata.name, pod: name, reason: why });
    input.recorder.record(input.object, {
      type: 'Normal',
      reason: 'RecreateNode',
      note: `${name} is started again on new volumes${why ? `: ${why}` : ''}`,
      action: 'RecreateNode',
    });
    recreated.push(name);
  }
  return recreated;
}
