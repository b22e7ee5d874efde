/**
 * Test fixtures shared by every package: one per kind, so a change to a kind's required fields
 * is made here once. Plain objects (what a user would `kubectl apply`) unless the name says
 * `parsed`; overrides are merged over the defaults, never replacing the whole spec.
 */
import type { QdrantCluster } from '../crds/index.ts';
import { validateQdrantCluster } from '../resource-parsers.ts';
import { QDRANT_API_VERSION } from '../crds/kind.ts';
import { clusterResourceName } from '../names.ts';

export interface FixtureMeta {
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
}

const meta = (name: string, clusterId: string, options: FixtureMeta) => ({
  name,
  namespace: options.namespace ?? 'qdrant',
  labels: { 'cluster-id': clusterId, 'customer-id': 'acme', ...options.labels },
  ...(options.annotations ? { annotations: options.annotations } : {}),
  ...(options.uid ? { uid: options.uid } : {}),
});

/** The smallest valid cluster spec: one node, 1 CPU, 1 GiB of memory and storage. */
export function clusterSpecFixture(id: string, spec: Record<string, unknown> = {}): Record<string, unknown> & { id: string } {
  return { version: 'v1.12.4', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' }, ...spec, id };
}

/** A QdrantCluster as a user writes it: `qdrant-<id>`, labelled with its cluster and customer id. */
export function qdrantClusterFixture(id: string, spec: Record<string, unknown> = {}, options: FixtureMeta = {}) {
  return {
    apiVersion: QDRANT_API_VERSION,
    kind: 'QdrantCluster' as const,
    metadata: meta(clusterResourceName(id), id, options),
    spec: clusterSpecFixture(id, spec),
  };
}

/** The same cluster through the schema's parser, defaults applied. */
export function parsedQdrantClusterFixture(id: string, spec: Record<string, unknown> = {}, options: FixtureMeta = {}): QdrantCluster {
  return validateQdrantCluster(qdrantClusterFixture(id, spec, options));
}

/** An on-demand backup of cluster `clusterId`. */
export function clusterSnapshotFixture(name: string, clusterId: string, spec: Record<string, unknown> = {}, options: FixtureMeta = {}) {
  return {
    apiVersion: QDRANT_API_VERSION,
    kind: 'QdrantClusterSnapshot' as const,
    metadata: meta(name, clusterId, options),
    spec: { 'cluster-id': clusterId, ...spec },
  };
}

/** A backup schedule of cluster `clusterId`: nightly at 02:00, kept three days. */
export function scheduledSnapshotFixture(name: string, clusterId: string, spec: Record<string, unknown> = {}, options: FixtureMeta = {}) {
  return {
    apiVersion: QDRANT_API_VERSION,
    kind: 'QdrantClusterScheduledSnapshot' as const,
    metadata: meta(name, clusterId, options),
    spec: { 'cluster-id': clusterId, scheduleShortId: name.slice(0, 8), schedule: '0 2 * * *', retention: '72h', ...spec },
  };
}

/** A restore of backup `snapshotName` into the existing cluster `qdrant-<targetId>`. */
export function clusterRestoreFixture(name: string, snapshotName: string, targetId: string, spec: Record<string, unknown> = {}, options: FixtureMeta = {}) {
  const namespace = options.namespace ?? 'qdrant';
  return {
    apiVersion: QDRANT_API_VERSION,
    kind: 'QdrantClusterRestore' as const,
    metadata: meta(name, targetId, options),
    spec: { source: { snapshotName, namespace }, destination: { name: clusterResourceName(targetId), namespace }, ...spec },
  };
}

/** How a client names a cluster's QdrantCluster (`qdrant-<id>`) in a namespace: a get, patch or delete target. */
export function qdrantClusterRef(id: string, namespace: string) {
  return { apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' as const, namespace, name: clusterResourceName(id) };
}
