import { MANAGED_BY } from '@qhc/manifests';
import { LABEL_CLUSTER_ID } from '@qhc/schemas';
import { Informer, type Indexers, type KubeClient, type KubeObject, type Logger } from '@qhc/kube';
import { cacheTransform } from './cache-transform.ts';

export interface Kind {
  apiVersion: string;
  kind: string;
}

/** What a pass reads besides the cluster itself: the objects the operator manages, from memory. */
export interface ObjectCache {
  get<T extends KubeObject = KubeObject>(kind: Kind, namespace: string | undefined, name: string): T | undefined;
  /** Objects of a kind in a namespace carrying every given label. */
  list<T extends KubeObject = KubeObject>(kind: Kind, namespace: string | undefined, labels: Record<string, string>): T[];
  /**
   * A write's answer, read from here at once (Informer.wrote): the next pass must not compute
   * against the version before it. Only the clusters' cache keeps them; others ignore it.
   */
  wrote?(object: KubeObject): void;
}

/** The kinds a cluster's objects come in, watched by label `app.kubernetes.io/managed-by`. */
export const MANAGED_KINDS: Kind[] = [
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  { apiVersion: 'v1', kind: 'Pod' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
];

/** Secrets carrying a cluster-id label: the API keys of clusters, not every Secret of the namespace. */
export const API_KEY_SECRETS: Kind = { apiVersion: 'v1', kind: 'Secret' };

/** The cache's indexes: a pass asks for one cluster's objects, never scans a kind. */
export const BY_NAMESPACE = 'namespace';
export const BY_CLUSTER = 'cluster';
export const CACHE_INDEXERS: Indexers<KubeObject> = {
  [BY_NAMESPACE]: (o) => [o.metadata.namespace ?? ''],
  [BY_CLUSTER]: (o) => {
    const id = o.metadata.labels?.[LABEL_CLUSTER_ID];
    return id === undefined ? [] : [`${o.metadata.namespace ?? ''}/${id}`];
  },
};

/**
 * One informer per managed kind. Reads in a pass come from here, as in controller-runtime:
 * a converged cluster costs one GET (the cluster) per pass instead of dozens of requests.
 * A cache that lags a write can only cause a redundant, idempotent apply on the next pass.
 * Objects are stored as ./cache-transform.ts shapes them and indexed by namespace and by
 * cluster, so a pass costs the objects of its cluster, not of its kind.
 */
export class InformerCache implements ObjectCache {
  readonly informers = new Map<string, Informer>();

  constructor(client: KubeClient, options: { namespace?: string; logger: Logger }) {
    for (const kind of MANAGED_KINDS) {
      this.informers.set(
        `${kind.apiVersion}/${kind.kind}`,
        new Informer(client, {
          ...kind,
          namespace: options.namespace,
          labelSelector: `app.kubernetes.io/managed-by=${MANAGED_BY}`,
          logger: options.logger,
          transform: cacheTransform(kind.kind),
          indexers: CACHE_INDEXERS,
        }),
      );
    }
    // Clusters' API-key Secrets (the agent's, labelled with their cluster): a changed key rolls the pods.
    this.informers.set(
      `${API_KEY_SECRETS.apiVersion}/${API_KEY_SECRETS.kind}`,
      new Informer(client, {
        ...API_KEY_SECRETS,
        namespace: options.namespace,
        labelSelector: LABEL_CLUSTER_ID,
        logger: options.logger,
        transform: cacheTransform(API_KEY_SECRETS.kind),
        indexers: CACHE_INDEXERS,
      }),
    );
  }

  informer(kind: Kind): Informer {
    const informer = this.informers.get(`${kind.apiVersion}/${kind.kind}`);
    if (!informer) throw new Error(`no informer for ${kind.apiVersion} ${kind.kind}`);
    return informer;
  }

  get<T extends KubeObject = KubeObject>(kind: Kind, namespace: string | undefined, name: string): T | undefined {
    return this.informer(kind).get(namespace ? `${namespace}/${name}` : name) as T | undefined;
  }

  list<T extends KubeObject = KubeObject>(kind: Kind, namespace: string | undefined, labels: Record<string, string>): T[] {
    const informer = this.informer(kind);
    const id = labels[LABEL_CLUSTER_ID];
    const candidates = id === undefined ? informer.byIndex(BY_NAMESPACE, namespace ?? '') : informer.byIndex(BY_CLUSTER, `${namespace ?? ''}/${id}`);
    const wanted = Object.entries(labels);
    return candidates.filter((o) => o.metadata.namespace === namespace && wanted.every(([k, v]) => o.metadata.labels?.[k] === v)) as T[];
  }

  async start(): Promise<void> {
    for (const informer of this.informers.values()) informer.start();
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
