import type { OperatorSettings, QdrantCluster, RebalanceStrategy } from '@qhc/schemas';
import { ManifestError } from '../errors.ts';

// The effective configuration of one cluster: the cluster's own fields where it sets them,
// else the operator settings' defaults, else the defaults Qdrant's operator documents.
// Builders read this, never both sources, so precedence is decided in one place.

export const QDRANT_HTTP_PORT = 6333;
export const QDRANT_GRPC_PORT = 6334;
export const QDRANT_P2P_PORT = 6335;

export interface ResolvedCluster {
  id: string;
  namespace: string | undefined;
  size: number;
  image: string;
  pullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  pullSecret: string | undefined;
  logLevel: string;
  dbStorageClass: string | undefined;
  snapshotStorageClass: string | undefined;
  storageSize: string;
  cpu: string;
  memory: string;
  requestCpu: string;
  requestMemory: string;
  /** uid/gid/fsGroup, when a security context applies at all. */
  security: { user?: number; group?: number; fsGroup?: number } | undefined;
  tls: boolean;
  p2pTls: boolean;
}

function toId(value: string | number | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  return typeof value === 'number' ? value : Number(value);
}

export function resolveCluster(cluster: QdrantCluster, settings: OperatorSettings): ResolvedCluster {
  const { spec } = cluster;
  const s = settings.settings;
  const resources = spec.resources;
  if (!resources?.cpu || !resources.memory || !resources.storage) {
    throw new ManifestError('spec.resources', 'cpu, memory and storage are required');
  }
  const repository = spec.image?.repository ?? s.qdrant.image.repository;
  const gpuSuffix = spec.gpu ? `-gpu-${spec.gpu.gpuType}` : '';

  // Cluster-level security wins; else the settings' context when enabled; else none.
  let security: ResolvedCluster['security'];
  if (spec.security) {
    security = { user: spec.security.user, group: spec.security.group, fsGroup: spec.security.fsGroup };
  } else if (s.qdrant.securityContext.enabled) {
    security = { user: toId(s.qdrant.securityContext.user), group: toId(s.qdrant.securityContext.group), fsGroup: toId(s.qdrant.securityContext.fsGroup) };
  }

  const tls = spec.config?.service?.enable_tls ?? false;
  if (tls && (!spec.config?.tls?.cert || !spec.config.tls.key)) {
    throw new ManifestError('spec.config.tls', 'enable_tls needs tls.cert and tls.key (secret references)');
  }

  return {
    id: spec.id,
    namespace: cluster.metadata.namespace,
    size: spec.size,
    image: `${repository}:${spec.version}${gpuSuffix}`,
    pullPolicy: spec.image?.pullPolicy ?? s.qdrant.image.pull_policy,
    pullSecret: spec.image?.pullSecretName ?? (s.qdrant.image.pull_secret || undefined),
    logLevel: spec.config?.log_level ?? s.qdrant.log_level,
    dbStorageClass: spec.storageClassNames?.db ?? (s.storage.default_storage_class_names.db || undefined),
    snapshotStorageClass: spec.storageClassNames?.snapshots ?? (s.storage.default_storage_class_names.snapshot || undefined),
    storageSize: resources.storage,
    cpu: resources.cpu,
    memory: resources.memory,
    requestCpu: resources.requests?.cpu || resources.cpu,
    requestMemory: resources.requests?.memory || resources.memory,
    security,
    tls,
    p2pTls: spec.config?.tls?.caCert !== undefined,
  };
}

/** Whether the cluster uses the cluster manager: its spec.clusterManager, else the settings' clusterManager.enable. */
export function usesClusterManager(cluster: QdrantCluster, settings: OperatorSettings): boolean {
  return cluster.spec.clusterManager ?? settings.settings.clusterManager.enable;
}

/** The rebalancing the cluster manager does: the cluster's spec.rebalanceStrategy, else the settings' clusterManager.rebalanceStrategy. */
export function rebalanceStrategyOf(cluster: QdrantCluster, settings: OperatorSettings): RebalanceStrategy {
  return cluster.spec.rebalanceStrategy ?? settings.settings.clusterManager.rebalanceStrategy;
}
