import type { OperatorSettings } from '@qhc/schemas';
import { EventRecorder, Informer, WorkQueue, objectKey, type KubeClient, type KubeObject, type Logger } from '@qhc/kube';
import type { OperatorMetrics } from './metrics.ts';
import type { QdrantAccess } from './qdrant/access.ts';
import { reconcileCluster } from './reconcile/cluster.ts';

export interface ControllerOptions {
  client: KubeClient;
  settings: () => OperatorSettings;
  logger: Logger;
  metrics: OperatorMetrics;
  /** Watch one namespace; all when absent. */
  namespace?: string;
  identity: string;
  qdrant: QdrantAccess;
  concurrency?: number;
}

/**
 * Wires the QdrantCluster informer, and the informer of the StatefulSets it owns, to one
 * work queue of cluster keys. Events only enqueue; reconcile reads fresh state itself.
 */
export class ClusterController {
  private readonly clusters: Informer;
  private readonly statefulSets: Informer;
  private readonly queue: WorkQueue;

  constructor(options: ControllerOptions) {
    const { client, logger, metrics } = options;
    const recorder = new EventRecorder(client, { controller: 'qhc.dev/operator', instance: options.identity });
    this.queue = new WorkQueue(
      async (key) => {
        const started = performance.now();
        try {
          // handlerTimeout bounds one pass; what runs long in a pass (a drain) stops at the signal.
          const signal = AbortSignal.timeout(options.settings().settings.handlerTimeout * 1000);
          const result = await reconcileCluster(
            {
              client,
              settings: options.settings,
              recorder,
              logger,
              qdrant: options.qdrant,
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
        backoff: options.settings().settings.backOff,
        concurrency: options.concurrency ?? 4,
        onError: (key, error, attempt, retryInMs) => {
          const [namespace, name] = key.split('/');
          logger.error('reconcile failed', { namespace, name, attempt, retryInMs, error: error instanceof Error ? error.message : String(error) });
        },
      },
    );
    const enqueue = (o: KubeObject) => this.queue.add(objectKey(o));
    this.clusters = new Informer(client, { apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', namespace: options.namespace, logger });
    this.clusters.on({ add: enqueue, update: enqueue, delete: enqueue });
    // A StatefulSet's status (ready replicas) moves the cluster's phase: enqueue its owner.
    const enqueueOwner = (o: KubeObject) => {
      const owner = o.metadata.ownerReferences?.find((r) => r.kind === 'QdrantCluster' && r.controller);
      if (owner) this.queue.add(`${o.metadata.namespace}/${owner.name}`);
    };
    this.statefulSets = new Informer(client, { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: options.namespace, labelSelector: 'app.kubernetes.io/managed-by=qhc-operator', logger });
    this.statefulSets.on({ add: enqueueOwner, update: enqueueOwner, delete: enqueueOwner });
  }

  async start(): Promise<void> {
    this.clusters.start();
    this.statefulSets.start();
    await Promise.all([this.clusters.waitForSync(), this.statefulSets.waitForSync()]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.clusters.stop(), this.statefulSets.stop()]);
    await this.queue.shutdown();
  }
}
