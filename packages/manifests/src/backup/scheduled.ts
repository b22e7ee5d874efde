import { LABEL_CLUSTER_ID, QDRANT_API_VERSION, type QdrantClusterScheduledSnapshot } from '@qhc/schemas';
import { MANAGED_BY } from '../cluster/labels.ts';
import { normalize, type KubeObject } from '../object.ts';
import { LABEL_SCHEDULE_ID, suffixedName } from './names.ts';

/**
 * The QdrantClusterSnapshot a schedule takes at `atMs`: named after the schedule and the
 * time, so taking it twice (a pass cut off after creating it) finds the first one.
 */
export function buildScheduledSnapshot(schedule: Pick<QdrantClusterScheduledSnapshot, 'metadata' | 'spec'>, atMs: number): KubeObject {
  const seconds = Math.floor(atMs / 1000);
  return normalize({
    apiVersion: QDRANT_API_VERSION,
    kind: 'QdrantClusterSnapshot',
    metadata: {
      name: suffixedName(schedule.metadata.name!, String(seconds)),
      namespace: schedule.metadata.namespace,
      labels: {
        ...schedule.metadata.labels,
        [LABEL_CLUSTER_ID]: schedule.spec['cluster-id'],
        [LABEL_SCHEDULE_ID]: schedule.spec.scheduleShortId,
        'app.kubernetes.io/managed-by': MANAGED_BY,
      },
    },
    spec: {
      'cluster-id': schedule.spec['cluster-id'],
      'creation-timestamp': seconds,
      scheduleShortId: schedule.spec.scheduleShortId,
      retention: schedule.spec.retention,
    },
  });
}
