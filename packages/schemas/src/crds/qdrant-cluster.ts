import * as z from 'zod';
import {
  Annotations,
  Cidr,
  EnvVar,
  IpAddressOrCidr,
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
import { clusterResourceName, headlessServiceName } from '../names.ts';
import { ANNOTATION_BOOTSTRAP_NODE, ANNOTATION_REINIT } from './annotations.ts';
import { ageColumn, checkClusterLabels, resourceEnvelope } from './common.ts';
import { QdrantConfiguration } from './qdrant-cluster-config.ts';
import { QdrantClusterStatus } from './qdrant-cluster-status.ts';
import { QDRANT_GROUP, QDRANT_VERSION, type KindDefinition } from './kind.ts';

// QdrantCluster, field for field as Qdrant's public operator API (qdrant.io/v1) defines it.
// The spec mirrors the upstream CRD (quantities are strings, most fields optional); the
// rules Qdrant's operator checks in Go are the whole-object refinement at the end.

const positiveInt = z.int().min(1);

export const OnDemandReplication = z.enum(['Off', 'Auto', 'On']);
export type OnDemandReplication = z.infer<typeof OnDemandReplication>;

export const RebalanceStrategy = z.enum(['by_count', 'by_size', 'by_count_and_size', 'disabled']);
export type RebalanceStrategy = z.infer<typeof RebalanceStrategy>;

export const QdrantClusterIngress = z.strictObject({
  enabled: z.boolean().optional(),
  annotations: Annotations.optional(),
  ingressClassName: dns1123Subdomain.optional(),
  host: z.string().optional(),
  /** Unset: false for KubernetesIngress and NginxIngress, the operator's config.tls for QdrantCloudTraefik. */
  tls: z.boolean().optional(),
  tlsSecretName: dns1123Subdomain.optional(),
  nginx: z
    .strictObject({
      allowedSourceRanges: z.array(IpAddressOrCidr).optional(),
      /** A separate host for gRPC. */
      grpcHost: z.string().optional(),
    })
    .optional(),
  traefik: z
    .strictObject({
      allowedSourceRanges: z.array(IpAddressOrCidr).optional(),
      /** Unset: the operator's entry points. */
      entryPoints: z.array(z.string()).optional(),
    })
    .optional(),
});

export const QdrantClusterService = z.strictObject({
  type: ServiceType.default('ClusterIP'),
  annotations: Annotations.optional(),
  loadBalancerSourceRanges: z.array(Cidr).optional(),
});

export const QdrantImage = z.strictObject({
  /** Unset: the operator's image, else qdrant/qdrant. */
  repository: z.string().min(1).optional(),
  /** Unset: the operator's policy, else IfNotPresent. */
  pullPolicy: PullPolicy.optional(),
  pullSecretName: dns1123Subdomain.optional(),
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
export type QdrantResources = z.infer<typeof QdrantResources>;

export const QdrantSecurityContext = z.strictObject({ user: z.int().min(0).optional(), group: z.int().min(0).optional(), fsGroup: z.int().min(0).optional() });

export const GPU = z.strictObject({
  /** Setting it enables GPU indexing. */
  gpuType: z.enum(['nvidia', 'amd']),
  /** Index f32 vectors as f16 in GPU memory; storage is unchanged. */
  forceHalfPrecision: z.boolean().default(false),
  /** Substrings of device names to accept (case-insensitive); unset: all. */
  deviceFilter: z.array(z.string()).min(1, 'must list at least 1 item, or be left out to accept every device').optional(),
  /** Device indexes to use, after deviceFilter; unset: all. */
  devices: z.array(z.string()).min(1, 'must list at least 1 item, or be left out to use every device').optional(),
  parallelIndexes: positiveInt.default(1),
  /** Vulkan groups, i.e. points indexed in parallel. */
  groupsCount: positiveInt.optional(),
  allowIntegrated: z.boolean().default(false),
});

export const KubernetesStatefulSet = z.strictObject({
  annotations: Annotations.optional(),
  pods: z.strictObject({ annotations: Annotations.optional(), labels: Labels.optional(), extraEnv: z.array(EnvVar).optional() }).optional(),
});

export const StorageClassNames = z.strictObject({
  /** Unset: the operator's class, else the cluster default. */
  db: dns1123Subdomain.optional(),
  snapshots: dns1123Subdomain.optional(),
});

export const AdditionalVolumeClaimTemplate = z.strictObject({
  metadata: z.strictObject({ name: dns1123Label, labels: Labels.optional(), annotations: Annotations.optional() }),
  spec: PersistentVolumeClaimSpec,
});

/**
 * Refused fields: Qdrant's API has them, qhc cannot honour them, so accepting them would
 * do nothing. Refused on the field itself (so every schema built from the spec, the control
 * plane's API included, refuses it) and by the CRD (CEL rules), with why.
 */
export const REFUSED_STORAGE_IO =
  'is not supported by qhc: IOPS and throughput parameters are specific to each CSI driver; create a VolumeAttributesClass for your driver with the IOPS and throughput you want and set spec.storage.volumeAttributesClassName';
export const REFUSED_READ_CLUSTERS =
  "is not supported by qhc: its cluster manager does not synchronise read clusters; remove it (a read cluster's spec.writeCluster still opens its egress to the write cluster)";

export const QdrantStorage = z
  .strictObject({
    /** The VolumeAttributesClass of the database and snapshot volumes (IOPS and throughput go there). */
    volumeAttributesClassName: dns1123Subdomain.optional(),
    /** The VolumeSnapshotClass of this cluster's backups; unset: the operator's (csi-snapclass). */
    volumeSnapshotClassName: dns1123Subdomain.optional(),
    /** Refused (REFUSED_STORAGE_IO): use volumeAttributesClassName. */
    iops: positiveInt.refine(() => false, REFUSED_STORAGE_IO).optional(),
    /** Refused (REFUSED_STORAGE_IO): use volumeAttributesClassName. */
    throughput: positiveInt.refine(() => false, REFUSED_STORAGE_IO).optional(),
    additionalVolumes: z.array(Volume).optional(),
    /** PVCs per pod, on top of the database and snapshots PVCs. */
    additionalVolumeClaimTemplates: z.array(AdditionalVolumeClaimTemplate).optional(),
    additionalVolumeMounts: z.array(VolumeMount).optional(),
  })
  .meta({
    'x-kubernetes-validations': [
      { rule: '!has(self.iops)', message: `spec.storage.iops ${REFUSED_STORAGE_IO}` },
      { rule: '!has(self.throughput)', message: `spec.storage.throughput ${REFUSED_STORAGE_IO}` },
    ],
  });

/** A manual-maintenance request: while any exists, the operator leaves the cluster alone. */
export const Pause = z.strictObject({ owner: z.string().optional(), reason: z.string().optional(), creationTimestamp: z.string().optional() });

export const ClusterReference = z.strictObject({ id: z.string().min(1) });

/**
 * The longest id whose derived names fit Kubernetes' 63-character limit: the headless
 * Service `qdrant-headless-<id>` is the longest of them.
 */
export const MAX_CLUSTER_ID_LENGTH = 63 - headlessServiceName('').length;

/** Qdrant's release tags, as images are tagged: "v1.16.3", "1.16.3", "v1.17.0-rc.1". */
const QDRANT_VERSION_TAG = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;

/** The spec's fields, without the checks across them (QdrantClusterSpec adds those). */
const QdrantClusterSpecFields = z.strictObject({
  /** Unique in the namespace; a UUID in Qdrant Cloud. Names every child object. */
  id: z
    .string()
    .min(1)
    .max(MAX_CLUSTER_ID_LENGTH, `must be at most ${MAX_CLUSTER_ID_LENGTH} characters, so that qdrant-headless-<id> fits in 63`)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be lower case letters, digits and "-" (a UUID in Qdrant Cloud), as it names pods and Services'),
  /** Qdrant's version, a release tag such as "v1.16.3" or "1.16.3"; upgrade one minor version at a time. */
  version: z.string().regex(QDRANT_VERSION_TAG, 'must be a Qdrant release tag such as "v1.16.3" or "1.16.3"'),
  size: z.int().min(1).max(100),
  /** A Service per node. */
  servicePerNode: z.boolean().default(true),
  /** Unset: the operator's setting. */
  clusterManager: z.boolean().optional(),
  /** Removes everything but the PVCs. */
  suspend: z.boolean().default(false),
  pauses: z.array(Pause).optional(),
  image: QdrantImage.optional(),
  /**
   * Required: the operator sizes the pods (cpu, memory) and volumes (storage) from it. Optional
   * in the field list only so that a missing one is reported with an example (checkResources).
   */
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
  /** Unset: restart at once when no collection is replicated, else one by one. */
  restartAllPodsConcurrently: z.boolean().optional(),
  /** Off: restart pods; Auto: recreate nodes that hold unreplicated shards; On: always recreate. */
  onDemandReplication: OnDemandReplication.default('Off'),
  /** Adds `sleep <n>` to the next pod start, to inspect a crash-looping node's volume. */
  startupDelaySeconds: z.int().min(0).optional(),
  /** Needs the cluster-manager. */
  rebalanceStrategy: RebalanceStrategy.optional(),
  /** Refused (REFUSED_READ_CLUSTERS). */
  readClusters: z
    .array(ClusterReference)
    .refine(() => false, REFUSED_READ_CLUSTERS)
    .optional(),
  /** Opens the NetworkPolicy's egress to this cluster. */
  writeCluster: ClusterReference.optional(),
  /**
   * Spread the pods over zones (topology.kubernetes.io/zone) and route clients to the
   * nearest (the client Service's trafficDistribution). Qdrant's operator uses it for
   * zone-aware routing in its Envoy routes, which qhc does not have.
   */
  multiAZ: z.boolean().default(false),
});

type RefinementContext = z.core.$RefinementCtx;

/** The checks across fields: one function, for the spec with its id and the API's spec without. */
function checkClusterSpec(spec: { resources?: QdrantResources | undefined }, ctx: RefinementContext): void {
  checkResources(spec.resources, ctx);
}

const specMeta = { 'x-kubernetes-validations': [{ rule: '!has(self.readClusters)', message: `spec.readClusters ${REFUSED_READ_CLUSTERS}` }] };

// .meta() last: zod keeps metadata on the instance it is called on.
export const QdrantClusterSpec = QdrantClusterSpecFields.superRefine(checkClusterSpec).meta(specMeta);
export type QdrantClusterSpec = z.infer<typeof QdrantClusterSpec>;

/**
 * A cluster's spec as the control plane's API takes it: the id is the cluster's name. Same fields
 * and checks as QdrantClusterSpec (a refined schema cannot be `.omit()`ted, hence this export).
 */
export const ClusterSpecRequest = QdrantClusterSpecFields.omit({ id: true }).superRefine(checkClusterSpec);

/** The spec without the checks across fields: stored records, read back as they were written. */
export const ClusterSpecRecord = QdrantClusterSpecFields.omit({ id: true });

function checkQuantity(value: string | undefined, path: string[], ctx: RefinementContext, required: boolean): number | undefined {
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

// Relative to the spec: zod prefixes `spec.` where the spec is nested in a QdrantCluster.
const at = (...path: string[]) => ['resources', ...path];

/** Upstream's Resources.Validate(): cpu, memory and storage are quantities; requests stay within limits. */
function checkResources(resources: QdrantResources | undefined, ctx: RefinementContext): void {
  if (!resources) {
    ctx.addIssue({ code: 'custom', path: at(), message: 'is required: set cpu, memory and storage, e.g. { cpu: "1", memory: "4Gi", storage: "20Gi" }' });
    return;
  }
  const cpu = checkQuantity(resources.cpu, at('cpu'), ctx, true);
  const memory = checkQuantity(resources.memory, at('memory'), ctx, true);
  checkQuantity(resources.storage, at('storage'), ctx, true);
  const requestCpu = checkQuantity(resources.requests?.cpu, at('requests', 'cpu'), ctx, false);
  const requestMemory = checkQuantity(resources.requests?.memory, at('requests', 'memory'), ctx, false);
  if (cpu !== undefined && requestCpu !== undefined && requestCpu > cpu) {
    ctx.addIssue({ code: 'custom', path: at('requests', 'cpu'), message: `must not exceed the cpu limit (${resources.cpu})` });
  }
  if (memory !== undefined && requestMemory !== undefined && requestMemory > memory) {
    ctx.addIssue({ code: 'custom', path: at('requests', 'memory'), message: `must not exceed the memory limit (${resources.memory})` });
  }
}

/** operator.qdrant.com/bootstrap-node names a node of the cluster: 0 … size-1. */
function checkBootstrapNode(cluster: { metadata: { annotations?: Record<string, string> | undefined }; spec: { size: number } }, ctx: RefinementContext): void {
  const value = cluster.metadata.annotations?.[ANNOTATION_BOOTSTRAP_NODE];
  if (value === undefined) return;
  if (!/^(0|[1-9][0-9]*)$/.test(value) || Number(value) >= cluster.spec.size) {
    ctx.addIssue({
      code: 'custom',
      path: ['metadata', 'annotations', ANNOTATION_BOOTSTRAP_NODE],
      message: `must be the index of a node of the cluster, 0 to ${cluster.spec.size - 1} (spec.size - 1), got ${JSON.stringify(value)}`,
    });
  }
}

/**
 * operator.qdrant.com/reinit is refused: as a start-script flag it stayed for as long as the
 * annotation did, so any later restart of the bootstrap node reinitialised consensus again and
 * forgot its peers. A safe one-shot version needs the operator to drive each node once.
 */
function checkReinit(cluster: { metadata: { annotations?: Record<string, string> | undefined } }, ctx: RefinementContext): void {
  if (cluster.metadata.annotations?.[ANNOTATION_REINIT] === undefined) return;
  ctx.addIssue({
    code: 'custom',
    path: ['metadata', 'annotations', ANNOTATION_REINIT],
    message:
      `${ANNOTATION_REINIT} is not supported by this operator: reinitialising consensus is a manual recovery step. ` +
      "Remove the annotation; to recover, pause the cluster (spec.pauses), start the node to keep once with Qdrant's --reinit flag " +
      "(it becomes the single-member leader, keeping its data), then each other node once with --reinit --bootstrap <that node's p2p URI> " +
      '(it drops its consensus state and re-syncs), then remove the pause',
  });
}

export const QdrantCluster = z
  .strictObject({ ...resourceEnvelope('QdrantCluster'), spec: QdrantClusterSpec, status: QdrantClusterStatus.optional() })
  .superRefine((cluster, ctx) => {
    const { id } = cluster.spec;
    const expectedName = clusterResourceName(id);
    if (cluster.metadata.name !== expectedName) {
      ctx.addIssue({
        code: 'custom',
        path: ['metadata', 'name'],
        message: `must be "${expectedName}" (qdrant-<spec.id>), got ${JSON.stringify(cluster.metadata.name ?? '')}`,
      });
    }
    checkClusterLabels(cluster.metadata, id, ['spec', 'id'], ctx);
    checkBootstrapNode(cluster, ctx);
    checkReinit(cluster, ctx);
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
  categories: ['qdrant'],
  scope: 'Namespaced',
  printerColumns: [
    { name: 'Nodes', type: 'integer', jsonPath: '.spec.size' },
    { name: 'Version', type: 'string', jsonPath: '.spec.version' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    // Ours, shown with -o wide only, so upstream's default columns are unchanged.
    { name: 'Endpoint', type: 'string', jsonPath: '.status.endpoint', priority: 1 },
    ageColumn(),
  ],
  subresources: { status: true, scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.currentNodes', labelSelectorPath: '.status.selector' } },
  preserveUnknownFields: { spec: true, status: true },
  description: 'QdrantCluster is a Qdrant database cluster: its size, version, resources and configuration.',
  schema: QdrantCluster,
  spec: QdrantClusterSpec,
  status: QdrantClusterStatus,
} as const satisfies KindDefinition;
