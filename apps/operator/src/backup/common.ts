import { QDRANT_API_VERSION, type OperatorSettings, type QdrantCluster } from '@qhc/schemas';
import type { EventRecorder, KubeClient, KubeObject, Logger } from '@qhc/kube';
import type { OperatorMetrics } from '../metrics.ts';
import type { QdrantAccess } from '../qdrant/access.ts';

export const STATUS_FIELD_MANAGER = 'qhc-operator-status';

export interface BackupDeps {
  client: KubeClient;
  settings: () => OperatorSettings;
  recorder: EventRecorder;
  logger: Logger;
  metrics: OperatorMetrics;
  qdrant: QdrantAccess;
  /** Epoch ms; injectable so schedules and retention can be tested without waiting. */
  now: () => number;
}

export const VOLUME_SNAPSHOT = { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot' } as const;
export const QDRANT_CLUSTER = { apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' } as const;
export const CLUSTER_SNAPSHOT = { apiVersion: QDRANT_API_VERSION, kind: 'QdrantClusterSnapshot' } as const;
export const SCHEDULED_SNAPSHOT = { apiVersion: QDRANT_API_VERSION, kind: 'QdrantClusterScheduledSnapshot' } as const;
export const CLUSTER_RESTORE = { apiVersion: QDRANT_API_VERSION, kind: 'QdrantClusterRestore' } as const;

export type VolumeSnapshotObject = KubeObject & {
  spec: { source: { persistentVolumeClaimName?: string }; volumeSnapshotClassName?: string };
  status?: { readyToUse?: boolean; restoreSize?: string; boundVolumeSnapshotContentName?: string; error?: { message?: string; time?: string } };
};

export const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** "1h2m3s", as Go prints a time.Duration rounded to seconds (upstream's completionTime). */
export function goDuration(ms: number): string {
  let seconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  return `${hours ? `${hours}h` : ''}${hours || minutes ? `${minutes}m` : ''}${seconds}s`;
}

/** The QdrantCluster of a namespace whose spec.id is `id`. */
export async function findCluster(client: KubeClient, namespace: string, id: string): Promise<QdrantCluster | undefined> {
  const list = await client.list<KubeObject & QdrantCluster>(QDRANT_CLUSTER, { namespace });
  return list.items.find((c) => c.spec?.id === id);
}

/** Objects owned by `owner` (by uid) among `items`. */
export function ownedBy<T extends KubeObject>(items: T[], uid: string | undefined): T[] {
  return items.filter((o) => o.metadata.ownerReferences?.some((r) => r.uid === uid));
}
