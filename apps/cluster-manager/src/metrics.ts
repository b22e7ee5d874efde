// The cluster manager's metrics, on @qhc/kube's small Prometheus registry.
import { Counter, Histogram, renderMetrics } from '@qhc/kube';

export class ManagerMetrics {
  readonly requests = new Counter('qhc_cluster_manager_requests_total', 'Manage calls, by resulting status.');
  readonly plans = new Counter('qhc_cluster_manager_plans_total', 'Rebalance plans made, by strategy and result (moves, balanced).');
  readonly moves = new Counter('qhc_cluster_manager_moves_total', 'Shard moves, by result (started, finished, failed).');
  readonly drainSteps = new Counter('qhc_cluster_manager_drain_steps_total', 'Steps of node drains, by step.');
  readonly temporaryReplicas = new Counter(
    'qhc_cluster_manager_temporary_replicas_total',
    'Shard copies made before a restart (onDemandReplication) and released after, by action.',
  );
  readonly transferSeconds = new Histogram(
    'qhc_cluster_manager_transfer_duration_seconds',
    'How long a shard move took.',
    [0.1, 0.5, 1, 5, 30, 120, 600, 3600],
  );

  render(): string {
    return renderMetrics([this.requests, this.plans, this.moves, this.drainSteps, this.temporaryReplicas, this.transferSeconds]);
  }
}
