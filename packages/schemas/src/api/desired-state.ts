import * as z from 'zod';
import { boundedJsonObject, withJsonBounds, type JsonBounds } from '../json/bounded-json.ts';
import { ClusterOrigin } from './control-plane.ts';

// GET /agent/v1/desired-state: what the control plane answers and the agent applies. The agent
// parses every answer with this schema before it touches the region: a bad one is refused whole,
// naming the field. The free-form parts (a cluster's spec, a backup's spec, a CRD) are bounded
// JSON, not parsed with their kinds' schemas: the apiserver validates them with the CRDs, and a
// control plane newer than the agent may send fields this agent does not know yet. Unknown
// top-level fields are dropped for the same reason.

const name = z.string().min(1).max(253);

/** The longest API key a cluster may have: the control plane refuses longer ones, the agent applies up to this. */
export const API_KEY_MAX_LENGTH = 4096;

/**
 * The whole answer: CRDs nest deeper than a cluster spec (openAPIV3Schema's properties), a
 * region's CA bundle is a long string, and a region may hold thousands of clusters.
 */
export const DESIRED_STATE_BOUNDS: JsonBounds = { maxDepth: 64, maxKeys: 10_000, maxItems: 10_000, maxStringLength: 1024 * 1024, maxSize: 64 * 1024 * 1024 };

/**
 * A cluster's or a backup's spec as the control plane took it: its API bounds the request body
 * (1 MiB, 64 levels), not the strings in it (a PEM bundle in an env value is long), so the agent
 * must accept whatever that let through, or one cluster would hold back its whole region.
 */
export const SPEC_BOUNDS: JsonBounds = { maxDepth: 64, maxKeys: 10_000, maxItems: 10_000, maxStringLength: 1024 * 1024, maxSize: 1024 * 1024 };

/** One CRD of the control plane's release: the agent applies only qdrant.io CustomResourceDefinitions among them. */
const CRD_BOUNDS: JsonBounds = { maxDepth: 64, maxKeys: 1024, maxItems: 1024, maxStringLength: 65_536, maxSize: 4 * 1024 * 1024 };

/** Qdrant's two key slots: `service.api_key` (read-write) and `service.read_only_api_key`. */
export const DatabaseApiKeySlot = z.enum(['readWrite', 'readOnly']);
export type DatabaseApiKeySlot = z.infer<typeof DatabaseApiKeySlot>;

/**
 * A database API key sealed for the region's agent (`@qhc/schemas/sealing`): only the agent's
 * private key opens it, so the control plane keeps no plaintext. Bound to its cluster and id.
 */
export const SealedDatabaseApiKey = z.object({ id: z.string().min(1).max(64), slot: DatabaseApiKeySlot, sealed: z.string().min(1).max(1024) });
export type SealedDatabaseApiKey = z.infer<typeof SealedDatabaseApiKey>;

/** A QdrantCluster the agent applies: the spec carries its id, as the QdrantCluster's does. */
export const DesiredCluster = z.object({
  id: name,
  spec: boundedJsonObject(SPEC_BOUNDS).pipe(z.looseObject({ id: name })),
  /** Written to the api-keys Secret, referenced from the spec; never logged. The API takes up to 4096 characters. */
  apiKeys: z.object({ apiKey: z.string().max(API_KEY_MAX_LENGTH).optional(), readOnlyApiKey: z.string().max(API_KEY_MAX_LENGTH).optional() }).optional(),
  /**
   * The live database API keys of the Cloud API, one per slot at most. Present (maybe empty) once
   * the cluster's keys are managed this way: its database then always requires a key.
   */
  databaseApiKeys: z.array(SealedDatabaseApiKey).max(2).optional(),
  /** Annotations the QdrantCluster carries, such as `restartedAt`. */
  annotations: z.record(z.string().max(316), z.string().max(65_536)).optional(),
  /** A cluster adopted from the region: the restore that made it (the agent leaves another restore's cluster alone). */
  origin: ClusterOrigin.optional(),
});
export type DesiredCluster = z.infer<typeof DesiredCluster>;

/** A backup, backup schedule or restore (a qdrant.io kind) of one cluster. */
export const DesiredResource = z.object({ kind: z.string().min(1).max(63), name, clusterId: name, spec: boundedJsonObject(SPEC_BOUNDS) });
export type DesiredResource = z.infer<typeof DesiredResource>;

export const DesiredResourceRef = z.object({ kind: z.string().min(1).max(63), name });
export type DesiredResourceRef = z.infer<typeof DesiredResourceRef>;

/** A CustomResourceDefinition, as the control plane's release builds it. */
export const DesiredCrd = withJsonBounds(
  z.looseObject({ kind: z.string().min(1), metadata: z.looseObject({ name }), spec: z.record(z.string(), z.unknown()).optional() }),
  CRD_BOUNDS,
);
export type DesiredCrd = z.infer<typeof DesiredCrd>;

export const DesiredStateFields = z.object({
  /** The region's revision: the agent long-polls for a later one. */
  revision: z.int().min(0),
  /**
   * The region's settings. Only its name is read here: the agent parses the rest with Region
   * on its own, so a region it cannot read costs the installation, never the clusters.
   */
  region: z.looseObject({ name, namespace: name.optional() }),
  clusters: z.array(DesiredCluster).max(10_000),
  /** Clusters deleted through the control plane: the only ones the agent deletes. */
  deletions: z.array(name).max(10_000),
  /** Backups, backup schedules and restores to apply (none from an older control plane). */
  resources: z.array(DesiredResource).max(10_000).default([]),
  /** Those deleted through the control plane: the only ones the agent deletes. */
  resourceDeletions: z.array(DesiredResourceRef).max(10_000).default([]),
  /** Pull credentials for the region's registry (the filled pull Secret); never logged. */
  registryCredentials: z.object({ username: z.string().max(1024), password: z.string().max(65_536) }).optional(),
  /**
   * The control plane release's CRDs: the only ones the agent applies (an agent older than the
   * operator must not put its own older CRDs back). None from an older control plane: none applied.
   */
  crds: z.array(DesiredCrd).max(64).default([]),
});

/** The answer, its bounds checked (without recursion) before the typed parse walks it. */
export const DesiredState = withJsonBounds(DesiredStateFields, DESIRED_STATE_BOUNDS);
export type DesiredState = z.infer<typeof DesiredState>;
/** What the control plane builds: `resources`, `resourceDeletions` and `crds` may be left out. */
export type DesiredStateInput = z.input<typeof DesiredStateFields>;
