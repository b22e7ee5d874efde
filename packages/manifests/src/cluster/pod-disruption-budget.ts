import { clusterResourceName, type OperatorSettings, type QdrantCluster } from '@qhc/schemas';
import { normalize, type KubeObject } from '../object.ts';
import { objectMeta, podSelector } from './labels.ts';
import type { ResolvedCluster } from './resolve.ts';

/**
 * The cluster's budget, else the settings' default; with neither (`{}`), at most one node
 * of a multi-node cluster may be evicted at a time. A single node gets none: a budget
 * that allows no eviction would block node drains forever.
 */
export function buildPodDisruptionBudget(cluster: QdrantCluster, settings: OperatorSettings, resolved: ResolvedCluster): KubeObject | null {
  const chosen = cluster.spec.podDisruptionBudget ?? settings.settings.scheduling.default_pod_disruption_budget;
  const hasBudget = chosen.minAvailable !== undefined || chosen.maxUnavailable !== undefined;
  if (!hasBudget && resolved.size < 2) return null;
  return normalize({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: objectMeta(cluster, clusterResourceName(resolved.id), 'disruption-budget'),
    spec: {
      ...(hasBudget ? { minAvailable: chosen.minAvailable, maxUnavailable: chosen.maxUnavailable } : { maxUnavailable: 1 }),
      unhealthyPodEvictionPolicy: chosen.unhealthyPodEvictionPolicy,
      selector: chosen.selector ?? { matchLabels: podSelector(cluster) },
    },
  });
}
