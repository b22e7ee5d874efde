import { LABEL_CLUSTER_ID, LABEL_CUSTOMER_ID } from '@qhc/schemas';
import type { KubeClient, KubeObject, Logger } from '@qhc/kube';
import type { DesiredState } from './control-plane.ts';
import { applyInstallation, type InstallationOptions, type InstallationStatus } from './installation.ts';
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
  installation: InstallationStatus;
}

/**
 * Makes the region's namespace match the desired state, with server-side apply: the
 * installation (applyInstallation: CRDs, RBAC, settings, CA, pull Secret, the components),
 * then each QdrantCluster (and its API-key Secret), backups, schedules and restores. Deletes a cluster only when the desired state lists it as
 * deleted: one missing from the list (a partial answer, an older revision) is left alone.
 */
export async function applyDesiredState(
  client: KubeClient,
  namespace: string,
  state: DesiredState,
  logger: Logger,
  options: InstallationOptions = {},
): Promise<ApplyResult> {
  const applied: string[] = [];
  const revision = String(state.revision);
  const apply = async (object: KubeObject) => {
    await client.apply(object, { fieldManager: FIELD_MANAGER });
    applied.push(`${object.kind}/${object.metadata.name}`);
  };

  // The installation first: a cluster may use a field only the new CRDs serve. Its failure (a
  // 403 for an agent installed with narrower RBAC, say) is reported, and the clusters still applied.
  let installation: { status: InstallationStatus; applied: string[] };
  try {
    installation = await applyInstallation(client, namespace, state, logger, options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.warn('installation not applied; clusters applied anyway', { error: message });
    installation = {
      status: {
        managedBy: 'agent',
        upToDate: false,
        desiredHash: '',
        message: `installation not applied: ${message}; re-run the installation command (as cluster-admin) to update it`,
      },
      applied: [],
    };
  }
  applied.push(...installation.applied);

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
        stringData: {
          ...(cluster.apiKeys.apiKey ? { 'api-key': cluster.apiKeys.apiKey } : {}),
          ...(cluster.apiKeys.readOnlyApiKey ? { 'read-only-api-key': cluster.apiKeys.readOnlyApiKey } : {}),
        },
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
      metadata: {
        name: clusterName(cluster.id),
        namespace,
        labels: { ...MANAGED_BY, [LABEL_CLUSTER_ID]: cluster.id, [LABEL_CUSTOMER_ID]: state.region.name },
        annotations: { ...cluster.annotations, [ANNOTATION_REVISION]: revision },
      },
      spec,
    });
  }

  for (const resource of state.resources ?? []) {
    await apply({
      apiVersion: 'qdrant.io/v1',
      kind: resource.kind,
      metadata: {
        name: resource.name,
        namespace,
        labels: { ...MANAGED_BY, [LABEL_CLUSTER_ID]: resource.clusterId, [LABEL_CUSTOMER_ID]: state.region.name },
        annotations: { [ANNOTATION_REVISION]: revision },
      },
      spec: resource.spec,
    });
  }

  const deleted: string[] = [];
  for (const r of state.resourceDeletions ?? []) {
    if (await client.delete({ apiVersion: 'qdrant.io/v1', kind: r.kind, namespace, name: r.name })) deleted.push(`${r.kind}/${r.name}`);
  }
  for (const id of state.deletions) {
    // Only a cluster the agent applied: one of that name a restore (or kubectl) made, which the
    // agent skipped, is not the deleted record's.
    const live = await client.get({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', namespace, name: clusterName(id) });
    if (live && live.metadata.labels?.['app.kubernetes.io/managed-by'] !== MANAGED_BY['app.kubernetes.io/managed-by']) {
      logger.warn('cluster not deleted: the agent did not make it', { namespace, name: clusterName(id) });
      continue;
    }
    if (live && (await client.delete({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', namespace, name: clusterName(id) }))) deleted.push(clusterName(id));
    await client.delete({ apiVersion: 'v1', kind: 'Secret', namespace, name: apiKeySecretName(id) });
  }

  return { applied, deleted, installation: installation.status };
}
