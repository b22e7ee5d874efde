import {
  AGENT_FIELD_MANAGER,
  AGENT_MANAGED_BY_LABELS,
  ANNOTATION_REVISION,
  buildDesiredStateObjects,
  type ClusterDeletion,
  type DesiredClusterObjects,
  type DesiredStateObjects,
} from '@qhc/manifests';
import type { DesiredState } from '@qhc/schemas';
import type { KubeClient, KubeObject, Logger } from '@qhc/kube';
import { applyInstallation, type InstallationOptions, type InstallationStatus } from './installation.ts';
import { isOtherRestore } from './adoption.ts';

export const FIELD_MANAGER = AGENT_FIELD_MANAGER;
export { ANNOTATION_REVISION };

export interface ApplyResult {
  applied: string[];
  deleted: string[];
  installation: InstallationStatus;
}

/**
 * Makes the region's namespace match the desired state, with server-side apply: the
 * installation (applyInstallation: CRDs, RBAC, settings, CA, pull Secret, the components),
 * then what buildDesiredStateObjects builds: each QdrantCluster (and its API-key Secret),
 * backups, schedules and restores. Deletes only what the desired state lists as deleted: a
 * cluster missing from the list (a partial answer, an older revision) is left alone.
 */
export async function applyDesiredState(
  client: KubeClient,
  namespace: string,
  state: DesiredState,
  logger: Logger,
  options: InstallationOptions = {},
): Promise<ApplyResult> {
  const applied: string[] = [];
  const apply = async (object: KubeObject) => {
    await client.apply(object, { fieldManager: FIELD_MANAGER });
    applied.push(`${object.kind}/${object.metadata.name}`);
  };
  // The installation first: a cluster may use a field only the new CRDs serve.
  const installation = await installationOrReport(client, namespace, state, logger, options);
  applied.push(...installation.applied);
  const objects = buildDesiredStateObjects(state, { namespace });
  for (const cluster of objects.clusters) await applyCluster(client, cluster, apply, logger);
  for (const resource of objects.resources) await apply(resource);
  const deleted = await deleteListed(client, objects, logger);
  return { applied, deleted, installation: installation.status };
}

/**
 * The installation, or why it was not applied: its failure (a 403 for an agent installed with
 * narrower RBAC, say) is reported, and the clusters still applied.
 */
async function installationOrReport(
  client: KubeClient,
  namespace: string,
  state: DesiredState,
  logger: Logger,
  options: InstallationOptions,
): Promise<{ status: InstallationStatus; applied: string[] }> {
  try {
    return await applyInstallation(client, namespace, state, logger, options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.warn('installation not applied; clusters applied anyway', { error: message });
    return {
      status: {
        managedBy: 'agent',
        upToDate: false,
        desiredHash: '',
        message: `installation not applied: ${message}; re-run the installation command (as cluster-admin) to update it`,
      },
      applied: [],
    };
  }
}

/** A cluster and its API-key Secret, unless a restore made a cluster of that name the control plane has not adopted. */
async function applyCluster(client: KubeClient, cluster: DesiredClusterObjects, apply: (object: KubeObject) => Promise<void>, logger: Logger) {
  const { namespace, name } = cluster.cluster.metadata;
  const live = await client.get({ apiVersion: cluster.cluster.apiVersion, kind: cluster.cluster.kind, namespace, name });
  if (isOtherRestore(live, cluster.origin)) {
    logger.warn('cluster not applied: a restore made a cluster of this name in the region', { namespace, name });
    return;
  }
  if (cluster.apiKeySecret) await apply(cluster.apiKeySecret);
  await apply(cluster.cluster);
}

async function deleteListed(client: KubeClient, objects: DesiredStateObjects, logger: Logger): Promise<string[]> {
  const deleted: string[] = [];
  for (const ref of objects.resourceDeletions) if (await client.delete(ref)) deleted.push(`${ref.kind}/${ref.name}`);
  for (const deletion of objects.clusterDeletions) if (await deleteCluster(client, deletion, logger)) deleted.push(deletion.cluster.name);
  return deleted;
}

/**
 * Only a cluster the agent applied: one of that name a restore (or kubectl) made, which the
 * agent skipped, is not the deleted record's. The API-key Secret goes either way.
 */
async function deleteCluster(client: KubeClient, deletion: ClusterDeletion, logger: Logger): Promise<boolean> {
  const live = await client.get(deletion.cluster);
  const managedBy = AGENT_MANAGED_BY_LABELS['app.kubernetes.io/managed-by'];
  if (live && live.metadata.labels?.['app.kubernetes.io/managed-by'] !== managedBy) {
    logger.warn('cluster not deleted: the agent did not make it', { namespace: deletion.cluster.namespace, name: deletion.cluster.name });
    return false;
  }
  const deleted = live ? await client.delete(deletion.cluster) : false;
  await client.delete(deletion.apiKeySecret);
  return deleted;
}
