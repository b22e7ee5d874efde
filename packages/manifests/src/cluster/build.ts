import type { OperatorSettings, QdrantCluster } from '@qhc/schemas';
import type { KubeObject } from '../object.ts';
import { buildConfigMap, configHash } from './config-map.ts';
import { buildIngresses } from './ingress.ts';
import { buildNetworkPolicy } from './network-policy.ts';
import { buildPodDisruptionBudget } from './pod-disruption-budget.ts';
import { resolveCluster } from './resolve.ts';
import { buildClientService, buildHeadlessService, buildNodeServices } from './services.ts';
import { buildStatefulSet } from './stateful-set.ts';

/**
 * Every object a QdrantCluster needs, in apply order. A suspended cluster needs none:
 * the operator prunes what exists, and the PVCs stay (the StatefulSet retains them).
 * Throws ManifestError, naming the field, for combinations that cannot work.
 */
export function buildClusterObjects(cluster: QdrantCluster, settings: OperatorSettings): KubeObject[] {
  if (cluster.spec.suspend) return [];
  const resolved = resolveCluster(cluster, settings);
  const configMap = buildConfigMap(cluster, resolved);
  const pdb = buildPodDisruptionBudget(cluster, settings, resolved);
  return [
    configMap,
    buildHeadlessService(cluster, resolved),
    buildClientService(cluster, resolved),
    ...buildNodeServices(cluster, resolved),
    buildNetworkPolicy(cluster, settings, resolved),
    ...(pdb ? [pdb] : []),
    buildStatefulSet(cluster, settings, resolved, configHash(configMap)),
    ...buildIngresses(cluster, settings, resolved),
  ];
}
