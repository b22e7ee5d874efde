import {
  ANNOTATION_ON_DEMAND_REPLICATION_RESTART,
  ANNOTATION_RESTARTED_AT,
  type OperatorSettings,
  type QdrantCluster,
  type Toleration,
  type TopologySpreadConstraint,
} from '@qhc/schemas';
import { nonEmpty } from '../object.ts';
import { INIT_PATH, INIT_SCRIPT_KEY } from './config-map.ts';
import { clusterLabels, podSelector } from './labels.ts';
import { QDRANT_GRPC_PORT, QDRANT_HTTP_PORT, QDRANT_P2P_PORT, type ResolvedCluster } from './resolve.ts';
import { podVolumes } from './stateful-set-volumes.ts';

export const CONFIG_HASH_ANNOTATION = 'qhc.dev/config-hash';
export const RESTARTED_AT_ANNOTATION = 'qhc.dev/restarted-at';
/** On the pod template: the cluster's on-demand-replication-restart time, so changing it restarts every pod. */
export const REPLICATED_RESTART_ANNOTATION = 'qhc.dev/on-demand-replication-restart';
export const ZONE_TOPOLOGY_KEY = 'topology.kubernetes.io/zone';

const GPU_RESOURCE = { nvidia: 'nvidia.com/gpu', amd: 'amd.com/gpu' } as const;

type Entry = Record<string, unknown>;
type Security = ResolvedCluster['security'];

function gpuEnv(gpu: NonNullable<QdrantCluster['spec']['gpu']>): Entry[] {
  const vars: Entry[] = [
    { name: 'QDRANT__GPU__INDEXING', value: 'true' },
    { name: 'QDRANT__GPU__FORCE_HALF_PRECISION', value: String(gpu.forceHalfPrecision) },
    { name: 'QDRANT__GPU__PARALLEL_INDEXES', value: String(gpu.parallelIndexes) },
    { name: 'QDRANT__GPU__ALLOW_INTEGRATED', value: String(gpu.allowIntegrated) },
  ];
  if (gpu.groupsCount !== undefined) vars.push({ name: 'QDRANT__GPU__GROUPS_COUNT', value: String(gpu.groupsCount) });
  if (gpu.deviceFilter) vars.push({ name: 'QDRANT__GPU__DEVICE_FILTER', value: gpu.deviceFilter.join(',') });
  if (gpu.devices) vars.push({ name: 'QDRANT__GPU__DEVICES', value: gpu.devices.join(',') });
  return vars;
}

function env(cluster: QdrantCluster): Entry[] {
  const service = cluster.spec.config?.service;
  const vars: Entry[] = [
    // The init marker lets Qdrant's entrypoint tell a crash during start-up (recovery mode) from one later.
    { name: 'QDRANT_INIT_FILE_PATH', value: `${INIT_PATH}/.qdrant-initialized` },
  ];
  // The whole selector, `optional` included: a pod may start without an optional key's Secret.
  if (service?.api_key) vars.push({ name: 'QDRANT__SERVICE__API_KEY', valueFrom: { secretKeyRef: { ...service.api_key.secretKeyRef } } });
  if (service?.read_only_api_key)
    vars.push({ name: 'QDRANT__SERVICE__READ_ONLY_API_KEY', valueFrom: { secretKeyRef: { ...service.read_only_api_key.secretKeyRef } } });
  if (cluster.spec.gpu) vars.push(...gpuEnv(cluster.spec.gpu));
  // The user's extra env comes last, so it can override what qhc sets.
  for (const extra of cluster.spec.statefulSet?.pods?.extraEnv ?? []) vars.push({ ...extra });
  return vars;
}

function probe(path: string, scheme: 'HTTP' | 'HTTPS', timing: { periodSeconds: number; failureThreshold: number; timeoutSeconds: number }) {
  return { httpGet: { path, port: 'http', scheme }, ...timing };
}

/**
 * The pod's topology spread: the cluster's, else the settings' defaults; selectors default
 * to the cluster's pods. multiAZ adds a zone spread (unless one is already there): at most
 * one pod more in any zone than in another, as a preference (ScheduleAnyway), not a hard
 * rule: turning multiAZ on for a running cluster whose volumes all sit in one zone would
 * otherwise leave the first restarted pod Pending (its volume pins it to that zone) and
 * stall the guarded rollout for good. A user who wants the hard rule sets it in
 * topologySpreadConstraints, which then replaces this one.
 */
function topologySpread(cluster: QdrantCluster, settings: OperatorSettings): TopologySpreadConstraint[] | undefined {
  const chosen = cluster.spec.topologySpreadConstraints ?? settings.settings.scheduling.default_topology_spread_constraints;
  const zone = cluster.spec.multiAZ && !chosen.some((c) => c.topologyKey === ZONE_TOPOLOGY_KEY);
  const constraints: TopologySpreadConstraint[] = zone
    ? [...chosen, { maxSkew: 1, topologyKey: ZONE_TOPOLOGY_KEY, whenUnsatisfiable: 'ScheduleAnyway' }]
    : chosen;
  if (constraints.length === 0) return undefined;
  return constraints.map((c) => ({ ...c, labelSelector: c.labelSelector ?? { matchLabels: podSelector(cluster) } }));
}

function podSecurityContext(security: Security): Entry | undefined {
  if (!security) return undefined;
  return {
    runAsUser: security.user,
    runAsGroup: security.group,
    fsGroup: security.fsGroup,
    runAsNonRoot: security.user !== undefined && security.user !== 0 ? true : undefined,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

function qdrantContainer(cluster: QdrantCluster, resolved: ResolvedCluster, mounts: Entry[]): Entry {
  const { spec } = cluster;
  const scheme = resolved.tls ? 'HTTPS' : 'HTTP';
  const gpuLimit = spec.gpu ? { [GPU_RESOURCE[spec.gpu.gpuType]]: '1' } : {};
  return {
    name: 'qdrant',
    image: resolved.image,
    imagePullPolicy: resolved.pullPolicy,
    command: ['/bin/bash', `/qdrant/config/${INIT_SCRIPT_KEY}`],
    env: env(cluster),
    ports: [
      { name: 'http', containerPort: QDRANT_HTTP_PORT, protocol: 'TCP' },
      { name: 'grpc', containerPort: QDRANT_GRPC_PORT, protocol: 'TCP' },
      { name: 'p2p', containerPort: QDRANT_P2P_PORT, protocol: 'TCP' },
    ],
    resources: { limits: { cpu: resolved.cpu, memory: resolved.memory, ...gpuLimit }, requests: { cpu: resolved.requestCpu, memory: resolved.requestMemory } },
    // /readyz is strict (consensus caught up, local shards healthy): it gates traffic.
    // Liveness uses /livez, which only says the process serves, so a slow shard
    // recovery never gets a healthy peer killed; start-up may take long on big data.
    readinessProbe: probe('/readyz', scheme, { periodSeconds: 5, failureThreshold: 6, timeoutSeconds: 3 }),
    startupProbe: probe('/livez', scheme, { periodSeconds: 5, failureThreshold: 360, timeoutSeconds: 3 }),
    livenessProbe: probe('/livez', scheme, { periodSeconds: 10, failureThreshold: 6, timeoutSeconds: 5 }),
    // Let in-flight requests drain before the endpoint disappears.
    lifecycle: { preStop: { exec: { command: ['sleep', '3'] } } },
    volumeMounts: mounts,
    securityContext: resolved.security
      ? { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } }
      : undefined,
  };
}

function podTemplateMetadata(cluster: QdrantCluster, configHash: string): Entry {
  const pods = cluster.spec.statefulSet?.pods;
  const restartedAt = cluster.metadata.annotations?.[ANNOTATION_RESTARTED_AT];
  const replicatedRestartAt = cluster.metadata.annotations?.[ANNOTATION_ON_DEMAND_REPLICATION_RESTART];
  return {
    labels: { ...pods?.labels, ...clusterLabels(cluster, 'database') },
    annotations: {
      ...pods?.annotations,
      [CONFIG_HASH_ANNOTATION]: configHash,
      ...(restartedAt ? { [RESTARTED_AT_ANNOTATION]: restartedAt } : {}),
      ...(replicatedRestartAt ? { [REPLICATED_RESTART_ANNOTATION]: replicatedRestartAt } : {}),
    },
  };
}

/** The StatefulSet's pod template: one Qdrant container, its volumes, scheduling and security. */
export function podTemplate(cluster: QdrantCluster, settings: OperatorSettings, resolved: ResolvedCluster, configHash: string): Entry {
  const { spec } = cluster;
  const tolerations: Toleration[] = spec.tolerations ?? [];
  const { volumes, mounts } = podVolumes(cluster, resolved);
  return {
    metadata: podTemplateMetadata(cluster, configHash),
    spec: {
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 120,
      imagePullSecrets: resolved.pullSecret ? [{ name: resolved.pullSecret }] : undefined,
      nodeSelector: nonEmpty(spec.nodeSelector),
      tolerations: tolerations.length > 0 ? tolerations : undefined,
      topologySpreadConstraints: topologySpread(cluster, settings),
      securityContext: podSecurityContext(resolved.security),
      containers: [qdrantContainer(cluster, resolved, mounts)],
      volumes,
    },
  };
}
