import { ClusterRecord, RegionRecord, ResourceRecord, type ClusterRecord as Cluster, type RegionRecord as Region } from '@qhc/schemas';
import { hash } from 'node:crypto';
import type { ExpressionBuilder, Selectable } from 'kysely';
import * as z from 'zod';
import type { Db, Warn } from '../db/db.ts';
import { decryptSecret, encryptSecret, SecretError } from '../secrets/cipher.ts';
import type { Database } from '../db/schema.ts';

// Rows to the records the API answers with. A JSON column holds what an earlier release wrote
// too, so it is read back as stored: today's schema is only checked, never applied. Its defaults
// would change a desired state without a revision (and under the agent's feet), and its newer
// refinements would turn an upgrade into 500s on every list, GET and long-poll of the region.
// A row that no longer fits is told once (table, id, column) and used as it is; lenient copies
// of every schema were the other way, but they would be a second set of types to keep in step.

/** Where a column was read: named in the warning when it does not fit today's schema. */
export interface RowAt {
  log: Warn;
  table: string;
  id: string;
}

// Told once per row and column (a long-poll reads the same rows again and again).
const told = new Set<string>();
function tellOnce(at: RowAt | undefined, column: string, why: string): void {
  if (!at) return;
  const key = `${at.table}/${at.id}/${column}`;
  if (told.has(key)) return;
  if (told.size >= 10_000) told.clear();
  told.add(key);
  at.log.warn("a stored row does not fit this release's schema: read as stored", { table: at.table, id: at.id, column, why });
}

const issues = (error: z.ZodError) =>
  error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`)
    .join('; ');

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// The texts a column's schema already passed, by digest: the check only decides whether to warn,
// and it cost more than the rest of a row (a page of 100 clusters, a long-poll's whole region).
const MAX_FITTING = 50_000;
const digest = (text: string) => hash('sha1', text, 'base64');

/**
 * A JSON column as stored, checked with `schema`. What is not even JSON, or not an object where
 * one is expected, reads as `fallback` (nothing downstream can use it).
 */
export const storedJson = <S extends z.ZodType>(schema: S, column: string, fallback: z.output<S>) => {
  const fitting = new Set<string>();
  return (text: string, at?: RowAt): z.output<S> => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      tellOnce(at, column, `not JSON: ${error instanceof Error ? error.message : String(error)}`);
      return fallback;
    }
    const key = digest(text);
    if (fitting.has(key)) return value as z.output<S>;
    const checked = schema.safeParse(value);
    if (checked.success) {
      if (fitting.size >= MAX_FITTING) fitting.clear();
      fitting.add(key);
      return value as z.output<S>;
    }
    tellOnce(at, column, issues(checked.error));
    return isObject(fallback) && !isObject(value) ? fallback : (value as z.output<S>);
  };
};

/** A JSON column read with `schema` (its output: defaults applied), or undefined when it does not fit. */
export const fittingJson =
  <S extends z.ZodType>(schema: S) =>
  (text: string): z.output<S> | undefined => {
    try {
      const parsed = schema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };

/** What `registry_credentials` holds (validated on the way in, api/region-input.ts). */
export const StoredRegistryCredentials = z.object({ username: z.string(), password: z.string() });
export type RegistryCredentials = z.infer<typeof StoredRegistryCredentials>;

const emptyObject = <T>() => ({}) as T;
export const readRegionSpec = storedJson(RegionRecord.shape.spec, 'spec', emptyObject<Region['spec']>());
export const readRegistryCredentials = storedJson(StoredRegistryCredentials, 'registry_credentials', { username: '', password: '' });
export const readClusterSpec = storedJson(ClusterRecord.shape.spec, 'spec', emptyObject<Cluster['spec']>());
export const readApiKeys = storedJson(ClusterRecord.shape.apiKeys.unwrap(), 'api_keys', {});
type ApiKeys = NonNullable<Cluster['apiKeys']>;

// Secret columns, encrypted at rest (secrets/) and bound to their row: what is stored and read.
type Reader = Pick<Db, 'log' | 'secrets'>;
const registryAt = (rowId: string) => ({ column: 'regions.registry_credentials', rowId });
const apiKeysAt = (rowId: string) => ({ column: 'clusters.api_keys', rowId });
export const storedRegistryCredentials = (db: Pick<Db, 'secrets'>, regionId: string, credentials: RegistryCredentials | null) =>
  credentials ? encryptSecret(db.secrets, registryAt(regionId), JSON.stringify(credentials)) : null;
export const openRegistryCredentials = (db: Reader, regionId: string, stored: string): RegistryCredentials =>
  readRegistryCredentials(decryptSecret(db.secrets, registryAt(regionId), stored), { log: db.log, table: 'regions', id: regionId });
export const storedApiKeys = (db: Pick<Db, 'secrets'>, clusterId: string, keys: ApiKeys | null | undefined) =>
  keys ? encryptSecret(db.secrets, apiKeysAt(clusterId), JSON.stringify(keys)) : null;
export const openApiKeys = (db: Reader, clusterId: string, stored: string): ApiKeys =>
  readApiKeys(decryptSecret(db.secrets, apiKeysAt(clusterId), stored), { log: db.log, table: 'clusters', id: clusterId });

/** The user name of a region's registry credentials, for its record; one that does not decrypt is told and left out. */
function registryUserName(db: Reader, regionId: string, stored: string): string | undefined {
  try {
    return openRegistryCredentials(db, regionId, stored).username;
  } catch (error) {
    if (!(error instanceof SecretError)) throw error;
    db.log.warn('a stored secret cannot be read', { table: 'regions', id: regionId, why: error.message });
    return undefined;
  }
}
/** A cluster's last reported status, for the API (not the desired state, not the timeline). */
const readClusterStatus = storedJson(ClusterRecord.shape.status.unwrap(), 'status', {});
const readAnnotations = storedJson(ClusterRecord.shape.annotations.unwrap(), 'annotations', {});
/** Where an adopted cluster came from: one that does not fit is no origin (the adoption compares it). */
export const readOrigin = fittingJson(ClusterRecord.shape.origin.unwrap());
export const readResourceSpec = storedJson(ResourceRecord.shape.spec, 'spec', {});
/** Free-form, as the agent reported it: one that does not fit the record's status is left out. */
export const readResourceStatus = fittingJson(ResourceRecord.shape.status.unwrap());

export type RegionRow = Selectable<Database['regions']>;
export type ClusterRow = Selectable<Database['clusters']>;

// A cluster's Kubernetes identity (its objects are `qdrant-<object id>`). A row without one was
// inserted by an earlier release (a replica not yet upgraded, during a rolling upgrade), which
// named the objects after the cluster's name.
export const objectIdOf = (r: Pick<ClusterRow, 'object_id' | 'name'>): string => r.object_id ?? r.name;
/** `where` the cluster's object id is `objectId`, read as objectIdOf does. */
export const objectIdIs = (objectId: string) => (eb: ExpressionBuilder<Database, 'clusters'>) => eb(eb.fn.coalesce('object_id', 'name'), '=', objectId);

/** `region_status` is the agent's report, any shape (the record's `status` is unknown). */
const readRegionStatus = (text: string, at: RowAt) => storedJson(z.unknown(), 'status', undefined)(text, at);

/**
 * The columns a region's record reads: not the agent's report of the objects it found (it grows
 * with every backup a schedule takes), which only the lists of those objects read.
 */
export const REGION_RECORD_COLUMNS = [
  'id',
  'name',
  'spec',
  'revision',
  'status',
  'applied_revision',
  'last_seen_at',
  'registry_credentials',
  'created_at',
  'updated_at',
] as const;
export type RegionRecordRow = Pick<RegionRow, (typeof REGION_RECORD_COLUMNS)[number]>;

export const toRegion =
  (db: Reader) =>
  (r: RegionRecordRow): Region => {
    const at = { log: db.log, table: 'regions', id: r.id };
    const username = r.registry_credentials ? registryUserName(db, r.id, r.registry_credentials) : undefined;
    return {
      id: r.id,
      name: r.name,
      spec: readRegionSpec(r.spec, at),
      revision: Number(r.revision),
      ...(r.applied_revision !== null ? { appliedRevision: Number(r.applied_revision) } : {}),
      ...(r.status ? { status: readRegionStatus(r.status, at) } : {}),
      ...(r.last_seen_at ? { lastSeenAt: r.last_seen_at } : {}),
      // The user name only: the password never leaves the control plane except to the region.
      ...(username !== undefined ? { registryCredentials: { username } } : {}),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  };

/** The cluster's record; without `status` when the row was read without it (the desired state's). */
export const toCluster =
  (db: Reader) =>
  (r: Omit<ClusterRow, 'status' | 'account_id' | 'cloud_cluster'> & { status?: string | null }): Cluster => {
    const at = { log: db.log, table: 'clusters', id: r.id };
    const origin = r.origin ? readOrigin(r.origin) : undefined;
    return {
      id: r.id,
      regionId: r.region_id,
      name: r.name,
      spec: readClusterSpec(r.spec, at),
      ...(r.api_keys ? { apiKeys: openApiKeys(db, r.id, r.api_keys) } : {}),
      ...(r.annotations ? { annotations: readAnnotations(r.annotations, at) } : {}),
      ...(origin ? { origin } : {}),
      ...(r.deleted_at ? { deletedAt: r.deleted_at } : {}),
      ...(r.status ? { status: readClusterStatus(r.status, at) } : {}),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  };
