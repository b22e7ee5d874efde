import * as z from 'zod';
import { NodeSelector, PodDisruptionBudgetSpec, Toleration, TopologySpreadConstraint } from '../k8s/index.ts';
import { clusterResourceName, headlessServiceName } from '../names.ts';
import { ageColumn, checkClusterLabels, resourceEnvelope } from './common.ts';
import { checkBootstrapNode, checkReinit, checkResources } from './qdrant-cluster-checks.ts';
import { QdrantConfiguration } from './qdrant-cluster-config.ts';
import {
  ClusterReference,
  GPU,
  KubernetesStatefulSet,
  OnDemandReplication,
  Pause,
  QdrantClusterIngress,
  QdrantClusterService,
  QdrantImage,
  QdrantResources,
  QdrantSecurityContext,
  QdrantStorage,
  REFUSED_READ_CLUSTERS,
  RebalanceStrategy,
  StorageClassNames,
} from './qdrant-cluster-fields.ts';
import { QdrantClusterStatus } from './qdrant-cluster-status.ts';
import { QDRANT_GROUP, QDRANT_VERSION, type KindDefinition } from './kind.ts';

export * from './qdrant-cluster-fields.ts';

// QdrantCluster, field for field as Qdrant's public operator API (qdrant.io/v1) defines it.
// The spec mirrors the upstream CRD (quantities are strings, most fields optional); the
// rules Qdrant's operator checks in Go are the refinements of qdrant-cluster-checks.ts.

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
