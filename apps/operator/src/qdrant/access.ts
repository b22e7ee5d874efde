import { headlessServiceName, podName, type QdrantCluster } from '@qhc/schemas';
import { QDRANT_HTTP_PORT } from '@qhc/manifests';
import type { KubeClient, KubeObject } from '@qhc/kube';
import type { QdrantEndpoint } from '@qhc/qdrant';

/** Where the operator reaches the Qdrant process of one node of a cluster. */
export type QdrantAccess = (cluster: QdrantCluster, node: number) => Promise<QdrantEndpoint>;

/**
 * In the cluster: the node's stable DNS name through the headless Service. Outside it
 * (app_environment: local, e.g. with port-forwards or a test double) a URL template with
 * {namespace}, {name}, {id} and {node} replaces it.
 */
export function qdrantAccess(client: KubeClient, urlTemplate?: string): QdrantAccess {
  return async (cluster, node) => {
    const namespace = cluster.metadata.namespace ?? 'default';
    const id = cluster.spec.id;
    const url = urlTemplate
      ? urlTemplate
          .replaceAll('{namespace}', namespace)
          .replaceAll('{name}', cluster.metadata.name ?? '')
          .replaceAll('{id}', id)
          .replaceAll('{node}', String(node))
      : `${cluster.spec.config?.service?.enable_tls ? 'https' : 'http'}://${podName(id, node)}.${headlessServiceName(id)}.${namespace}.svc:${QDRANT_HTTP_PORT}`;
    return { url, apiKey: await apiKey(client, cluster) };
  };
}

/** The cluster's API key, read from its Secret at the moment of use (never cached: it may rotate). */
async function apiKey(client: KubeClient, cluster: QdrantCluster): Promise<string | undefined> {
  const ref = cluster.spec.config?.service?.api_key?.secretKeyRef;
  if (!ref) return undefined;
  const secret = await client.get<KubeObject & { data?: Record<string, string> }>({
    apiVersion: 'v1',
    kind: 'Secret',
    namespace: cluster.metadata.namespace,
    name: ref.name,
  });
  const value = secret?.data?.[ref.key];
  if (value === undefined) throw new Error(`the API key Secret ${cluster.metadata.namespace}/${ref.name} has no key ${ref.key}`);
  return Buffer.from(value, 'base64').toString('utf8');
}
