import { stringify } from 'yaml';
import { LABEL_CLUSTER_ID, LABEL_CUSTOMER_ID } from '@qhc/schemas';
import { AGENT_NAME, CLUSTER_MANAGER_NAME, OPERATOR_NAME, OPERATOR_SETTINGS_CONFIGMAP, OPERATOR_SETTINGS_KEY, componentImages } from '@qhc/manifests';
import type { KubeClient, KubeObject, Logger } from '@qhc/kube';
import type { DesiredState } from './control-plane.ts';
import { isOtherRestore } from './adoption.ts';

export const FIELD_MANAGER = 'qhc-agent';
/** On the objects the agent applies: which control-plane revision they came from. */
export const ANNOTATION_REVISION = 'qhc.dev/region-revision';
const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'qhc-agent' };

const clusterName = (id: string) => `qdrant-${id}`;
const apiKeySecretName = (id: string) => `qdrant-${id}-api-keys`;

export interface ApplyResult {
  applied: string[];
  deleted: string[];
}

/**
 * Makes the region's namespace match the desired state, with server-side apply: the operator
 * settings, each QdrantCluster (and its API-key Secret), the operator's and the agent's images
 * when their versions change. Deletes a cluster only when the desired state lists it as
 * deleted: one missing from the list (a partial answer, an older revision) is left alone.
 */
export async function applyDesiredState(client: KubeClient, namespace: string, state: DesiredState, logger: Logger): Promise<ApplyResult> {
  const applied: string[] = [];
  const revision = String(state.revision);
  const apply = async (object: KubeObject) => {
    await client.apply(object, { fieldManager: FIELD_MANAGER });
    applied.push(`${object.kind}/${object.metadata.name}`);
  };

  await apply({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: OPERATOR_SETTINGS_CONFIGMAP, namespace, labels: MANAGED_BY, annotations: { [ANNOTATION_REVISION]: revision } },
    data: { [OPERATOR_SETTINGS_KEY]: stringify(state.region.operatorSettings) },
  });

  for (const cluster of state.clusters) {
    const live = await client.get({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', namespace, name: clusterName(cluster.id) });
    if (isOtherRestore(live, cluster.origin)) {
      logger.warn('cluster not applied: a restore made a cluster of this name in the region', { namespace, name: clusterName(cluster.id) });
      continue;
    }
    const spec: Record<string, unknown> = { ...cluster.spec };
    if (cluster.apiKeys?.apiKey || cluster.apiKeys?.readOnlyApiKey) {
      await apply({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: apiKeySecretName(cluster.id), namespace, labels: { ...MANAGED_BY, [LABEL_CLUSTER_ID]: cluster.id } },
        type: 'Opaque',
        stringData: { ...(cluster.apiKeys.apiKey ? { 'api-key': cluster.apiKeys.apiKey } : {}), ...(cluster.apiKeys.readOnlyApiKey ? { 'read-only-api-key': cluster.apiKeys.readOnlyApiKey } : {}) },
      });
      const config = (spec.config ?? {}) as { service?: Record<string, unknown> };
      spec.config = {
        ...config,
        service: {
          ...config.service,
          ...(cluster.apiKeys.apiKey ? { api_key: { secretKeyRef: { name: apiKeySecretName(cluster.id), key: 'api-key' } } } : {}),
          ...(cluster.apiKeys.readOnlyApiKey ? { read_only_api_key: { secretKeyRef: { name: apiKeySecretName(cluster.id), key: 'read-only-api-key' } } } : {}),
        },
      };
    }
    await apply({
      apiVersion: 'qdrant.io/v1',
      kind: 'QdrantCluster',
      metadata: { name: clusterName(cluster.id), namespace, labels: { ...MANAGED_BY, [LABEL_CLUSTER_ID]: cluster.id, [LABEL_CUSTOMER_ID]: state.region.name }, annotations: { ...cluster.annotations, [ANNOTATION_REVISION]: revision } },
      spec,
    });
  }

  for (const resource of state.resources ?? []) {
    await apply({
      apiVersion: 'qdrant.io/v1',
      kind: resource.kind,
      metadata: { name: resource.name, namespace, labels: { ...MANAGED_BY, [LABEL_CLUSTER_ID]: resource.clusterId, [LABEL_CUSTOMER_ID]: state.region.name }, annotations: { [ANNOTATION_REVISION]: revision } },
      spec: resource.spec,
    });
  }

  const deleted: string[] = [];
  for (const r of state.resourceDeletions ?? []) {
    if (await client.delete({ apiVersion: 'qdrant.io/v1', kind: r.kind, namespace, name: r.name })) deleted.push(`${r.kind}/${r.name}`);
  }
  for (const id of state.deletions) {
    if (await client.delete({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', namespace, name: clusterName(id) })) deleted.push(clusterName(id));
    await client.delete({ apiVersion: 'v1', kind: 'Secret', namespace, name: apiKeySecretName(id) });
  }

  // Upgrades and log levels: the operator's, the agent's and the cluster manager's images follow
  // the region's versions (componentImages, as the installation names them), the first two's
  // QHC_LOG_LEVEL its log levels. JSON patches of those fields only: a merge patch would
  // replace the whole container list.
  const images = componentImages(state.region);
  const components = [
    [OPERATOR_NAME, images[OPERATOR_NAME], state.region.advanced.logLevel.operator],
    [AGENT_NAME, images[AGENT_NAME], state.region.advanced.logLevel.agent],
    [CLUSTER_MANAGER_NAME, images[CLUSTER_MANAGER_NAME], undefined],
  ] as const;
  for (const [name, image, level] of components) {
    type Container = { name: string; image: string; env?: Array<{ name: string; value?: string }> };
    const deployment = await client.get<KubeObject & { spec: { template: { spec: { containers: Container[] } } } }>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name });
    const containers = deployment?.spec.template.spec.containers ?? [];
    const container = containers.find((c) => c.name === name) ?? containers[0];
    if (!deployment || !container) continue;
    const index = containers.indexOf(container);
    const base = `/spec/template/spec/containers/${index}`;
    const ops: unknown[] = [];
    if (container.image !== image) ops.push({ op: 'replace', path: `${base}/image`, value: image });
    const envIndex = container.env?.findIndex((e) => e.name === 'QHC_LOG_LEVEL') ?? -1;
    if (level && envIndex >= 0 && container.env![envIndex]!.value !== level) ops.push({ op: 'replace', path: `${base}/env/${envIndex}/value`, value: level });
    if (ops.length === 0) continue;
    await client.patch({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name }, [{ op: 'test', path: `${base}/name`, value: container.name }, ...ops], { contentType: 'application/json-patch+json' });
    logger.info('component updated', { namespace, name, image, logLevel: level });
    applied.push(`Deployment/${name}`);
  }
  return { applied, deleted };
}
