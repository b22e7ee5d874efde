import {
  API_KEY_SECRET_KEY,
  LABEL_CLUSTER_ID,
  LABEL_CUSTOMER_ID,
  QDRANT_API_VERSION,
  READ_ONLY_API_KEY_SECRET_KEY,
  apiKeySecretName,
  clusterResourceName,
  qdrantClusterKind,
  type ClusterOrigin,
  type DesiredCluster,
  type DesiredState,
} from '@qhc/schemas';
import type { KubeObject } from '../object.ts';

// The objects the agent applies for a region's desired state, and those it deletes: pure, so
// what the agent does with an answer of the control plane is tested without a cluster.

/** The field manager of the agent's server-side applies. */
export const AGENT_FIELD_MANAGER = 'qhc-agent';
/** On every object the agent applies: a QdrantCluster without it was made by someone else. */
export const AGENT_MANAGED_BY_LABELS = { 'app.kubernetes.io/managed-by': AGENT_FIELD_MANAGER } as const;
/** On the objects the agent applies: which control-plane revision they came from. */
export const ANNOTATION_REVISION = 'qhc.dev/region-revision';

export interface DesiredObjectsOptions {
  /** The region's namespace, where every object goes. */
  namespace: string;
}

/** What the agent gets, deletes or lists: identity only. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** One cluster: its API-key Secret (when it has keys) is applied before the QdrantCluster that references it. */
export interface DesiredClusterObjects {
  id: string;
  origin?: ClusterOrigin;
  apiKeySecret?: KubeObject;
  cluster: KubeObject;
}

/** A cluster deleted through the control plane: the QdrantCluster (only the agent's) and its API-key Secret. */
export interface ClusterDeletion {
  id: string;
  cluster: ObjectRef;
  apiKeySecret: ObjectRef;
}

export interface DesiredStateObjects {
  clusters: DesiredClusterObjects[];
  /** Backups, backup schedules and restores. */
  resources: KubeObject[];
  resourceDeletions: ObjectRef[];
  clusterDeletions: ClusterDeletion[];
}

/** The QdrantCluster of cluster `id` in `namespace`, as the agent gets and deletes it. */
export function clusterRef(namespace: string, id: string): ObjectRef {
  return { apiVersion: QDRANT_API_VERSION, kind: qdrantClusterKind.kind, namespace, name: clusterResourceName(id) };
}

/**
 * Every object of `state` the agent applies, in order, and what it deletes. A cluster whose
 * record has API keys gets a Secret with them, and its spec references the Secret (the keys
 * never sit in the QdrantCluster). Deletions list only what the control plane deleted: a
 * cluster missing from the answer (a partial answer, an older revision) is left alone.
 */
export function buildDesiredStateObjects(state: DesiredState, options: DesiredObjectsOptions): DesiredStateObjects {
  const { namespace } = options;
  const revision = String(state.revision);
  const labels = (clusterId: string) => ({ ...AGENT_MANAGED_BY_LABELS, [LABEL_CLUSTER_ID]: clusterId, [LABEL_CUSTOMER_ID]: state.region.name });
  return {
    clusters: state.clusters.map((cluster) => clusterObjects(cluster, namespace, labels(cluster.id), revision)),
    resources: state.resources.map((resource) => ({
      apiVersion: QDRANT_API_VERSION,
      kind: resource.kind,
      metadata: { name: resource.name, namespace, labels: labels(resource.clusterId), annotations: { [ANNOTATION_REVISION]: revision } },
      spec: resource.spec,
    })),
    resourceDeletions: state.resourceDeletions.map((r) => ({ apiVersion: QDRANT_API_VERSION, kind: r.kind, namespace, name: r.name })),
    clusterDeletions: state.deletions.map((id) => ({
      id,
      cluster: clusterRef(namespace, id),
      apiKeySecret: { apiVersion: 'v1', kind: 'Secret', namespace, name: apiKeySecretName(id) },
    })),
  };
}

function clusterObjects(cluster: DesiredCluster, namespace: string, labels: Record<string, string>, revision: string): DesiredClusterObjects {
  const apiKeySecret = buildApiKeySecret(cluster, namespace);
  return {
    id: cluster.id,
    ...(cluster.origin ? { origin: cluster.origin } : {}),
    ...(apiKeySecret ? { apiKeySecret } : {}),
    cluster: {
      apiVersion: QDRANT_API_VERSION,
      kind: qdrantClusterKind.kind,
      metadata: { name: clusterResourceName(cluster.id), namespace, labels, annotations: { ...cluster.annotations, [ANNOTATION_REVISION]: revision } },
      spec: apiKeySecret ? withApiKeyRefs(cluster) : { ...cluster.spec },
    },
  };
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** The Secret of a cluster's API keys; undefined when it has none. */
export function buildApiKeySecret(cluster: Pick<DesiredCluster, 'id' | 'apiKeys'>, namespace: string): KubeObject | undefined {
  const { apiKey, readOnlyApiKey } = cluster.apiKeys ?? {};
  if (!apiKey && !readOnlyApiKey) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: apiKeySecretName(cluster.id), namespace, labels: { ...AGENT_MANAGED_BY_LABELS, [LABEL_CLUSTER_ID]: cluster.id } },
    type: 'Opaque',
    // `data`, not `stringData`: server-side apply removes a key left out of `data` (one deleted
    // through the API), but a key left out of `stringData` would stay in the stored `data`.
    data: {
      ...(apiKey ? { [API_KEY_SECRET_KEY]: base64(apiKey) } : {}),
      ...(readOnlyApiKey ? { [READ_ONLY_API_KEY_SECRET_KEY]: base64(readOnlyApiKey) } : {}),
    },
  };
}

/** The spec with `config.service`'s keys pointing at the Secret; the rest of the config kept. */
function withApiKeyRefs(cluster: DesiredCluster): Record<string, unknown> {
  const { apiKey, readOnlyApiKey } = cluster.apiKeys ?? {};
  const secretKeyRef = (key: string) => ({ secretKeyRef: { name: apiKeySecretName(cluster.id), key } });
  const config = (cluster.spec.config ?? {}) as { service?: Record<string, unknown> };
  return {
    ...cluster.spec,
    config: {
      ...config,
      service: {
        ...config.service,
        ...(apiKey ? { api_key: secretKeyRef(API_KEY_SECRET_KEY) } : {}),
        ...(readOnlyApiKey ? { read_only_api_key: secretKeyRef(READ_ONLY_API_KEY_SECRET_KEY) } : {}),
      },
    },
  };
}
