import { LABEL_CLUSTER_ID, type QdrantCluster } from '@qhc/schemas';
import { MANAGED_BY, TRAEFIK_API_VERSION, TRAEFIK_KINDS } from '@qhc/manifests';
import { KubeApiError, applyIfChanged, type KubeClient, type KubeObject } from '@qhc/kube';
import { removeOrRelease } from './remove-owned.ts';

// The QdrantCloudTraefik provider's objects (IngressRoute, Middleware) are Traefik's kinds,
// served only where Traefik's CRDs are installed. They are not in the informer cache (an
// informer on a kind the apiserver does not serve would fail forever), so this step reads
// them directly, and a missing CRD is a failure of the pass with a clear reason, retried
// under the work queue's backoff, never a crash.

export function isTraefikObject(object: { apiVersion: string }): boolean {
  return object.apiVersion === TRAEFIK_API_VERSION;
}

/** Whether Traefik's kinds are served; a "no" is remembered for a minute, a "yes" is not needed twice. */
const notServedUntil = new WeakMap<KubeClient, number>();

async function traefikServed(client: KubeClient, fresh: boolean, now: number): Promise<boolean> {
  if (!fresh && (notServedUntil.get(client) ?? 0) > now) return false;
  try {
    await client.resource(TRAEFIK_API_VERSION, 'IngressRoute');
    notServedUntil.delete(client);
    return true;
  } catch (error) {
    if (!(error instanceof KubeApiError && error.isNotFound)) throw error;
    notServedUntil.set(client, now + 60_000);
    return false;
  }
}

export interface TraefikStep {
  client: KubeClient;
  fieldManager: string;
  cluster: QdrantCluster;
  /** The cluster's Traefik objects the builders want (none unless the provider is QdrantCloudTraefik). */
  desired: KubeObject[];
  now: number;
}

/** Applies the wanted Traefik objects and removes the cluster's others; a failure when the kinds are not served but wanted. */
export async function reconcileTraefik(step: TraefikStep): Promise<{ reason: string; message: string } | undefined> {
  const { client, cluster, desired } = step;
  if (!(await traefikServed(client, desired.length > 0, step.now))) {
    if (desired.length === 0) return undefined;
    return {
      reason: 'IngressRouteNotServed',
      message: `spec.ingress: the operator's ingress provider (settings.ingress.provider) is QdrantCloudTraefik, but this Kubernetes cluster does not serve ${TRAEFIK_API_VERSION} IngressRoute; install Traefik (its CRDs) or choose another provider`,
    };
  }
  const namespace = cluster.metadata.namespace;
  for (const item of desired) {
    const live = await client.get({ apiVersion: item.apiVersion, kind: item.kind, namespace, name: item.metadata.name! });
    await applyIfChanged(client, item, live, { fieldManager: step.fieldManager });
  }
  const keep = new Set(desired.map((d) => `${d.kind}/${d.metadata.name}`));
  const labelSelector = `${LABEL_CLUSTER_ID}=${cluster.spec.id},app.kubernetes.io/managed-by=${MANAGED_BY}`;
  for (const kind of TRAEFIK_KINDS) {
    for (const item of (await client.list(kind, { namespace, labelSelector })).items) {
      const owned = item.metadata.ownerReferences?.some((o) => o.uid === cluster.metadata.uid);
      if (owned && !keep.has(`${kind.kind}/${item.metadata.name}`) && !item.metadata.deletionTimestamp) {
        // qhc's own names only: never released, always deleted.
        await removeOrRelease(client, { ...item, apiVersion: kind.apiVersion, kind: kind.kind }, step.fieldManager, false);
      }
    }
  }
  return undefined;
}
