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
import { applyIfChanged, type KubeClient, type KubeObject, type Logger } from '@qhc/kube';
import { applyInstallation, type InstallationOptions, type InstallationResult, type InstallationStatus } from './installation.ts';
import { isOtherRestore } from './adoption.ts';
import { DEFAULT_APPLY_CONCURRENCY, forEachBounded } from './concurrency.ts';
import { listLive, liveKey, type LiveObjects } from './live-objects.ts';

export const FIELD_MANAGER = AGENT_FIELD_MANAGER;
export { ANNOTATION_REVISION };
export { DEFAULT_APPLY_CONCURRENCY };

/** The hash of what the agent last applied, on the object: the operator's own (qhc.dev/applied-hash) is another manager's. */
export const AGENT_APPLIED_HASH_ANNOTATION = 'qhc.dev/agent-applied-hash';

export interface ApplyResult {
  /** What was written; an object already as desired is not. */
  applied: string[];
  /** Objects left alone because they already held what would be applied. */
  unchanged: string[];
  deleted: string[];
  installation: InstallationStatus;
}

export interface DesiredStateApplyOptions extends InstallationOptions {
  /** Independent clusters applied at once (--apply-concurrency); default 8. */
  concurrency?: number;
}

/** The agent's field manager; the revision annotation alone is no change. */
const AGENT_APPLY = { fieldManager: FIELD_MANAGER, hashAnnotation: AGENT_APPLIED_HASH_ANNOTATION, ignoreAnnotations: [ANNOTATION_REVISION] };

/** Writes an object unless the live one already holds it; counts both. */
type Applier = (object: KubeObject, live: KubeObject | undefined) => Promise<void>;

/**
 * Makes the region's namespace match the desired state, with server-side apply: the
 * installation (applyInstallation: CRDs, RBAC, settings, CA, pull Secret, the components),
 * then what buildDesiredStateObjects builds: each QdrantCluster (and its API-key Secret),
 * backups, schedules and restores. What is live is read with one LIST per kind, and an
 * object whose live state already holds what would be applied (the hash of it stamped at the
 * last apply, and every field) is not sent: a reconnect with nothing changed writes nothing.
 * The region-revision annotation is left out of that comparison, so it says the revision an
 * object last changed at, and one changed cluster is the only one written. Clusters are
 * applied `concurrency` at a time (each its Secret before it). Deletes only what the desired
 * state lists as deleted: a cluster missing from the list (a partial answer, an older
 * revision) is left alone.
 */
export async function applyDesiredState(
  client: KubeClient,
  namespace: string,
  state: DesiredState,
  logger: Logger,
  options: DesiredStateApplyOptions = {},
): Promise<ApplyResult> {
  const written = new Set<string>();
  const unchanged = new Set<string>();
  const apply: Applier = async (object, live) => {
    const sent = await applyIfChanged(client, object, live, AGENT_APPLY);
    (sent ? written : unchanged).add(liveKey(object));
  };
  // The installation first: a cluster may use a field only the new CRDs serve.
  const installation = await installationOrReport(client, namespace, state, logger, options);
  const objects = buildDesiredStateObjects(state, { namespace });
  const live = await listLive(client, namespace, objects);
  const concurrency = options.concurrency ?? DEFAULT_APPLY_CONCURRENCY;
  await forEachBounded(objects.clusters, concurrency, (cluster) => applyCluster(cluster, live, apply, logger));
  await forEachBounded(objects.resources, concurrency, (resource) => apply(resource, live.get(liveKey(resource))));
  const deleted = await deleteListed(client, objects, logger);
  // In the desired state's order, whatever order the concurrent applies ended in.
  const ordered = [...objects.clusters.flatMap((c) => (c.apiKeySecret ? [c.apiKeySecret, c.cluster] : [c.cluster])), ...objects.resources].map(liveKey);
  return {
    applied: [...installation.applied, ...ordered.filter((key) => written.has(key))],
    unchanged: [...installation.unchanged, ...ordered.filter((key) => unchanged.has(key))],
    deleted,
    installation: installation.status,
  };
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
): Promise<InstallationResult> {
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
      unchanged: [],
    };
  }
}

/** A cluster and its API-key Secret, unless a restore made a cluster of that name the control plane has not adopted. */
async function applyCluster(cluster: DesiredClusterObjects, live: LiveObjects, apply: Applier, logger: Logger) {
  const { namespace, name } = cluster.cluster.metadata;
  const liveCluster = live.get(liveKey(cluster.cluster));
  if (isOtherRestore(liveCluster, cluster.origin)) {
    logger.warn('cluster not applied: a restore made a cluster of this name in the region', { namespace, name });
    return;
  }
  if (cluster.apiKeySecret) await apply(cluster.apiKeySecret, live.get(liveKey(cluster.apiKeySecret)));
  await apply(cluster.cluster, liveCluster);
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
