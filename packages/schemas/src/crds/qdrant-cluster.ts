import * as z from 'zod';
import {
  Annotations,
  Condition,
  EnvVar,
  Labels,
  NodeSelector,
  PersistentVolumeClaimSpec,
  PodDisruptionBudgetSpec,
  PullPolicy,
  ServiceType,
  Toleration,
  TopologySpreadConstraint,
  Volume,
  VolumeMount,
  dns1123Label,
  dns1123Subdomain,
  isQuantity,
  parseQuantity,
} from '../k8s/index.ts';
import { clusterResourceName, podName } from '../names.ts';
import { AGE_COLUMN, QdrantSecretKeyRef, Timestamp, checkClusterLabels, resourceEnvelope } from './common.ts';
import { QDRANT_GROUP, QDRANT_VERSION, type KindDefinition } from './kind.ts';

// QdrantCluster, field for field as Qdrant's public operator API (qdrant.io/v1) defines it.
// The spec shape mirrors the upstream CRD (quantities are strings, most fields optional);
// the rules Qdrant's operator checks in code are the whole-object refinement at the end.

export const CLUSTER_PHASES = [
  'Creating', 'FailedToCreate', 'Updating', 'FailedToUpdate', 'Scaling', 'Upgrading', 'Suspending', 'Suspended',
  'FailedToSuspend', 'Resuming', 'FailedToResume', 'Healthy', 'NotReady', 'RecoveryMode', 'ManualMaintenance',
] as const;
export const ClusterPhase = z.enum(CLUSTER_PHASES);
export type ClusterPhase = z.infer<typeof ClusterPhase>;

/** Condition types: Qdrant's two, plus the standard three our operator maintains. */
export const CLUSTER_CONDITION_TYPES = ['AcceptingConnection', 'RecoveryMode', 'Ready', 'Progressing', 'Degraded'] as const;
export const ClusterConditionType = z.enum(CLUSTER_CONDITION_TYPES);
export type ClusterConditionType = z.infer<typeof ClusterConditionType>;

export const OnDemandReplication = z.enum(['Off', 'Auto', 'On']);
export const RebalanceStrategy = z.enum(['by_count', 'by_size', 'by_count_and_size', 'disabled']);

const positiveInt = z.int().min(1);

export const QdrantConfiguration = z.strictObject({
  log_level: z.string().optional(),
  collection: z
    .strictObject({
      replication_factor: positiveInt.optional(),
      write_consistency_factor: positiveInt.optional(),
      vectors: z.strictObject({ on_disk: z.boolean().optional() }).optional(),
      strict_mode: z.strictObject({ max_payload_index_count: positiveInt.optional() }).optional(),
    })
    .optional(),
  service: z
    .strictObject({
      api_key: QdrantSecretKeyRef.optional(),
      read_only_api_key: QdrantSecretKeyRef.optional(),
      jwt_rbac: z.boolean().optional(),
      hide_jwt_dashboard: z.boolean().optional(),
      enable_tls: z.boolean().optional(),
      max_request_size_mb: positiveInt.optional(),
    })
    .optional(),
  tls: z
    .strictObject({
      cert: QdrantSecretKeyRef.optional(),
      key: QdrantSecretKeyRef.optional(),
      caCert: QdrantSecretKeyRef.optional(),
    })
    .optional(),
  storage: z
    .strictObject({
      performance: z
        .strictObject({
          optimizer_cpu_budget: z.int().optional(),
          async_scorer: z.boolean().optional(),
        })
        .optional(),
      maxCollections: positiveInt.optional(),
    })
    .optional(),
  inference: z.strictObject({ enabled: z.boolean().default(false) }).optional(),
  audit: z
    .strictObject({
      enabled: z.boolean().default(false),
      dir: z.string().optional(),
      rotation: z.enum(['daily', 'hourly']).default('daily'),
      max_log_files: positiveInt.optional(),
      trust_forwarded_headers: z.boolean().default(false),
    })
    .optional(),
});
export type QdrantConfiguration = z.infer<typeof QdrantConfiguration>;

export const QdrantClusterIngress = z.strictObject({
  enabled: z.boolean().optional(),
  annotations: Annotations.optional(),
  ingressClassName: dns1123Subdomain.optional(),
  host: z.string().optional(),
  tls: z.boolean().optional(),
  tlsSecretName: z.string().optional(),
  nginx: z
    .strictObject({
      allowedSourceRanges: z.array(z.string()).optional(),
      grpcHost: z.string().optional(),
    })
    .optional(),
  traefik: z
    .strictObject({
      allowedSourceRanges: z.array(z.string()).optional(),
      entryPoints: z.array(z.string()).optional(),
    })
    .optional(),
});

export const QdrantClusterService = z.strictObject({
  type: ServiceType.default('ClusterIP'),
  annotations: Annotations.optional(),
  loadBalancerSourceRanges: z.array(z.string()).optional(),
});

export const QdrantImage = z.strictObject({
  repository: z.string().min(1).optional(),
  pullPolicy: PullPolicy.optional(),
  pullSecretName: z.string().optional(),
});

export const QdrantResources = z.strictObject({
  /** CPU limit, e.g. "2" or "500m". */
  cpu: z.string().optional(),
  /** Memory limit, e.g. "4Gi". */
  memory: z.string().optional(),
  /** Database volume size per node, e.g. "50Gi". */
  storage: z.string().optional(),
  /** Requests; each falls back to its limit when empty. */
  requests: z.strictObject({ cpu: z.string().optional(), memory: z.string().optional() }).optional(),
});

export const QdrantSecurityContext = z.strictObject({
  user: z.int().min(0).optional(),
  group: z.int().min(0).optional(),
  fsGroup: z.int().min(0).optional(),
});

export const GPU = z.strictObject({
  gpuType: z.enum(['nvidia', 'amd']),
  forceHalfPrecision: z.boolean().default(false),
  deviceFilter: z.array(z.string()).min(1).optional(),
  devices: z.array(z.string()).min(1).optional(),
  parallelIndexes: positiveInt.default(1),
  groupsCount: positiveInt.optional(),
  allowIntegrated: z.boolean().default(false),
});

export const KubernetesStatefulSet = z.strictObject({
  annotations: Annotations.optional(),
  pods: z
    .strictObject({
      annotations: Annotations.optional(),
      labels: Labels.optional(),
      extraEnv: z.array(EnvVar).optional(),
    })
    .optional(),
});

export const StorageClassNames = z.strictObject({
  db: dns1123Subdomain.optional(),
  snapshots: dns1123Subdomain.optional(),
});

export const AdditionalVolumeClaimTemplate = z.strictObject({
  metadata: z.strictObject({
    name: dns1123Label,
    labels: Labels.optional(),
    annotations: Annotations.optional(),
  }),
  spec: PersistentVolumeClaimSpec,
});

export const QdrantStorage = z.strictObject({
  volumeAttributesClassName: z.string().optional(),
  volumeSnapshotClassName: dns1123Subdomain.optional(),
  iops: positiveInt.optional(),
  /** MB/s. */
  throughput: positiveInt.optional(),
  additionalVolumes: z.array(Volume).optional(),
  additionalVolumeClaimTemplates: z.array(AdditionalVolumeClaimTemplate).optional(),
  additionalVolumeMounts: z.array(VolumeMount).optional(),
});

export const Pause = z.strictObject({
  owner: z.string().min(1),
  reason: z.string().optional(),
  creationTimestamp: z.string().optional(),
});

export const ClusterReference = z.strictObject({ id: z.string().min(1) });

export const QdrantClusterSpec = z.strictObject({
  id: z.string().min(1),
  version: z.string().min(1),
  size: z.int().min(1).max(100),
  servicePerNode: z.boolean().default(true),
  clusterManager: z.boolean().optional(),
  suspend: z.boolean().default(false),
  pauses: z.array(Pause).optional(),
  image: QdrantImage.optional(),
  resources: QdrantResources.optional(),
  security: QdrantSecurityContext.optional(),
  tolerations: z.array(Toleration).optional(),
  nodeSelector: NodeSelector.optional(),
  config: QdrantConfiguration.optional(),
  ingress: QdrantClusterIngress.optional(),
  service: QdrantClusterService.optional(),
  gpu: GPU.optional(),
  statefulSet: KubernetesStatefulSet.optional(),
  storageClassNames: StorageClassNames.optional(),
  storage: QdrantStorage.optional(),
  topologySpreadConstraints: z.array(TopologySpreadConstraint).optional(),
  podDisruptionBudget: PodDisruptionBudgetSpec.optional(),
  restartAllPodsConcurrently: z.boolean().optional(),
  onDemandReplication: OnDemandReplication.default('Off'),
  startupDelaySeconds: z.int().min(0).optional(),
  rebalanceStrategy: RebalanceStrategy.optional(),
  readClusters: z.array(ClusterReference).optional(),
  writeCluster: ClusterReference.optional(),
  multiAZ: z.boolean().default(false),
});
export type QdrantClusterSpec = z.infer<typeof QdrantClusterSpec>;

const KubeEvent = z.strictObject({
  message: z.string().optional(),
  reason: z.string().optional(),
  count: z.int().optional(),
  firstTimestamp: z.string().optional(),
  lastTimestamp: z.string().optional(),
});

export const NodePVCStatus = z.strictObject({
  storageClassName: z.string().optional(),
  phase: z.string().optional(),
  conditions: z.array(z.looseObject({ type: z.string(), status: z.string() })).optional(),
  events: z.array(KubeEvent).optional(),
  capacity: z.string().optional(),
  currentVolumeAttributesClassName: z.string().optional(),
  modifyVolumeStatus: z.looseObject({}).optional(),
});

export const NodeStatus = z.strictObject({
  name: z.string().optional(),
  started_at: z.string().optional(),
  state: z.record(z.string(), z.string()).optional(),
  version: z.string().optional(),
  liveness: z.boolean().optional(),
  zone: z.string().optional(),
  podPhase: z.string().optional(),
  podConditions: z.array(z.looseObject({ type: z.string(), status: z.string() })).optional(),
  podMessage: z.string().optional(),
  podReason: z.string().optional(),
  containerStatuses: z.array(z.looseObject({ name: z.string() })).optional(),
  events: z.array(KubeEvent).optional(),
  restartCount: z.int().optional(),
  databasePVCStatus: NodePVCStatus.optional(),
  snapshotsPVCStatus: NodePVCStatus.optional(),
});
export type NodeStatus = z.infer<typeof NodeStatus>;

export const QdrantClusterStatus = z.strictObject({
  phase: ClusterPhase.optional(),
  reason: z.string().optional(),
  availableNodes: z.int().min(0).optional(),
  availableNodeIndexes: z.array(z.int().min(0)).optional(),
  deleteInProgressNodeIndexes: z.array(z.int().min(0)).optional(),
  scaleDownAllowed: z.boolean().optional(),
  // The capital S is upstream's JSON name; kept for compatibility.
  ScaleDownNodeIndex: z.int().min(0).optional(),
  conditions: z.array(Condition).optional(),
  nodes: z.record(z.string(), NodeStatus).optional(),
  nextClusterManagerInvocation: Timestamp.optional(),
  version: z.string().optional(),
  clusterManagerResponse: z.strictObject({ status: z.string().optional(), description: z.string().optional() }).optional(),
  currentNodes: z.int().min(0).optional(),
  selector: z.string().optional(),
  observedGeneration: z.int().min(0).optional(),
  endpoint: z.string().optional(),
});
export type QdrantClusterStatus = z.infer<typeof QdrantClusterStatus>;

const MAX_POD_NAME = 63;

function checkQuantity(value: string | undefined, path: string[], ctx: z.core.$RefinementCtx, required: boolean): number | undefined {
  if (value === undefined || value === '') {
    if (required) ctx.addIssue({ code: 'custom', path, message: 'is required (a quantity such as "2", "500m" or "4Gi")' });
    return undefined;
  }
  if (!isQuantity(value)) {
    ctx.addIssue({ code: 'custom', path, message: `must be a Kubernetes quantity such as "500m", "2" or "4Gi", got ${JSON.stringify(value)}` });
    return undefined;
  }
  const parsed = parseQuantity(value);
  if (parsed <= 0) ctx.addIssue({ code: 'custom', path, message: `must be greater than zero, got ${JSON.stringify(value)}` });
  return parsed;
}

export const QdrantCluster = z
  .strictObject({
    ...resourceEnvelope('QdrantCluster'),
    spec: QdrantClusterSpec,
    status: QdrantClusterStatus.optional(),
  })
  .superRefine((cluster, ctx) => {
    const { id } = cluster.spec;
    const expectedName = clusterResourceName(id);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(id)) {
      ctx.addIssue({ code: 'custom', path: ['spec', 'id'], message: 'must be lower case letters, digits and "-" (a UUID in Qdrant Cloud), as it names pods and Services' });
    } else if (podName(id, 100).length > MAX_POD_NAME) {
      ctx.addIssue({ code: 'custom', path: ['spec', 'id'], message: `is too long: pod names such as "${podName(id, 0)}" must fit in ${MAX_POD_NAME} characters` });
    }
    if (cluster.metadata.name !== expectedName) {
      ctx.addIssue({
        code: 'custom',
        path: ['metadata', 'name'],
        message: `must be "${expectedName}" (qdrant-<spec.id>), got ${JSON.stringify(cluster.metadata.name ?? '')}`,
      });
    }
    checkClusterLabels(cluster.metadata, id, ['spec', 'id'], ctx);

    const resources = cluster.spec.resources;
    if (!resources) {
      ctx.addIssue({ code: 'custom', path: ['spec', 'resources'], message: 'is required: set cpu, memory and storage, e.g. { cpu: "1", memory: "4Gi", storage: "20Gi" }' });
    } else {
      const cpu = checkQuantity(resources.cpu, ['spec', 'resources', 'cpu'], ctx, true);
      const memory = checkQuantity(resources.memory, ['spec', 'resources', 'memory'], ctx, true);
      checkQuantity(resources.storage, ['spec', 'resources', 'storage'], ctx, true);
      const requestCpu = checkQuantity(resources.requests?.cpu, ['spec', 'resources', 'requests', 'cpu'], ctx, false);
      const requestMemory = checkQuantity(resources.requests?.memory, ['spec', 'resources', 'requests', 'memory'], ctx, false);
      if (cpu !== undefined && requestCpu !== undefined && requestCpu > cpu) {
        ctx.addIssue({ code: 'custom', path: ['spec', 'resources', 'requests', 'cpu'], message: `must not exceed the cpu limit (${resources.cpu})` });
      }
      if (memory !== undefined && requestMemory !== undefined && requestMemory > memory) {
        ctx.addIssue({ code: 'custom', path: ['spec', 'resources', 'requests', 'memory'], message: `must not exceed the memory limit (${resources.memory})` });
      }
    }

    const storage = cluster.spec.storage;
    if (storage) {
      const hasIops = storage.iops !== undefined;
      const hasThroughput = storage.throughput !== undefined;
      if (storage.volumeAttributesClassName && (hasIops || hasThroughput)) {
        ctx.addIssue({ code: 'custom', path: ['spec', 'storage', 'volumeAttributesClassName'], message: 'must not be set together with iops or throughput' });
      }
      if (hasIops !== hasThroughput) {
        ctx.addIssue({ code: 'custom', path: ['spec', 'storage', hasIops ? 'throughput' : 'iops'], message: 'iops and throughput must be set together' });
      }
    }
  });
export type QdrantCluster = z.infer<typeof QdrantCluster>;

export const qdrantClusterKind = {
  group: QDRANT_GROUP,
  version: QDRANT_VERSION,
  kind: 'QdrantCluster',
  plural: 'qdrantclusters',
  singular: 'qdrantcluster',
  listKind: 'QdrantClusterList',
  shortNames: ['qc', 'qcs'],
  categories: ['qdrant', 'all'],
  scope: 'Namespaced',
  printerColumns: [
    { name: 'Nodes', type: 'integer', jsonPath: '.spec.size' },
    { name: 'Version', type: 'string', jsonPath: '.spec.version' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'Endpoint', type: 'string', jsonPath: '.status.endpoint', priority: 1 },
    AGE_COLUMN,
  ],
  subresources: {
    status: true,
    scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.currentNodes', labelSelectorPath: '.status.selector' },
  },
  preserveUnknownFields: { spec: true, status: true },
  description: 'QdrantCluster is a Qdrant database cluster: its size, version, resources and configuration.',
  schema: QdrantCluster,
  spec: QdrantClusterSpec,
  status: QdrantClusterStatus,
} as const satisfies KindDefinition;
