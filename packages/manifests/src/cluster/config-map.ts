import { createHash } from 'node:crypto';
import { ANNOTATION_BOOTSTRAP_NODE, configMapName, headlessServiceName, podName, statefulSetName, type QdrantCluster } from '@qhc/schemas';
import { stringify } from 'yaml';
import { normalize, type KubeObject } from '../object.ts';
import { objectMeta } from './labels.ts';
import { QDRANT_GRPC_PORT, QDRANT_HTTP_PORT, QDRANT_P2P_PORT, type ResolvedCluster } from './resolve.ts';

export const CONFIG_KEY = 'production.yaml';
export const INIT_SCRIPT_KEY = 'initialize.sh';
export const STORAGE_PATH = '/qdrant/storage';
export const SNAPSHOTS_PATH = '/qdrant/snapshots';
export const TLS_PATH = '/qdrant/tls';
export const INIT_PATH = '/qdrant/init';

/** Qdrant's production.yaml for the cluster: distributed mode, ports, paths, the cluster's config. */
export function qdrantConfig(cluster: QdrantCluster, resolved: ResolvedCluster): Record<string, unknown> {
  const config = cluster.spec.config;
  const collection = config?.collection;
  return {
    log_level: resolved.logLevel,
    // A self-hosted database does not report usage to Qdrant unless its owner says so.
    telemetry_disabled: true,
    storage: {
      storage_path: STORAGE_PATH,
      snapshots_path: SNAPSHOTS_PATH,
      max_collections: config?.storage?.maxCollections,
      performance: config?.storage?.performance,
      collection: collection
        ? {
            replication_factor: collection.replication_factor,
            write_consistency_factor: collection.write_consistency_factor,
            vectors: collection.vectors,
            strict_mode: collection.strict_mode ? { enabled: true, ...collection.strict_mode } : undefined,
          }
        : undefined,
    },
    service: {
      host: '0.0.0.0',
      http_port: QDRANT_HTTP_PORT,
      grpc_port: QDRANT_GRPC_PORT,
      enable_tls: resolved.tls,
      jwt_rbac: config?.service?.jwt_rbac,
      hide_jwt_dashboard: config?.service?.hide_jwt_dashboard,
      max_request_size_mb: config?.service?.max_request_size_mb,
    },
    cluster: { enabled: true, p2p: { port: QDRANT_P2P_PORT, enable_tls: resolved.p2pTls }, consensus: { tick_period_ms: 100 } },
    tls:
      resolved.tls || resolved.p2pTls
        ? {
            cert: config?.tls?.cert ? `${TLS_PATH}/cert.pem` : undefined,
            key: config?.tls?.key ? `${TLS_PATH}/key.pem` : undefined,
            ca_cert: config?.tls?.caCert ? `${TLS_PATH}/ca.pem` : undefined,
          }
        : undefined,
    audit: config?.audit,
    inference: config?.inference,
  };
}

/** The node others join through: node 0, or the bootstrap-node annotation's (validated by the schema). */
export function bootstrapNode(cluster: QdrantCluster): number {
  const value = cluster.metadata.annotations?.[ANNOTATION_BOOTSTRAP_NODE];
  return value === undefined ? 0 : Number(value);
}

/**
 * The start script: the bootstrap node (node 0, or the operator.qdrant.com/bootstrap-node
 * annotation's, for when node 0 is in a bad state) starts the cluster, every other node joins
 * it through its stable DNS name. Qdrant keeps its peer state on disk, so a restarted node
 * rejoins on its own and --bootstrap only matters on a node's first start.
 * The operator.qdrant.com/reinit annotation is refused by the schema: as a flag here it would
 * reinitialise consensus at every later restart of the bootstrap node.
 */
export function initScript(cluster: QdrantCluster, resolved: ResolvedCluster): string {
  const scheme = resolved.p2pTls ? 'https' : 'http';
  const id = cluster.spec.id;
  const domain = `${headlessServiceName(id)}${resolved.namespace ? `.${resolved.namespace}` : ''}`;
  const leader = bootstrapNode(cluster);
  const first = `${scheme}://${podName(id, leader)}.${domain}:${QDRANT_P2P_PORT}`;
  const self = `${scheme}://${statefulSetName(id)}-"$index".${domain}:${QDRANT_P2P_PORT}`;
  const delay = cluster.spec.startupDelaySeconds ?? 0;
  return [
    '#!/bin/bash',
    '# Written by qhc: starts one Qdrant peer of a StatefulSet.',
    'set -euo pipefail',
    'ulimit -n "$(ulimit -Hn)"',
    'index="${HOSTNAME##*-}"',
    ...(delay > 0 ? [`echo "startupDelaySeconds: waiting ${delay}s before starting"`, `sleep ${delay}`] : []),
    `if [ "$index" = "${leader}" ]; then`,
    `  exec ./entrypoint.sh --uri "${first}"`,
    'fi',
    `exec ./entrypoint.sh --bootstrap "${first}" --uri "${self}"`,
    '',
  ].join('\n');
}

export function buildConfigMap(cluster: QdrantCluster, resolved: ResolvedCluster): KubeObject {
  return normalize({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: objectMeta(cluster, configMapName(resolved.id), 'config'),
    data: {
      [CONFIG_KEY]: stringify(normalize(qdrantConfig(cluster, resolved)), { version: '1.1', lineWidth: 0 }),
      [INIT_SCRIPT_KEY]: initScript(cluster, resolved),
    },
  });
}

/** A short hash of the rendered config: a pod template annotation, so a config change rolls the pods. */
export function configHash(configMap: KubeObject): string {
  return createHash('sha256').update(JSON.stringify(configMap.data)).digest('hex').slice(0, 16);
}
