import { QDRANT_API_VERSION } from '@qhc/schemas';
import { EventRecorder, Informer, WorkQueue, objectKey, type KubeObject, type ReconcileResult } from '@qhc/kube';
import type { ControllerOptions } from '../controller.ts';
import { specOrMetaChanged } from '../event-filters.ts';
import type { BackupDeps } from './common.ts';
import { reconcileRestore } from './restore.ts';
import { reconcileSchedule } from './schedule.ts';
import { reconcileSnapshot } from './snapshot.ts';
import { untilStopped } from '../until-stopped.ts';

export type BackupControllerOptions = Pick<
  ControllerOptions,
  'client' | 'settings' | 'logger' | 'metrics' | 'namespace' | 'identity' | 'qdrant' | 'recorder'
> & { now?: () => number };

const KINDS = {
  QdrantClusterSnapshot: reconcileSnapshot,
  QdrantClusterScheduledSnapshot: reconcileSchedule,
  QdrantClusterRestore: reconcileRestore,
} satisfies Record<string, (deps: BackupDeps, key: string) => Promise<ReconcileResult>>;
type Kind = keyof typeof KINDS;

/**
 * Backups, schedules and restores: one informer per kind feeding one work queue of
 * `<Kind>:<namespace>/<name>` keys. What runs for a while (VolumeSnapshots becoming ready,
 * a restored cluster starting) is polled by requeueing, so no VolumeSnapshot informer is
 * needed: the operator runs even where no snapshot CRDs are installed.
 */
export class BackupController {
  private readonly informers: Array<{ kind: Kind; informer: Informer }> = [];
  private readonly queue: WorkQueue;
  /** Aborted by stop(): a later start() does nothing. */
  private readonly stopping = new AbortController();

  constructor(options: BackupControllerOptions) {
    const { client, logger, metrics } = options;
    const deps: BackupDeps = {
      client,
      settings: options.settings,
      recorder: options.recorder ?? new EventRecorder(client, { controller: 'qhc.dev/operator', instance: options.identity }),
      logger,
      metrics,
      qdrant: options.qdrant,
      now: options.now ?? Date.now,
    };
    this.queue = new WorkQueue(
      async (key) => {
        const kind = key.slice(0, key.indexOf(':')) as Kind;
        const started = performance.now();
        try {
          // One version of the settings per pass: a reload while it runs applies from the next one.
          const settings = options.settings();
          const result = await KINDS[kind]({ ...deps, settings: () => settings }, key.slice(kind.length + 1));
          metrics.reconciles.inc({ kind, result: 'success' });
          return result;
        } catch (error) {
          metrics.reconciles.inc({ kind, result: 'error' });
          metrics.reconcileErrors.inc({ kind });
          throw error;
        } finally {
          metrics.reconcileSeconds.observe({ kind }, (performance.now() - started) / 1000);
        }
      },
      {
        backoff: () => options.settings().settings.backOff,
        concurrency: 2,
        onError: (key, error, attempt, retryInMs) => {
          const [namespace, name] = key.slice(key.indexOf(':') + 1).split('/');
          logger.error('reconcile failed', {
            kind: key.slice(0, key.indexOf(':')),
            namespace,
            name,
            attempt,
            retryInMs,
            error: error instanceof Error ? error.message : String(error),
          });
        },
      },
    );
    for (const kind of Object.keys(KINDS) as Kind[]) {
      const informer = new Informer(client, { apiVersion: QDRANT_API_VERSION, kind, namespace: options.namespace, logger });
      const enqueue = (o: KubeObject) => this.queue.add(`${kind}:${objectKey(o)}`);
      informer.on({ add: enqueue, update: (now, old) => specOrMetaChanged(now, old) && enqueue(now), delete: enqueue });
      this.informers.push({ kind, informer });
    }
  }

  /** Queues every backup, schedule and restore: new settings (timeouts, retention, classes) apply to them. */
  requeueAll(): number {
    let count = 0;
    for (const { kind, informer } of this.informers) {
      for (const key of informer.keys()) this.queue.add(`${kind}:${key}`);
      count += informer.keys().length;
    }
    return count;
  }

  /** Does nothing once stopped: an informer started after stop() would watch for good. */
  async start(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    for (const { informer } of this.informers) informer.start();
    await untilStopped(
      Promise.all(this.informers.map(({ informer }) => informer.waitForSync())).then(() => undefined),
      this.stopping.signal,
    );
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.informers.map(({ informer }) => informer.stop()));
    await this.queue.shutdown();
  }
}
