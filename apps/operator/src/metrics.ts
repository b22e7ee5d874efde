// The operator's metrics, on @qhc/kube's small Prometheus registry.
import { Counter, Gauge, Histogram, renderMetrics } from '@qhc/kube';

export class OperatorMetrics {
  readonly reconciles = new Counter('qhc_operator_reconciles_total', 'Reconciles run, by kind and result.');
  readonly reconcileErrors = new Counter('qhc_operator_reconcile_errors_total', 'Reconciles that failed, by kind.');
  readonly reconcileSeconds = new Histogram(
    'qhc_operator_reconcile_duration_seconds',
    'Time a reconcile took.',
    [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );
  readonly queueDepth = new Gauge('qhc_operator_queue_depth', 'Keys waiting in the work queue.');
  readonly clustersByPhase = new Gauge('qhc_operator_clusters', 'QdrantClusters by phase.');
  readonly apiRequests = new Counter('qhc_operator_apiserver_requests_total', 'Requests to the apiserver, by verb, kind and status code.');
  readonly apiRequestSeconds = new Histogram(
    'qhc_operator_apiserver_request_duration_seconds',
    'Time the apiserver took to answer, by verb (not counting the wait for the client-side rate limiter).',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
  );
  readonly apiThrottleSeconds = new Histogram(
    'qhc_operator_apiserver_throttle_seconds',
    'Time requests waited for the client-side rate limiter (--kube-api-qps, --kube-api-burst), by verb.',
    [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );
  readonly eventsUnsent = new Counter(
    'qhc_operator_events_unsent_total',
    'Events not recorded, by why: queue_full (more waiting than the recorder holds), stopped (at shutdown), failed (an error from the apiserver, or no answer, after retries).',
  );
  readonly isLeader = new Gauge('qhc_operator_leader', '1 while this replica leads.');
  readonly leadershipAcquired = new Counter(
    'qhc_operator_leadership_acquired_total',
    'Times this replica started leading (more than once: it lost the Lease and won it back).',
  );
  readonly drainSteps = new Counter(
    'qhc_operator_drain_steps_total',
    'Steps of node drains before scale-down, by step (move_shard, drop_replica, remove_peer).',
  );

  readonly backups = new Counter('qhc_operator_backups_total', 'QdrantClusterSnapshots finished, by result (Succeeded, Failed, Skipped).');
  readonly backupSeconds = new Histogram(
    'qhc_operator_backup_duration_seconds',
    "From a backup's start to all its VolumeSnapshots ready.",
    [1, 5, 15, 60, 300, 900, 3600, 14400],
  );
  readonly backupsExpired = new Counter('qhc_operator_backups_expired_total', 'QdrantClusterSnapshots deleted at the end of their retention or history.');
  readonly scheduledSnapshots = new Counter('qhc_operator_scheduled_snapshots_total', 'QdrantClusterSnapshots made by schedules, by kind (on_time, catch_up).');
  readonly restores = new Counter('qhc_operator_restores_total', 'QdrantClusterRestores finished, by result and reason.');

  render(): string {
    return renderMetrics([
      this.reconciles,
      this.reconcileErrors,
      this.reconcileSeconds,
      this.queueDepth,
      this.clustersByPhase,
      this.apiRequests,
      this.apiRequestSeconds,
      this.apiThrottleSeconds,
      this.eventsUnsent,
      this.isLeader,
      this.leadershipAcquired,
      this.drainSteps,
      this.backups,
      this.backupSeconds,
      this.backupsExpired,
      this.scheduledSnapshots,
      this.restores,
    ]);
  }
}
