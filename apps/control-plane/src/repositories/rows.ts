import { ClusterRecord, ObservedResource, RegionRecord, ResourceRecord, type ClusterRecord as Cluster, type RegionRecord as Region } from '@qhc/schemas';
import type { Selectable } from 'kysely';
import * as z from 'zod';
import type { Database } from '../db/schema.ts';

// Rows to the records the API answers with. A JSON column is parsed with the schema of the
// record's field: what was stored is read back typed, and a row that no longer fits its schema
// fails loudly here rather than somewhere downstream.

/** A JSON column read with `schema`. */
export const jsonColumn =
  <S extends z.ZodType>(schema: S) =>
  (text: string): z.output<S> =>
    schema.parse(JSON.parse(text));

/** What `registry_credentials` holds (validated on the way in, api/region-input.ts). */
export const StoredRegistryCredentials = z.object({ username: z.string(), password: z.string() });
export type RegistryCredentials = z.infer<typeof StoredRegistryCredentials>;

export const readRegionSpec = jsonColumn(RegionRecord.shape.spec);
export const readRegistryCredentials = jsonColumn(StoredRegistryCredentials);
export const readObservedResources = jsonColumn(z.array(ObservedResource));
export const readClusterSpec = jsonColumn(ClusterRecord.shape.spec);
export const readApiKeys = jsonColumn(ClusterRecord.shape.apiKeys.unwrap());
export const readClusterStatus = jsonColumn(ClusterRecord.shape.status.unwrap());
const readAnnotations = jsonColumn(ClusterRecord.shape.annotations.unwrap());
export const readOrigin = jsonColumn(ClusterRecord.shape.origin.unwrap());
const readRegionStatus = jsonColumn(RegionRecord.shape.status);
export const readResourceSpec = jsonColumn(ResourceRecord.shape.spec);
export const readResourceStatus = jsonColumn(ResourceRecord.shape.status.unwrap());

export type RegionRow = Selectable<Database['regions']>;
export type ClusterRow = Selectable<Database['clusters']>;

export const toRegion = (r: RegionRow): Region => ({
  id: r.id,
  name: r.name,
  spec: readRegionSpec(r.spec),
  revision: Number(r.revision),
  ...(r.applied_revision !== null ? { appliedRevision: Number(r.applied_revision) } : {}),
  ...(r.status ? { status: readRegionStatus(r.status) } : {}),
  ...(r.last_seen_at ? { lastSeenAt: r.last_seen_at } : {}),
  // The user name only: the password never leaves the control plane except to the region.
  ...(r.registry_credentials ? { registryCredentials: { username: readRegistryCredentials(r.registry_credentials).username } } : {}),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const toCluster = (r: ClusterRow): Cluster => ({
  id: r.id,
  regionId: r.region_id,
  name: r.name,
  spec: readClusterSpec(r.spec),
  ...(r.api_keys ? { apiKeys: readApiKeys(r.api_keys) } : {}),
  ...(r.annotations ? { annotations: readAnnotations(r.annotations) } : {}),
  ...(r.origin ? { origin: readOrigin(r.origin) } : {}),
  ...(r.deleted_at ? { deletedAt: r.deleted_at } : {}),
  ...(r.status ? { status: readClusterStatus(r.status) } : {}),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
