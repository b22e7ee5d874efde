import {
  ANNOTATION_ON_DEMAND_REPLICATION_RESTART,
  ANNOTATION_VOLUME_RETENTION,
  headlessServiceName,
  statefulSetName,
  type OperatorSettings,
  type QdrantCluster,
} from '@qhc/schemas';
import { ManifestError } from '../errors.ts';
import { normalize, type KubeObject } from '../object.ts';
import { objectMeta, podSelector } from './labels.ts';
import type { ResolvedCluster } from './resolve.ts';
import { podTemplate } from './stateful-set-pod.ts';
import { volumeClaimTemplates } from './stateful-set-volumes.ts';

export { CONFIG_HASH_ANNOTATION, REPLICATED_RESTART_ANNOTATION, RESTARTED_AT_ANNOTATION, ZONE_TOPOLOGY_KEY } from './stateful-set-pod.ts';
export { SNAPSHOTS_VOLUME, STORAGE_VOLUME } from './stateful-set-volumes.ts';

function volumeRetention(cluster: QdrantCluster): 'Retain' | 'Delete' {
  const value = cluster.metadata.annotations?.[ANNOTATION_VOLUME_RETENTION] ?? 'Retain';
  if (value !== 'Retain' && value !== 'Delete') {
    throw new ManifestError(`metadata.annotations["${ANNOTATION_VOLUME_RETENTION}"]`, `must be Retain or Delete, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function buildStatefulSet(cluster: QdrantCluster, settings: OperatorSettings, resolved: ResolvedCluster, configHash: string): KubeObject {
  return normalize({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: objectMeta(cluster, statefulSetName(resolved.id), 'database', { annotations: cluster.spec.statefulSet?.annotations }),
    spec: {
      replicas: resolved.size,
      serviceName: headlessServiceName(resolved.id),
      // OrderedReady deadlocks a Qdrant cluster: a peer is not ready until the others run.
      podManagementPolicy: 'Parallel',
      updateStrategy: updateStrategy(cluster),
      // Volumes outlive scale-down (the operator deletes a removed node's volumes once its peer
      // is gone) and, unless the cluster says otherwise, deletion: data goes on purpose only.
      persistentVolumeClaimRetentionPolicy: { whenDeleted: volumeRetention(cluster), whenScaled: 'Retain' },
      selector: { matchLabels: podSelector(cluster) },
      template: podTemplate(cluster, settings, resolved, configHash),
      volumeClaimTemplates: volumeClaimTemplates(cluster, resolved),
    },
  });
}

/**
 * How the cluster's restarts keep its shards available: spec.onDemandReplication, or Auto
 * for a cluster that asked for one restart this way (the on-demand-replication-restart
 * annotation) while its spec says Off. restartAllPodsConcurrently wins: every pod goes at once.
 */
export function onDemandReplicationMode(cluster: QdrantCluster): 'Off' | 'Auto' | 'On' {
  if (cluster.spec.restartAllPodsConcurrently) return 'Off';
  const mode = cluster.spec.onDemandReplication ?? 'Off';
  if (mode === 'Off' && cluster.metadata.annotations?.[ANNOTATION_ON_DEMAND_REPLICATION_RESTART]) return 'Auto';
  return mode;
}

/**
 * One pod at a time, each waiting for the previous to be Ready. restartAllPodsConcurrently
 * trades availability for speed and lets every pod go at once. With on-demand replication the
 * operator restarts the pods itself (OnDelete), each only after its shards have the copies
 * they need elsewhere.
 */
function updateStrategy(cluster: QdrantCluster) {
  if (cluster.spec.restartAllPodsConcurrently) return { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '100%' } };
  if (onDemandReplicationMode(cluster) !== 'Off') return { type: 'OnDelete' };
  return { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
}
