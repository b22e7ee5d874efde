import type { QdrantCluster } from '@qhc/schemas';
import { rebalanceStrategyOf } from '@qhc/manifests';
import type { KubeObject } from '@qhc/kube';
import { isReady, type ObservedState } from '../status.ts';
import type { ClusterPass, ManagerStatus } from './cluster-pass.ts';

/**
 * For a cluster that uses the cluster manager, once every pullInterval: the manage call, told to do
 * nothing while the cluster is paused, suspended or in another operation. Returns what the
 * status should say (the previous answer when no call was due).
 */
export async function invokeClusterManager(
  pass: ClusterPass,
  object: KubeObject,
  cluster: QdrantCluster,
  observed: ObservedState,
  operation: string | undefined,
): Promise<ManagerStatus | undefined> {
  const { deps } = pass;
  if (!pass.managed || !deps.clusterManager) return undefined;
  const now = pass.now();
  const previous = cluster.status;
  const next = previous?.nextClusterManagerInvocation;
  if (next && Date.parse(next) > now && previous?.clusterManagerResponse) {
    return {
      clusterManagerResponse: { status: previous.clusterManagerResponse.status ?? '', description: previous.clusterManagerResponse.description ?? '' },
      nextClusterManagerInvocation: next,
    };
  }
  const nodes = observed.pods
    .map((p) => ({ index: Number(p.metadata.name!.slice(p.metadata.name!.lastIndexOf('-') + 1)), ready: isReady(p) }))
    .toSorted((a, b) => a.index - b.index);
  const response = await deps.clusterManager.invoke(cluster, nodes, blockedBy(cluster, operation), rebalanceStrategyOf(cluster, pass.settings));
  if (response.status !== previous?.clusterManagerResponse?.status || response.status === 'Rebalanced' || response.status === 'Recovered') {
    const note = response.description.length > 0 ? response.description : response.status;
    deps.recorder.record(object, {
      type: response.status === 'Failed' ? 'Warning' : 'Normal',
      reason: `ClusterManager${response.status}`,
      note,
      action: 'Manage',
    });
  }
  // The delay counts from the answer (a call can take long), rounded up to the status's whole
  // seconds so the next call is never earlier than the delay says.
  const delayMs = nextCallDelaySeconds(pass, cluster, response.status === 'Failed') * 1000;
  return {
    clusterManagerResponse: { status: response.status, description: response.description },
    nextClusterManagerInvocation: new Date(Math.ceil((pass.now() + delayMs) / 1000) * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

function blockedBy(cluster: QdrantCluster, operation: string | undefined): string | undefined {
  const phase = cluster.status?.phase;
  if (cluster.spec.pauses?.length) return `the cluster is paused (${cluster.spec.pauses.map((p) => p.owner ?? 'someone').join(', ')})`;
  if (cluster.spec.suspend) return 'the cluster is suspended';
  if (operation) return operation;
  return phase && phase !== 'Healthy' ? `the cluster is ${phase}` : undefined;
}

/**
 * A failed call is retried under the settings' backoff (minDelay, then + increment each
 * time, up to maxDelay), never sooner than pullInterval; a success resets it.
 */
function nextCallDelaySeconds(pass: ClusterPass, cluster: QdrantCluster, failed: boolean): number {
  const { managerFailures } = pass.deps;
  const key = `${cluster.metadata.namespace}/${cluster.metadata.name}`;
  const failures = failed ? (managerFailures?.get(key) ?? 0) + 1 : 0;
  if (failures > 0) managerFailures?.set(key, failures);
  else managerFailures?.delete(key);
  const { backOff, clusterManager } = pass.settings.settings;
  const pull = clusterManager.pullInterval;
  return failures > 0 ? Math.max(pull, Math.min(backOff.maxDelay, backOff.minDelay + backOff.increment * (failures - 1))) : pull;
}
