import { splitKey, type ReconcileResult } from '@qhc/kube';
import { newClusterPass, type ClusterPass, type ClusterReconcilerDeps } from './cluster-pass.ts';
import { applyDesired, applyTraefik, pruneUnwanted, recreateNodes, resizeStorage, restartGuarded, scaleDown } from './cluster-converge-steps.ts';
import { adoptCluster, buildDesired, readCluster, releaseDeleted, validateSpec } from './cluster-read-steps.ts';
import { decideNextPass, manageCluster, observeCluster, writeStatus } from './cluster-report-steps.ts';
import { runSteps, type Step } from './steps.ts';

export { FIELD_MANAGER, FINALIZER, STATUS_FIELD_MANAGER, type ClusterReconcilerDeps } from './cluster-pass.ts';
export { RetryLaterError } from './steps.ts';

/**
 * One pass over one QdrantCluster, level-based: read what is, apply what should be, prune
 * what should not, write the status. Any step may fail or the process may die at any line;
 * the next pass starts again from what it reads. The order is tested: dropping a step or
 * swapping two neighbours fails test/steps/cluster-steps-order.test.ts.
 */
export const CLUSTER_STEPS: readonly Step<ClusterPass>[] = [
  readCluster,
  releaseDeleted,
  validateSpec,
  adoptCluster,
  buildDesired,
  scaleDown,
  recreateNodes,
  applyDesired,
  pruneUnwanted,
  applyTraefik,
  restartGuarded,
  resizeStorage,
  observeCluster,
  manageCluster,
  writeStatus,
  decideNextPass,
];

export async function reconcileCluster(
  deps: ClusterReconcilerDeps,
  key: string,
  steps: readonly Step<ClusterPass>[] = CLUSTER_STEPS,
): Promise<ReconcileResult> {
  const { namespace, name } = splitKey(key);
  return runSteps(steps, newClusterPass(deps, namespace, name));
}
