export { loadKubeConfig, currentNamespace, KubeConfigError, SERVICE_ACCOUNT_DIR, type LoadKubeConfigOptions } from './config.ts';
export { KubeConfig, type KubeCluster, type KubeContext, type KubeCredentials, type KubeUser } from './kubeconfig.ts';
export { KubeClient, createKubeClient, type ApplyOptions, type DeleteOptions, type KubeClientOptions, type ListOptions } from './client.ts';
export { KubeTransport, parseWarnings, type KubeResponse, type RequestOptions } from './transport.ts';
export { Discovery, resourcePath, discoveryPath, type ResourceInfo } from './discovery.ts';
export { KubeApiError, KubeConnectionError, describeRef, type ObjectRef } from './errors.ts';
export { objectKey, splitKey, type KubeList, type KubeObject, type ResourceRef } from './objects.ts';
export { Informer, type InformerHandlers, type InformerOptions } from './informer.ts';
export { IndexedStore, type Indexers, type InformerStoreOptions } from './store.ts';
export { LineSplitter } from './lines.ts';
export { WorkQueue, type ReconcileResult, type WorkQueueOptions } from './work-queue.ts';
export { PRIORITY } from './priority-fifo.ts';
export { TokenBucket, RequestRateLimiter } from './rate-limiter.ts';
export { incrementalBackoffMs, exponentialBackoffMs } from './backoff.ts';
export { addFinalizer, removeFinalizer, hasFinalizer } from './finalizers.ts';
export { EventRecorder, type EventInput, type EventRecorderOptions } from './events.ts';
export { LeaderElector, type LeaderElectionOptions } from './leader-election.ts';
export { formatMicroTime, parseKubeTime } from './micro-time.ts';
export { systemClock, sleep, type Clock } from './clock.ts';
export { createLogger, silentLogger, type Logger, type LogLevel } from './logger.ts';
export { Counter, Gauge, Histogram, processMetricLines, renderMetrics, type Labels } from './metrics.ts';
export {
  APPLIED_HASH_ANNOTATION,
  appliedHash,
  applyIfChanged,
  isSubset,
  unchanged,
  withoutAnnotations,
  type ApplyIfChangedOptions,
} from './apply-if-changed.ts';
