import {
  ANNOTATION_ON_DEMAND_REPLICATION_RESTART,
  ANNOTATION_RESTARTED_AT,
  ANNOTATION_VOLUME_RETENTION,
  configMapName,
  headlessServiceName,
  statefulSetName,
  type OperatorSettings,
  type QdrantCluster,
  type Toleration,
  type TopologySpreadConstraint,
} from '@qhc/schemas';
import { ManifestError } from '../errors.ts';
import { normalize, nonEmpty, type KubeObject } from '../object.ts';
import { CONFIG_KEY, INIT_PATH, INIT_SCRIPT_KEY, SNAPSHOTS_PATH, STORAGE_PATH, TLS_PATH } from './config-map.ts';
import { clusterLabels, objectMeta, podSelector } from './labels.ts';
import { QDRANT_GRPC_PORT, QDRANT_HTTP_PORT, QDRANT_P2P_PORT, type ResolvedCluster } from './resolve.ts';

export const STORAGE_VOLUME = 'qdrant-storage';
export const SNAPSHOTS_VOLUME = 'qdrant-snapshots';
export const CONFIG_HASH_ANNOTATION = 'qhc.dev/config-hash';
export const RESTARTED_AT_ANNOTATION = 'qhc.dev/restarted-at';
/** On the pod template: the cluster's on-demand-replication-restart time, so changing it restarts every pod. */
export const REPLICATED_RESTART_ANNOTATION = 'qhc.dev/on-demand-replication-restart';

const GPU_RESOURCE = { nvidia: 'nvidia.com/gpu', amd: 'amd.com/gpu' } as const;

function env(cluster: QdrantCluster): Array<Record<string, unknown>> {
  const service = cluster.spec.config?.service;
  const vars: Array<Record<string, unknown>> = [
    // The init marker lets Qdrant's entrypoint tell a crash during start-up (recovery mode) from one later.
    { name: 'QDRANT_INIT_FILE_PATH', value: `${INIT_PATH}/.qdrant-initialized` },
  ];
  // The whole selector, `optional` included: a pod may start without an optional key's Secret.
  if (service?.api_key) vars.push({ name: 'QDRANT__SERVICE__API_KEY', valueFrom: { secretKeyRef: { ...service.api_key.secretKeyRef } } });
  if (service?.read_only_api_key)
    vars.push({ name: 'QDRANT__SERVICE__READ_ONLY_API_KEY', valueFrom: { secretKeyRef: { ...service.read_only_api_key.secretKeyRef } } });
  const gpu = cluster.spec.gpu;
  if (gpu) {
    vars.push({ name: 'QDRANT__GPU__INDEXING', value: 'true' });
    vars.push({ name: 'QDRANT__GPU__FORCE_HALF_PRECISION', value: String(gpu.forceHalfPrecision) });
    vars.push({ name: 'QDRANT__GPU__PARALLEL_INDEXES', value: String(gpu.parallelIndexes) });
    vars.push({ name: 'QDRANT__GPU__ALLOW_INTEGRATED', value: String(gpu.allowIntegrated) });
    if (gpu.groupsCount !== undefined) vars.push({ name: 'QDRANT__GPU__GROUPS_COUNT', value: String(gpu.groupsCount) });
    if (gpu.deviceFilter) vars.push({ name: 'QDRANT__GPU__DEVICE_FILTER', value: gpu.deviceFilter.join(',') });
    if (gpu.devices) vars.push({ name: 'QDRANT__GPU__DEVICES', value: gpu.devices.join(',') });
  }
  // The user's extra env comes last, so it can override what qhc sets.
  for (const extra of cluster.spec.statefulSet?.pods?.extraEnv ?? []) vars.push({ ...extra });
  return vars;
}

function probe(path: string, scheme: 'HTTP' | 'HTTPS', timing: { periodSeconds: number; failureThreshold: number; timeoutSeconds: number }) {
  return { httpGet: { path, port: 'http', scheme }, ...timing };
}

export const ZONE_TOPOLOGY_KEY = 'topology.kubernetes.io/zone';

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

function volumeRetention(cluster: QdrantCluster): 'Retain' | 'Delete' {
  const value = cluster.metadata.annotations?.[ANNOTATION_VOLUME_RETENTION] ?? 'Retain';
  if (value !== 'Retain' && value !== 'Delete') {
    throw new ManifestError(`metadata.annotations["${ANNOTATION_VOLUME_RETENTION}"]`, `must be Retain or Delete, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function buildStatefulSet(cluster: QdrantCluster, settings: OperatorSettings, resolved: ResolvedCluster, configHash: string): KubeObject {
  const { spec } = cluster;
  const scheme = resolved.tls ? 'HTTPS' : 'HTTP';
  const tls = spec.config?.tls;
  const security = resolved.security;
  const restartedAt = cluster.metadata.annotations?.[ANNOTATION_RESTARTED_AT];
  const replicatedRestartAt = cluster.metadata.annotations?.[ANNOTATION_ON_DEMAND_REPLICATION_RESTART];
  const gpuLimit = spec.gpu ? { [GPU_RESOURCE[spec.gpu.gpuType]]: '1' } : {};
  const tolerations: Toleration[] = spec.tolerations ?? [];

  const volumes: Array<Record<string, unknown>> = [
    { name: 'qdrant-config', configMap: { name: configMapName(resolved.id), defaultMode: 0o755 } },
    { name: 'qdrant-init', emptyDir: {} },
    // A read-only root filesystem still needs somewhere for temporary files.
    { name: 'tmp', emptyDir: {} },
  ];
  const mounts: Array<Record<string, unknown>> = [
    { name: STORAGE_VOLUME, mountPath: STORAGE_PATH },
    { name: SNAPSHOTS_VOLUME, mountPath: SNAPSHOTS_PATH },
    { name: 'qdrant-config', mountPath: `/qdrant/config/${CONFIG_KEY}`, subPath: CONFIG_KEY },
    { name: 'qdrant-config', mountPath: `/qdrant/config/${INIT_SCRIPT_KEY}`, subPath: INIT_SCRIPT_KEY },
    { name: 'qdrant-init', mountPath: INIT_PATH },
    { name: 'tmp', mountPath: '/tmp' },
  ];
  if (tls && (tls.cert || tls.key || tls.caCert)) {
    const sources = (['cert', 'key', 'caCert'] as const)
      .filter((k) => tls[k])
      .map((k) => {
        const ref = tls[k]!.secretKeyRef;
        return {
          secret: { name: ref.name, optional: ref.optional, items: [{ key: ref.key, path: { cert: 'cert.pem', key: 'key.pem', caCert: 'ca.pem' }[k] }] },
        };
      });
    volumes.push({ name: 'qdrant-tls', projected: { sources, defaultMode: 0o400 } });
    mounts.push({ name: 'qdrant-tls', mountPath: TLS_PATH, readOnly: true });
  }
  for (const volume of spec.storage?.additionalVolumes ?? []) volumes.push({ ...volume });
  for (const mount of spec.storage?.additionalVolumeMounts ?? []) mounts.push({ ...mount });

  const claim = (name: string, storageClassName: string | undefined, component: string) => ({
    metadata: { name, labels: clusterLabels(cluster, component) },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName,
      volumeAttributesClassName: spec.storage?.volumeAttributesClassName,
      resources: { requests: { storage: resolved.storageSize } },
    },
  });

  return normalize({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: objectMeta(cluster, statefulSetName(resolved.id), 'database', { annotations: spec.statefulSet?.annotations }),
    spec: {
      replicas: resolved.size,
      serviceName: headlessServiceName(resolved.id),
      // OrderedReady deadlocks a Qdrant cluster: a peer is not ready until the others run.
      podManagementPolicy: 'Parallel',
      updateStrategy: updateStrategy(cluster),
      // Volumes outlive scale-down (the operator deletes a removed node's volumes once its peer
      // is gone) and, unless the cluster says otherwise, deletion: data goes on purpose only.
      persistentVolumeClaimRetentionPolicy: { whenDeleted: volumeRetention(cluster), whenScaled: 'Retain' },
      selector: { matchLabels: podSelector(cluster) },
      template: {
        metadata: {
          labels: { ...spec.statefulSet?.pods?.labels, ...clusterLabels(cluster, 'database') },
          annotations: {
            ...spec.statefulSet?.pods?.annotations,
            [CONFIG_HASH_ANNOTATION]: configHash,
            ...(restartedAt ? { [RESTARTED_AT_ANNOTATION]: restartedAt } : {}),
            ...(replicatedRestartAt ? { [REPLICATED_RESTART_ANNOTATION]: replicatedRestartAt } : {}),
          },
        },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: 120,
          imagePullSecrets: resolved.pullSecret ? [{ name: resolved.pullSecret }] : undefined,
          nodeSelector: nonEmpty(spec.nodeSelector),
          tolerations: tolerations.length > 0 ? tolerations : undefined,
          topologySpreadConstraints: topologySpread(cluster, settings),
          securityContext: security
            ? {
                runAsUser: security.user,
                runAsGroup: security.group,
                fsGroup: security.fsGroup,
                runAsNonRoot: security.user !== undefined && security.user !== 0 ? true : undefined,
                fsGroupChangePolicy: 'OnRootMismatch',
                seccompProfile: { type: 'RuntimeDefault' },
              }
            : undefined,
          containers: [
            {
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
              resources: {
                limits: { cpu: resolved.cpu, memory: resolved.memory, ...gpuLimit },
                requests: { cpu: resolved.requestCpu, memory: resolved.requestMemory },
              },
              // /readyz is strict (consensus caught up, local shards healthy): it gates traffic.
              // Liveness uses /livez, which only says the process serves, so a slow shard
              // recovery never gets a healthy peer killed; start-up may take long on big data.
              readinessProbe: probe('/readyz', scheme, { periodSeconds: 5, failureThreshold: 6, timeoutSeconds: 3 }),
              startupProbe: probe('/livez', scheme, { periodSeconds: 5, failureThreshold: 360, timeoutSeconds: 3 }),
              livenessProbe: probe('/livez', scheme, { periodSeconds: 10, failureThreshold: 6, timeoutSeconds: 5 }),
              // Let in-flight requests drain before the endpoint disappears.
              lifecycle: { preStop: { exec: { command: ['sleep', '3'] } } },
              volumeMounts: mounts,
              securityContext: security
                ? { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } }
                : undefined,
            },
          ],
          volumes,
        },
      },
      volumeClaimTemplates: [
        claim(STORAGE_VOLUME, resolved.dbStorageClass, 'database'),
        claim(SNAPSHOTS_VOLUME, resolved.snapshotStorageClass, 'snapshots'),
        ...(spec.storage?.additionalVolumeClaimTemplates ?? []).map((t) => ({ metadata: { ...t.metadata }, spec: { ...t.spec } })),
      ],
    },
  });
}

/**
 * How the cluster's restarts keep its shards available: spec.onDemandReplication, or Auto
 * for a cluster that asked for one restart this way (the on-demand-replication-restart
 * annotation) while its spec says Off. restartAllPodsConcurrently wins: every pod goes at once.
 */
export function onDemandReplicationMode(cluster: QdrantCluster): 'Off' | 'Auto' | 'On' {
  if (cluster.spec.restartAllPodsConcurrently) return 'Off';
  const mode = cluster.spec.onDemandReplication ?? 'Off';
  if (mode === 'Off' && cluster.metadata.annotations?.[ANNOTATION_ON_DEMAND_REPLICATION_RESTART]) return 'Auto';
  return mode;
}

/**
 * One pod at a time, each waiting for the previous to be Ready. restartAllPodsConcurrently
 * trades availability for speed and lets every pod go at once. With on-demand replication the
 * operator restarts the pods itself (OnDelete), each only after its shards have the copies
 * they need elsewhere.
 */
function updateStrategy(cluster: QdrantCluster) {
  if (cluster.spec.restartAllPodsConcurrently) return { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '100%' } };
  if (onDemandReplicationMode(cluster) !== 'Off') return { type: 'OnDelete' };
  return { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
}
