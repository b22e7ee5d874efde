import { AGENT_MANAGED_BY_LABELS, type DesiredStateObjects } from '@qhc/manifests';
import { KubeApiError, exponentialBackoffMs, type KubeClient, type KubeList, type KubeObject, type ListOptions } from '@qhc/kube';

/** What is in the namespace now, by `kind/name`: read with one LIST per kind, not a GET per object. */
export type LiveObjects = Map<string, KubeObject>;

export const liveKey = (object: { kind: string; metadata: { name?: string } }) => `${object.kind}/${object.metadata.name ?? ''}`;

const managedBySelector = Object.entries(AGENT_MANAGED_BY_LABELS)
  .map(([key, value]) => `${key}=${value}`)
  .join(',');

/**
 * The live objects of every kind the desired state applies. Secrets, backups, schedules and
 * restores: only the agent's (its managed-by label), as the namespace holds many others. The
 * QdrantClusters: all of them, since one of a desired cluster's name that a restore made
 * (without the agent's label) must be seen to be left alone.
 */
export async function listLive(client: KubeClient, namespace: string, objects: DesiredStateObjects): Promise<LiveObjects> {
  const kinds = new Map<string, { apiVersion: string; kind: string; all: boolean }>();
  for (const cluster of objects.clusters) {
    kinds.set(cluster.cluster.kind, { apiVersion: cluster.cluster.apiVersion, kind: cluster.cluster.kind, all: true });
    if (cluster.apiKeySecret) kinds.set('Secret', { apiVersion: 'v1', kind: 'Secret', all: false });
  }
  for (const resource of objects.resources) kinds.set(resource.kind, { apiVersion: resource.apiVersion, kind: resource.kind, all: false });
  const lists = await Promise.all(
    [...kinds.values()].map(({ apiVersion, kind, all }) =>
      listRetrying(client, { apiVersion, kind }, { namespace, ...(all ? {} : { labelSelector: managedBySelector }) })
        .then((list) => list.items)
        // A kind not served (its CRD not installed here) has nothing live: its own applies fail,
        // named, after the clusters, as they did before this LIST; the other kinds still go.
        .catch((error: unknown) => {
          if (error instanceof KubeApiError && error.isNotFound) return [];
          throw error;
        })
        .then((items) => ({ apiVersion, kind, items })),
    ),
  );
  const live: LiveObjects = new Map();
  // The items of a built-in kind's list carry no apiVersion and kind: they are the list's.
  for (const { apiVersion, kind, items } of lists) for (const item of items) live.set(`${kind}/${item.metadata.name}`, { ...item, apiVersion, kind });
  return live;
}

/**
 * A LIST, tried again while the apiserver answers 429 or 5xx: right after the installation
 * applied a CRD, its storage may still be initialising ("storage is (re)initializing", 503).
 */
async function listRetrying(client: KubeClient, ref: { apiVersion: string; kind: string }, options: ListOptions): Promise<KubeList<KubeObject>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.list(ref, options);
    } catch (error) {
      const transient = error instanceof KubeApiError && (error.status === 429 || error.status >= 500);
      if (!transient || attempt >= 8) throw error;
      await new Promise((resolve) => setTimeout(resolve, exponentialBackoffMs(attempt, { baseMs: 100, maxMs: 2000 })));
    }
  }
}
