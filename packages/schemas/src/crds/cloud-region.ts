import * as z from 'zod';
import { AGE_COLUMN, resourceEnvelope } from './common.ts';
import { QDRANT_GROUP, QDRANT_VERSION, type KindDefinition } from './kind.ts';

// QdrantCloudRegion (cluster-scoped): the agent's view of the Kubernetes cluster it runs
// in; its status mirrors what the agent reports to the control plane.

const Component = z.strictObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  name: z.string(),
  namespace: z.string().optional(),
  markedForDeletion: z.boolean().optional(),
});

const ComponentStatus = z.strictObject({
  name: z.string(),
  namespace: z.string().optional(),
  version: z.string().optional(),
  phase: z.enum(['Ready', 'NotReady', 'Unknown', 'NotFound']).optional(),
  message: z.string().optional(),
});

const Resources = z.strictObject({
  cpu: z.string().optional(),
  memory: z.string().optional(),
  pods: z.string().optional(),
  ephemeralStorage: z.string().optional(),
});

export const K8S_DISTRIBUTIONS = [
  'unknown', 'aws', 'gcp', 'azure', 'do', 'scaleway', 'openshift', 'linode', 'civo', 'oci', 'ovhcloud', 'stackit', 'vultr', 'k3s',
] as const;

export const QdrantCloudRegionSpec = z.strictObject({
  id: z.string().min(1),
  components: z.array(Component).optional(),
  // Deprecated upstream (Flux objects embedded as-is); kept so old objects still parse.
  helmRepositories: z.array(z.looseObject({})).optional(),
  helmReleases: z.array(z.looseObject({})).optional(),
});

export const QdrantCloudRegionStatus = z.strictObject({
  phase: z.enum(['Ready', 'NotReady', 'FailedToSync']).optional(),
  k8sVersion: z.string().optional(),
  numberOfNodes: z.int().min(0).optional(),
  capabilities: z.strictObject({ volumeSnapshot: z.boolean().optional(), volumeExpansion: z.boolean().optional() }).optional(),
  helmRepositories: z.array(ComponentStatus).optional(),
  helmReleases: z.array(ComponentStatus).optional(),
  components: z.array(ComponentStatus).optional(),
  message: z.string().optional(),
  k8sDistribution: z.enum(K8S_DISTRIBUTIONS).optional(),
  monitoring: z
    .strictObject({
      cAdvisorMetricSource: z.enum(['kubelet', 'api']).optional(),
      nodeMetricSource: z.enum(['kubelet', 'api']).optional(),
    })
    .optional(),
  storageClasses: z
    .array(
      z.strictObject({
        name: z.string(),
        default: z.boolean().optional(),
        provisioner: z.string().optional(),
        allowVolumeExpansion: z.boolean().optional(),
        reclaimPolicy: z.string().optional(),
        parameters: z.record(z.string(), z.string()).optional(),
      }),
    )
    .optional(),
  volumeSnapshotClasses: z.array(z.strictObject({ name: z.string(), driver: z.string().optional() })).optional(),
  volumeAttributesClasses: z
    .array(z.strictObject({ name: z.string(), driver: z.string().optional(), parameters: z.record(z.string(), z.string()).optional() }))
    .optional(),
  nodeInfos: z
    .array(
      z.strictObject({
        name: z.string(),
        region: z.string().optional(),
        zone: z.string().optional(),
        instanceType: z.string().optional(),
        arch: z.string().optional(),
        capacity: Resources.optional(),
        allocatable: Resources.optional(),
      }),
    )
    .optional(),
});

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
    AGE_COLUMN,
  ],
  subresources: { status: true },
  preserveUnknownFields: { spec: false, status: false },
  description: "QdrantCloudRegion is the agent's view of the Kubernetes cluster that forms a region.",
  schema: QdrantCloudRegion,
  spec: QdrantCloudRegionSpec,
  status: QdrantCloudRegionStatus,
} as const satisfies KindDefinition;
