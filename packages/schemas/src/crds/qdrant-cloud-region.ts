import * as z from 'zod';
import { Condition, FreeFormObject } from '../k8s/index.ts';
import { ageColumn, resourceEnvelope } from './common.ts';
import { QDRANT_GROUP, QDRANT_VERSION, type KindDefinition } from './kind.ts';

// QdrantCloudRegion (cluster-scoped): the agent's view of the Kubernetes cluster it runs
// in. Its status mirrors what the agent reports to the control plane.

export const ComponentReference = z.strictObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string(),
  markedForDeletion: z.boolean().optional(),
});
export type ComponentReference = z.infer<typeof ComponentReference>;

/** Deprecated upstream: a Flux object embedded as-is, with when it was marked for deletion. */
const EmbeddedFluxObject = z.strictObject({
  markedForDeletionAt: z.string().optional(),
  /** Free-form: a whole HelmRepository / HelmRelease object. */
  object: FreeFormObject.optional(),
});

export const COMPONENT_PHASES = ['Ready', 'NotReady', 'Unknown', 'NotFound'] as const;

export const ComponentStatus = z.strictObject({
  name: z.string(),
  namespace: z.string().optional(),
  version: z.string().optional(),
  phase: z.enum(COMPONENT_PHASES).optional(),
  message: z.string().optional(),
});
export type ComponentStatus = z.infer<typeof ComponentStatus>;

/** Node resources as quantity strings, e.g. cpu "4", memory "16Gi". */
const NodeResourceInfo = z.strictObject({ cpu: z.string(), memory: z.string(), pods: z.string(), ephemeralStorage: z.string() });

export const K8S_DISTRIBUTIONS = [
  'unknown',
  'aws',
  'gcp',
  'azure',
  'do',
  'scaleway',
  'openshift',
  'linode',
  'civo',
  'oci',
  'ovhcloud',
  'stackit',
  'vultr',
  'k3s',
] as const;
export const KubernetesDistribution = z.enum(K8S_DISTRIBUTIONS);

export const REGION_PHASES = ['Ready', 'NotReady', 'FailedToSync'] as const;
export const RegionPhase = z.enum(REGION_PHASES);
export type RegionPhase = z.infer<typeof RegionPhase>;

const MetricSource = z.enum(['kubelet', 'api']);

export const QdrantCloudRegionSpec = z.strictObject({
  id: z.string().optional(),
  components: z.array(ComponentReference).optional(),
  /** Deprecated upstream: use components. */
  helmRepositories: z.array(EmbeddedFluxObject).optional(),
  /** Deprecated upstream: use components. */
  helmReleases: z.array(EmbeddedFluxObject).optional(),
});
export type QdrantCloudRegionSpec = z.infer<typeof QdrantCloudRegionSpec>;

export const QdrantCloudRegionStatus = z.strictObject({
  phase: RegionPhase.optional(),
  k8sVersion: z.string().optional(),
  numberOfNodes: z.int().min(0).optional(),
  /** Deprecated upstream: derived from the storage and snapshot classes instead. */
  capabilities: z.strictObject({ volumeSnapshot: z.boolean().optional(), volumeExpansion: z.boolean().optional() }).optional(),
  helmRepositories: z.array(ComponentStatus).optional(),
  helmReleases: z.array(ComponentStatus).optional(),
  // Ours: the status of spec.components, which upstream reports only for its Helm objects.
  // Upstream's CRD has no such field and prunes it; our CRD keeps it.
  components: z.array(ComponentStatus).optional(),
  message: z.string().optional(),
  // Ours: conditions of the region's components, e.g. OperatorSettingsValid (the operator
  // refused a settings file and runs the previous one). Upstream's CRD has no such field.
  conditions: z.array(Condition).optional(),
  k8sDistribution: KubernetesDistribution.optional(),
  monitoring: z.strictObject({ cAdvisorMetricSource: MetricSource.optional(), nodeMetricSource: MetricSource.optional() }).optional(),
  storageClasses: z
    .array(
      z.strictObject({
        name: z.string(),
        default: z.boolean(),
        provisioner: z.string(),
        allowVolumeExpansion: z.boolean(),
        reclaimPolicy: z.string(),
        parameters: z.record(z.string(), z.string()).optional(),
      }),
    )
    .optional(),
  volumeSnapshotClasses: z.array(z.strictObject({ name: z.string(), driver: z.string() })).optional(),
  volumeAttributesClasses: z
    .array(z.strictObject({ name: z.string(), driver: z.string(), parameters: z.record(z.string(), z.string()).optional() }))
    .optional(),
  nodeInfos: z
    .array(
      z.strictObject({
        name: z.string(),
        region: z.string().optional(),
        zone: z.string().optional(),
        instanceType: z.string().optional(),
        arch: z.string().optional(),
        capacity: NodeResourceInfo,
        allocatable: NodeResourceInfo,
      }),
    )
    .optional(),
});
export type QdrantCloudRegionStatus = z.infer<typeof QdrantCloudRegionStatus>;

export const QdrantCloudRegion = z.strictObject({
  ...resourceEnvelope('QdrantCloudRegion'),
  spec: QdrantCloudRegionSpec,
  status: QdrantCloudRegionStatus.optional(),
});
export type QdrantCloudRegion = z.infer<typeof QdrantCloudRegion>;

export const qdrantCloudRegionKind = {
  group: QDRANT_GROUP,
  version: QDRANT_VERSION,
  kind: 'QdrantCloudRegion',
  plural: 'qdrantcloudregions',
  singular: 'qdrantcloudregion',
  listKind: 'QdrantCloudRegionList',
  shortNames: ['region', 'regions'],
  categories: ['qdrant'],
  scope: 'Cluster',
  printerColumns: [
    { name: 'K8s Version', type: 'string', jsonPath: '.status.k8sVersion' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    ageColumn(),
  ],
  subresources: { status: true },
  // Upstream marks only the root object (unknown top-level fields survive); spec and status
  // have their own properties there and lose unknown fields, as here.
  preserveUnknownFields: { spec: false, status: false },
  description: "QdrantCloudRegion is the agent's view of the Kubernetes cluster that forms a region.",
  schema: QdrantCloudRegion,
  spec: QdrantCloudRegionSpec,
  status: QdrantCloudRegionStatus,
} as const satisfies KindDefinition;
