import * as z from 'zod';
import { boundedJsonObject, withJsonBounds, type JsonBounds } from '../json/bounded-json.ts';
import { ClusterStatusReport, ReportCondition } from './control-plane.ts';

// POST /agent/v1/status: what the agent reports about its region. The control plane stores it
// and answers every list of regions with it, so every part is typed or bounded; the agent
// parses its report with this same schema before sending it. Objects strip fields they do not
// know rather than refuse them: an agent newer than the control plane keeps reporting, and
// nothing unknown is stored.

const text = (max: number) => z.string().max(max);
const name = z.string().min(1).max(253);

/** The whole report: the HTTP body limit is 1 MiB; nothing in a real report nests deeper than ~12. */
export const AGENT_REPORT_BOUNDS: JsonBounds = { maxDepth: 32, maxKeys: 1024, maxItems: 10_000, maxStringLength: 32_768, maxSize: 1024 * 1024 };

/** One component the agent watches (the operator, the agent itself). */
export const RegionComponentStatus = z.object({ name, namespace: name, version: text(128).optional(), phase: text(64) });

/** The installation the agent runs in: who applies it and whether it is current (the console shows it). */
export const InstallationStatus = z.object({
  managedBy: z.enum(['agent', 'Helm', 'none']),
  upToDate: z.boolean(),
  /** The installation inputs' fingerprint the objects were made from, and the desired state's. */
  installedHash: text(128).optional(),
  desiredHash: text(128),
  message: text(4096).optional(),
});
export type InstallationStatus = z.infer<typeof InstallationStatus>;

/** The region's own status, as also written to its QdrantCloudRegion (plus `installation`). */
export const AgentRegionStatus = z.object({
  phase: text(64),
  numberOfNodes: z.int().min(0).max(1_000_000).optional(),
  components: z.array(RegionComponentStatus).max(32).optional(),
  message: text(4096).optional(),
  conditions: z.array(ReportCondition).max(32).optional(),
  installation: InstallationStatus.optional(),
});
export type AgentRegionStatus = z.infer<typeof AgentRegionStatus>;

/** A backup, backup schedule or restore in the region: its spec and status are Kubernetes' (bounded free-form). */
export const ObservedResource = z.object({
  kind: z.string().min(1).max(63),
  name,
  spec: boundedJsonObject().optional(),
  status: boundedJsonObject().optional(),
  created: text(64).optional(),
});
export type ObservedResource = z.infer<typeof ObservedResource>;

// Unknown top-level fields are dropped, like those of nested objects: a newer agent keeps reporting.
export const AgentReportFields = z.object({
  appliedRevision: z.int().min(0).optional(),
  region: AgentRegionStatus.optional(),
  /** The region's health (RegionHealth): parsed on its own, so a newer agent's health does not cost the whole report. */
  health: z.unknown().optional(),
  clusters: z.array(ClusterStatusReport).max(10_000).default([]),
  /** Backups, schedules and restores in the region, with their status. */
  resources: z.array(ObservedResource).max(10_000).optional(),
  /** The agent's X25519 public key (raw, base64url): database API keys are sealed for it. */
  agentPublicKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'must be a raw X25519 public key in base64url')
    .optional(),
});

/** The report, its bounds checked (without recursion) before the typed parse walks it. */
export const AgentReport = withJsonBounds(AgentReportFields, AGENT_REPORT_BOUNDS);
export type AgentReport = z.infer<typeof AgentReport>;
export type AgentReportInput = z.input<typeof AgentReportFields>;
