import * as z from 'zod';
import {
  Annotations,
  Cidr,
  EnvVar,
  IpAddressOrCidr,
  Labels,
  PersistentVolumeClaimSpec,
  PullPolicy,
  ServiceType,
  Volume,
  VolumeMount,
  dns1123Label,
  dns1123Subdomain,
} from '../k8s/index.ts';

// The objects a QdrantCluster's spec is made of, as Qdrant's operator API defines them;
// qdrant-cluster.ts puts them together into the spec.

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
