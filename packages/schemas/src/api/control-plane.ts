import * as z from 'zod';
import { boundedJsonObject } from '../json/bounded-json.ts';
import { NodeStatus } from '../crds/qdrant-cluster-status.ts';
import { ClusterSpecRecord } from '../crds/qdrant-cluster.ts';
import { Region } from '../settings/region.ts';

// The control plane's HTTP API: what the agent reports and the records the API answers with.
// One contract for the control plane (Node), the agent and the web console (browser).

const text = (max: number) => z.string().max(max);

/** A Kubernetes condition as reported; the message is Kubernetes' limit (32 KiB). */
export const ReportCondition = z.object({
  type: z.string().min(1).max(316),
  status: text(32),
  reason: text(1024).optional(),
  message: text(32_768).optional(),
  lastTransitionTime: text(64).optional(),
});

/**
 * Where a cluster the control plane did not create came from: the QdrantClusterRestore that
 * made it, the QdrantClusterSnapshot (backup) it was restored from, and that backup's cluster.
 */
export const ClusterOrigin = z.object({ restore: z.string().min(1), snapshot: z.string().min(1), sourceCluster: z.string().min(1).optional() });
export type ClusterOrigin = z.infer<typeof ClusterOrigin>;

/** One QdrantCluster as the agent reports it: the parts of its status the console shows. */
export const ClusterStatusReport = z.object({
  id: z.string().min(1).max(253),
  phase: text(64).optional(),
  reason: text(4096).optional(),
  nodes: z.int().min(0).max(1000).optional(),
  nodesReady: z.int().min(0).max(1000).optional(),
  version: text(128).optional(),
  conditions: z.array(ReportCondition).max(64).optional(),
  /** Per pod, as the operator writes the QdrantCluster's `status.nodes` (a cluster has at most 100). */
  nodeStatus: z
    .record(z.string().max(253), NodeStatus)
    .refine((nodes) => Object.keys(nodes).length <= 128, 'must have at most 128 nodes')
    .optional(),
  /**
   * Only for a cluster the agent did not apply (no qhc-agent label) that a restore made: where
   * it came from and its spec (without `id`), so the control plane can adopt it.
   */
  origin: ClusterOrigin.optional(),
  spec: boundedJsonObject().optional(),
});
export type ClusterStatusReport = z.infer<typeof ClusterStatusReport>;

const timestamps = { createdAt: z.string(), updatedAt: z.string() };

export const RegionRecord = z.object({
  id: z.string(),
  name: z.string(),
  spec: Region,
  /** Bumped on every change to the region or its clusters: what the agent long-polls on. */
  revision: z.int(),
  /** The revision the agent last applied, and what it reported. */
  appliedRevision: z.int().optional(),
  status: z.unknown().optional(),
  lastSeenAt: z.string().optional(),
  /** Pull credentials stored for the region's registry: the user name only; the password is never returned. */
  registryCredentials: z.object({ username: z.string() }).optional(),
  ...timestamps,
});
export type RegionRecord = z.infer<typeof RegionRecord>;

export const ClusterRecord = z.object({
  id: z.string(),
  regionId: z.string(),
  name: z.string(),
  spec: ClusterSpecRecord,
  apiKeys: z.object({ apiKey: z.string().optional(), readOnlyApiKey: z.string().optional() }).optional(),
  /** Annotations the QdrantCluster carries, such as `restartedAt` (a restart asked for). */
  annotations: z.record(z.string(), z.string()).optional(),
  /** Set on a cluster adopted from the region: the restore that made it (absent: made through the API). */
  origin: ClusterOrigin.optional(),
  deletedAt: z.string().optional(),
  status: ClusterStatusReport.partial().optional(),
  ...timestamps,
});
export type ClusterRecord = z.infer<typeof ClusterRecord>;

/** A backup, schedule or restore of a region. */
export const ResourceRecord = z.object({
  kind: z.string(),
  name: z.string(),
  clusterId: z.string(),
  spec: z.record(z.string(), z.unknown()),
  status: z
    .looseObject({
      phase: z.string().optional(),
      message: z.string().optional(),
      retainUntil: z.string().optional(),
      scheduled: z.string().optional(),
      volumeSnapshots: z.array(z.looseObject({ readyToUse: z.boolean().optional() })).optional(),
    })
    .optional(),
  deletedAt: z.string().optional(),
  /** "control-plane": made through the API; "region": found in the region (e.g. taken by a schedule). */
  origin: z.enum(['control-plane', 'region']),
  createdAt: z.string().optional(),
});
export type ResourceRecord = z.infer<typeof ResourceRecord>;

// Reading the records: a client of an older release reads a newer control plane's answers.
// These check the identity and status fields a client uses and keep every other spec field
// (unknown ones too) as they came; what the control plane validates on input stays the strict
// schemas above. A client that writes a spec back sends the answer's own spec, not a parse.

/** A region record as a client reads it: its spec's identity checked, its other fields kept. */
export const RegionRecordView = RegionRecord.extend({
  spec: Region.pick({ name: true, namespace: true, agentVersion: true, operatorVersion: true }).partial({ agentVersion: true, operatorVersion: true }).loose(),
});
export type RegionRecordView = z.infer<typeof RegionRecordView>;

/** A cluster record as a client reads it: size, version and the status it shows checked, the rest kept. */
export const ClusterRecordView = ClusterRecord.extend({
  spec: ClusterSpecRecord.pick({ size: true, version: true }).loose(),
  status: ClusterStatusReport.pick({ phase: true, reason: true, nodes: true, nodesReady: true, version: true, conditions: true }).partial().optional(),
});
export type ClusterRecordView = z.infer<typeof ClusterRecordView>;

/** A resource record as a client reads it: the status is parsed on its own (ResourceRecordStatus), so one unreadable status costs only itself. */
export const ResourceRecordView = ResourceRecord.extend({ status: z.unknown().optional() });
export type ResourceRecordView = z.infer<typeof ResourceRecordView>;
export const ResourceRecordStatus = ResourceRecord.shape.status.unwrap();
export type ResourceRecordStatus = z.infer<typeof ResourceRecordStatus>;

/** One entry of a cluster's timeline (GET …/clusters/{cluster}/events). */
export const ClusterEventType = z.enum(['Requested', 'Phase', 'Nodes', 'Condition', 'Version', 'Adopted', 'Conflict']);
export type ClusterEventType = z.infer<typeof ClusterEventType>;
export const ClusterEvent = z.object({ at: z.string(), type: ClusterEventType, message: z.string() });
export type ClusterEvent = z.infer<typeof ClusterEvent>;
