import { ANNOTATION_RECREATE_NODE, LABEL_CLUSTER_ID, QDRANT_API_VERSION, type OperatorSettings, type QdrantCluster } from '@qhc/schemas';
import { EventRecorder, Informer, PRIORITY, WorkQueue, objectKey, type KubeClient, type KubeObject, type Logger } from '@qhc/kube';
import { STORAGE_VOLUME } from '@qhc/manifests';
import type { OperatorMetrics } from './metrics.ts';
import { addedWithProgress, apiKeySecretRoutes, claimReportChanged, clusterEventRoutes, podStatusChanged, readChanged } from './event-filters.ts';
import { API_KEY_SECRETS, BY_NAMESPACE, CACHE_INDEXERS, InformerCache, type Kind, type ObjectCache } from './cache.ts';
import { cacheTransform } from './cache-transform.ts';
import { apiKeyRefs } from './reconcile/api-keys-hash.ts';
import type { ClusterManagerLink } from './cluster-manager.ts';
import type { QdrantAccess } from './qdrant/access.ts';
import { reconcileCluster } from './reconcile/cluster.ts';
import { inProgressSince } from './reconcile/cluster-status.ts';
import { untilStopped } from './until-stopped.ts';

/** The clusters' index by namespace and spec.id: what their claims and pods are labelled with. */
const BY_SPEC_ID = 'spec-id';
/** The clusters' index of those in a phase in progress (Progressing True), counted for nodeDetailsDelayMs. */
const IN_PROGRESS = 'in-progress';

/** How long an owned object's change waits before its cluster's pass, so that changes arriving together make one pass. */
const OWNED_EVENT_DELAY_MS = 500;

/**
 * A first pass is eight requests one after another: 16 workers applied 1,000 new clusters in
 * 73.6 s on a loaded apiserver (a request's answer took about 144 ms), 32 in 68.6 s. The
 * client-side rate limit, not this, protects the apiserver.
 */
export const DEFAULT_WORKERS = 32;

export interface ControllerOptions {
  client: KubeClient;
  settings: () => OperatorSettings;
  logger: Logger;
  metrics: OperatorMetrics;
  /** Watch one namespace; all when absent. */
  namespace?: string;
  identity: string;
  qdrant: QdrantAccess;
  clusterManager?: ClusterManagerLink;
  /** Clusters reconciled at the same time (default DEFAULT_WORKERS). */
  concurrency?: number;
  /** The process's recorder (its own client and rate limit); one on `client` when absent. */
  recorder?: EventRecorder;
}

/**
 * Wires the QdrantCluster informer, and the informer of the StatefulSets it owns, to one
 * work queue of cluster keys. Events only enqueue; a pass reads the caches (./cache.ts, passCache).
 */
export class ClusterController {
  private readonly clusters: Informer;
  private readonly cache: InformerCache;
  /** What passes read: the managed objects' informers and the clusters' own. */
  private readonly passCache: ObjectCache;
  private readonly managerFailures = new Map<string, number>();
  private readonly progressWrites = new Map<string, number>();
  private readonly queue: WorkQueue;
  /** Aborted by stop(): passes in flight stop at their next wait (a drain, a restart) instead of running on unled. */
  private readonly stopping = new AbortController();

  constructor(options: ControllerOptions) {
    const { client, logger, metrics } = options;
    const recorder = options.recorder ?? new EventRecorder(client, { controller: 'qhc.dev/operator', instance: options.identity });
    this.queue = new WorkQueue(
      async (key) => {
        const started = performance.now();
        try {
          // One version of the settings per pass: a reload while it runs applies from the next one.
          const settings = options.settings();
          // handlerTimeout bounds one pass; what runs long in a pass (a drain) stops at the signal.
          const signal = AbortSignal.any([AbortSignal.timeout(settings.settings.handlerTimeout * 1000), this.stopping.signal]);
          const result = await reconcileCluster(
            {
              client,
              settings: () => settings,
              recorder,
              logger,
              qdrant: options.qdrant,
              clusterManager: options.clusterManager,
              managerFailures: this.managerFailures,
              progressWrites: this.progressWrites,
              inProgress: () => this.clusters.countByIndex(IN_PROGRESS, 'true'),
              cache: this.passCache,
              signal,
              onDrainStep: (_cluster, _node, step) => metrics.drainSteps.inc({ step: step.kind }),
            },
            key,
          );
          metrics.reconciles.inc({ kind: 'QdrantCluster', result: 'success' });
          return result;
        } catch (error) {
          metrics.reconciles.inc({ kind: 'QdrantCluster', result: 'error' });
          metrics.reconcileErrors.inc({ kind: 'QdrantCluster' });
          throw error;
        } finally {
          metrics.reconcileSeconds.observe({ kind: 'QdrantCluster' }, (performance.now() - started) / 1000);
          metrics.queueDepth.set({}, this.queue.depth);
        }
      },
      {
        backoff: () => options.settings().settings.backOff,
        concurrency: options.concurrency ?? DEFAULT_WORKERS,
        onError: (key, error, attempt, retryInMs) => {
          // A pass aborted by stop() is no failure to report.
          if (this.stopping.signal.aborted) return;
          const [namespace, name] = key.split('/');
          logger.error('reconcile failed', { namespace, name, attempt, retryInMs, error: error instanceof Error ? error.message : String(error) });
        },
      },
    );
    this.clusters = clusterInformer(client, options.namespace, logger);
    this.cache = new InformerCache(client, { namespace: options.namespace, logger });
    this.passCache = passCache(this.cache, this.clusters);
    this.routeEvents();
  }

  /** Which informer events queue which cluster. */
  private routeEvents(): void {
    const enqueue = (o: KubeObject, priority?: number) => this.queue.add(objectKey(o), priority);
    this.clusters.on(
      clusterEventRoutes(
        enqueue,
        () => this.clusters.hasSynced(),
        (o) => this.progressWrites.delete(objectKey(o)),
      ),
    );
    // A change to an owned object (a StatefulSet's ready replicas, a deleted Service) is a
    // change to its cluster: its owner is queued. Only a change of what the cache keeps (what a
    // pass reads) counts: not a resync, nor a new resourceVersion alone; nor an object appearing
    // (the pass that applied it goes on with what the apiserver answered). The owner comes a
    // moment later: a pod's and its StatefulSet's updates arrive together, one pass sees both.
    const enqueueOwner = (o: KubeObject) => {
      const owner = o.metadata.ownerReferences?.find((r) => r.kind === 'QdrantCluster' && r.controller);
      if (owner) this.queue.addAfter(`${o.metadata.namespace}/${owner.name}`, OWNED_EVENT_DELAY_MS);
    };
    const enqueueChangedOwner = (now: KubeObject, old: KubeObject) => readChanged(now, old) && enqueueOwner(now);
    for (const [kind, informer] of this.cache.informers) {
      if (kind === 'v1/Pod' || kind === 'v1/PersistentVolumeClaim' || kind === 'v1/Secret') continue;
      const enqueueAddedOwner = (o: KubeObject) => addedWithProgress(o, informer.hasSynced()) && enqueueOwner(o);
      informer.on({ add: enqueueAddedOwner, update: enqueueChangedOwner, delete: enqueueOwner });
    }
    // A pod gone (or going): a scale-down or a restart waiting for it can go on.
    const enqueueStsOwner = (pod: KubeObject) => {
      const sts = pod.metadata.ownerReferences?.find((r) => r.kind === 'StatefulSet');
      const owner = sts && this.cache.get({ apiVersion: 'apps/v1', kind: 'StatefulSet' }, pod.metadata.namespace, sts.name);
      if (owner) enqueueOwner(owner);
    };
    // A pod asking to be recreated, or whose status changed (readiness, phase, restarts: the
    // cluster's status reports them, and the StatefulSet's update can arrive before its pod's):
    // its StatefulSet's cluster.
    const enqueuePodOwner = (pod: KubeObject, old?: KubeObject) => {
      const recreate = pod.metadata.annotations?.[ANNOTATION_RECREATE_NODE] !== undefined;
      if (!recreate && (old === undefined || !podStatusChanged(pod, old))) return;
      enqueueStsOwner(pod);
    };
    this.cache.informer({ apiVersion: 'v1', kind: 'Pod' }).on({ add: (pod) => enqueuePodOwner(pod), update: enqueuePodOwner, delete: enqueueStsOwner });
    // A changed API-key Secret: every cluster of its namespace whose pods take keys from it.
    const enqueueKeyUsers = (secret: KubeObject, priority?: number) => {
      for (const cluster of this.clusters.byIndex(BY_NAMESPACE, secret.metadata.namespace ?? '') as unknown as QdrantCluster[])
        if (apiKeyRefs(cluster).some((r) => r.name === secret.metadata.name)) enqueue(cluster as unknown as KubeObject, priority);
    };
    this.cache.informer(API_KEY_SECRETS).on(apiKeySecretRoutes(enqueueKeyUsers));
    this.routeClaimEvents();
  }

  /**
   * A database claim's phase or capacity, as the nodes' details report them: its cluster, found
   * by the id the claim is labelled with (no QdrantCluster owns a claim). The PersistentVolume
   * controller can flip a bound claim to Lost and back after its pod is ready, and a driver can
   * report a capacity above the request: no other event would follow. The snapshots volume's
   * claims are not reported. A claim appearing counts only once synced: a relist after a gap.
   */
  private routeClaimEvents(): void {
    const claims = this.cache.informer({ apiVersion: 'v1', kind: 'PersistentVolumeClaim' });
    const enqueueClaimOwner = (claim: KubeObject) => {
      const id = claim.metadata.labels?.[LABEL_CLUSTER_ID];
      if (!id || !claim.metadata.name?.startsWith(`${STORAGE_VOLUME}-`)) return;
      for (const c of this.clusters.byIndex(BY_SPEC_ID, `${claim.metadata.namespace ?? ''}/${id}`)) this.queue.addAfter(objectKey(c), OWNED_EVENT_DELAY_MS);
    };
    claims.on({
      add: (claim) => claims.hasSynced() && enqueueClaimOwner(claim),
      update: (now, old) => claimReportChanged(now, old) && enqueueClaimOwner(now),
      delete: enqueueClaimOwner,
    });
  }

  /** Queues every known cluster: new settings change what each one should look like. */
  requeueAll(): number {
    const keys = this.clusters.keys();
    for (const key of keys) this.queue.add(key, PRIORITY.low);
    return keys.length;
  }

  /** Does nothing once stopped: an informer started after stop() would watch for good. */
  async start(): Promise<void> {
    const stopped = this.stopping.signal;
    if (stopped.aborted) return;
    // The caches first: the clusters' informer starts enqueueing as soon as it lists.
    await untilStopped(this.cache.start(), stopped);
    if (stopped.aborted) return;
    this.clusters.start();
    await untilStopped(this.clusters.waitForSync(), stopped);
  }

  /**
   * Leadership lost, or the process stopping: a pass in flight (a drain can take hours) must not
   * run on while another replica leads, nor hold up this replica's next term or its exit.
   */
  async stop(): Promise<void> {
    this.stopping.abort(new Error('the controller stopped (leadership lost or shutting down)'));
    await Promise.all([this.clusters.stop(), this.cache.stop()]);
    await this.queue.shutdown();
  }
}

/**
 * The clusters, as passes read them (spec and status) and events are routed by (metadata,
 * API-key refs); the operator's own writes of a cluster go in as they are answered.
 */
function clusterInformer(client: KubeClient, namespace: string | undefined, logger: Logger): Informer {
  return new Informer(client, {
    apiVersion: QDRANT_API_VERSION,
    kind: 'QdrantCluster',
    namespace,
    logger,
    transform: cacheTransform('QdrantCluster'),
    indexers: {
      ...CACHE_INDEXERS,
      [BY_SPEC_ID]: (o) => {
        const id = (o as unknown as Partial<QdrantCluster>).spec?.id;
        return id ? [`${o.metadata.namespace ?? ''}/${id}`] : [];
      },
      [IN_PROGRESS]: (o) => (inProgressSince((o as unknown as Partial<QdrantCluster>).status) ? ['true'] : []),
    },
    // Every pass writes its cluster through: even the first answer must be checked against the watch.
    writeThrough: true,
  });
}

const isCluster = (kind: Kind) => kind.apiVersion === QDRANT_API_VERSION && kind.kind === 'QdrantCluster';

/** The managed kinds from their informers, the clusters from theirs, which takes the pass's writes of a cluster. */
function passCache(cache: InformerCache, clusters: Informer): ObjectCache {
  return {
    get: <T extends KubeObject>(kind: Kind, namespace: string | undefined, name: string) => {
      if (!isCluster(kind)) return cache.get<T>(kind, namespace, name);
      const cached = clusters.get(namespace ? `${namespace}/${name}` : name);
      // A copy: the pass builds on its object; the cache's stays as the watch and the writes left it.
      return cached && (structuredClone(cached) as T);
    },
    list: <T extends KubeObject>(kind: Kind, namespace: string | undefined, labels: Record<string, string>) => cache.list<T>(kind, namespace, labels),
    wrote: (object) => {
      if (isCluster(object)) clusters.wrote(object);
    },
  };
}
