import { loaded, observe, operationDeadline, type ClusterPass } from './cluster-pass.ts';
import { writeClusterStatus } from './cluster-status.ts';
import { invokeClusterManager } from './manage.ts';
import { proceed, requeue, retry, step, stop } from './steps.ts';

// The last steps of a cluster pass: what the pass left behind, the cluster manager's call, the
// status (written on every pass that got this far, a failed one included), then the verdict.

/** The objects as they are now; the StatefulSet just applied is fresher than the cache. */
export const observeCluster = step<ClusterPass>('observeCluster', (pass) => {
  const { cluster } = loaded(pass);
  const observed = observe(pass.deps, cluster, pass.failure, pass.appliedSts);
  observed.now = pass.now();
  observed.deleting = pass.deleting;
  observed.operationTimeoutMs = pass.settings.settings.operationTimeout * 1000;
  pass.observed = observed;
  return proceed;
});

export const manageCluster = step<ClusterPass>('manageCluster', async (pass) => {
  const { object, cluster } = loaded(pass);
  if (!pass.observed) throw new Error(`cluster ${pass.namespace}/${pass.name}: managed before it was observed`);
  const operation = pass.busy || pass.deleting.length > 0 ? 'a scale-down is in progress' : pass.restarting ? 'a restart is in progress' : undefined;
  pass.manager = await invokeClusterManager(pass, object, cluster, pass.observed, operation);
  return proceed;
});

export const writeStatus = step<ClusterPass>('writeStatus', async (pass) => {
  const { cluster } = loaded(pass);
  if (!pass.observed) throw new Error(`cluster ${pass.namespace}/${pass.name}: status written before the cluster was observed`);
  pass.written = await writeClusterStatus(pass, cluster, pass.observed, {
    claims: pass.claims,
    deleting: pass.deleting,
    storage: pass.storage?.condition,
    manager: pass.manager,
  });
  return proceed;
});

/**
 * A failed drain, restart or Traefik apply and an overrun operation are retried, spaced by
 * the work queue's backoff; a scale-down, a restart, a suspension or a volume expansion in progress (which
 * no watch event reports) is looked at again soon; any other cluster still converging waits for
 * the watch events that move it on (its StatefulSet's status, its pods' status), and comes
 * back on its own only when its operation would time out: a timer every few seconds per
 * cluster is most of the apiserver traffic at a thousand clusters. A settled one with the
 * cluster manager comes back every pullInterval.
 */
export const decideNextPass = step<ClusterPass>('decideNextPass', (pass) => {
  const { written, failure, storage } = pass;
  if (!written) throw new Error(`cluster ${pass.namespace}/${pass.name}: decided before the status was written`);
  if (failure?.retry) return retry(`${failure.reason}: ${failure.message}`);
  if (written.reason.startsWith('OperationTimeout')) return retry(written.reason);
  const { phase } = written;
  const settled =
    (phase === 'Healthy' && !pass.busy && !pass.restarting && storage?.condition.reason !== 'Expanding') ||
    phase === 'Suspended' ||
    phase === 'ManualMaintenance';
  const progressMs = pass.deps.progressRequeueMs ?? 5_000;
  // A scale-down removes one node per pass: the next one starts on the next pass, which no event would bring.
  const nodesToRemove = (pass.desiredSts?.spec.replicas ?? 0) > (pass.cluster?.spec.size ?? 0);
  // A suspension deletes the StatefulSet first and its pods go after it (background deletion):
  // a pod's events lead to its cluster through its StatefulSet, which is no longer there.
  const suspending = phase === 'Suspending';
  if (!settled && (pass.busy || pass.restarting || nodesToRemove || suspending || storage?.condition.reason === 'Expanding'))
    return requeue(progressMs, `the cluster is ${phase}: ${written.reason}`);
  // Nodes' details not written yet (writeClusterStatus) are written when due, should no event come first.
  const waitMs = Math.min(Math.max(progressMs, timesOutInMs(pass)), written.detailsDueInMs ?? Infinity);
  if (!settled) return requeue(waitMs, `the cluster is ${phase}, waiting for its objects: ${written.reason}`);
  if (!pass.manager) return stop;
  return requeue(Math.max(1_000, Date.parse(pass.manager.nextClusterManagerInvocation) - pass.now()), 'the next cluster manager call');
});

/** Until the operation in progress would be reported as timed out (a second past it). */
function timesOutInMs(pass: ClusterPass): number {
  const now = pass.now();
  return operationDeadline(pass.cluster!, pass.settings.settings.operationTimeout, now) - now + 1_000;
}
