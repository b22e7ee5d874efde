import { randomUUID } from 'node:crypto';
import {
  AgentReport as AgentReportSchema,
  type AgentReport as SchemaAgentReport,
  allKinds,
  checkClusterUpdate,
  buildCrd,
  DEFAULT_CHART_REPOSITORY_URL,
  DEFAULT_CONTAINER_REGISTRY_URL,
  type ClusterRecord,
  type RegionRecord,
  type ResourceRecord,
  QdrantClusterRestoreSpec,
  QdrantClusterScheduledSnapshotSpec,
  QdrantClusterSnapshotSpec,
  ClusterSpecRequest,
  type QdrantClusterSpec,
  Region,
  RegionHealth,
  checkRegionUpdate,
  createParser,
  dns1123Label,
  MAX_CLUSTER_ID_LENGTH,
  safeParseOperatorSettings,
  type Problem,
  type QhcSchemaError,
} from '@qhc/schemas';
import * as z from 'zod';
import { isUniqueViolation, type Db } from './db/db.ts';
import { ApiError, conflict, notFound } from './errors.ts';
import { clusterEvents, recordClusterEvents, statusEvents, type ClusterEvent, type ReportedClusterStatus } from './cluster-events.ts';
import { adoptRestoredClusters } from './adoption.ts';
import { hasControlCharacters } from './text.ts';
import { checkResourceTarget } from './resource-target.ts';
import { keysetRows, toPage, type PageRequest } from './pages.ts';
import type { PageOf } from '@qhc/schemas';

const regionParser = createParser(Region, 'region');
const clusterParser = createParser(
  z.strictObject({
    name: dns1123Label.max(MAX_CLUSTER_ID_LENGTH),
    spec: ClusterSpecRequest,
    apiKey: z.string().min(8).optional(),
    readOnlyApiKey: z.string().min(8).optional(),
  }),
  'cluster',
);

const invalid = (error: QhcSchemaError) => new ApiError(400, 'Invalid', error.message, error.problems);

/**
 * The API keys to store with a cluster. A Secret reference in the spec (what the console and the
 * CLI set as "the API key, from this Secret") wins over a generated key of the same kind, which is
 * dropped: the agent would otherwise point the cluster at the generated Secret instead. A key
 * given in the same request as a reference for it is refused (422 naming the spec field); a key
 * that is only the one already stored (e.g. carried by a scale) is not "given".
 */
function keysToStore(
  spec: Pick<QdrantClusterSpec, 'config'>,
  given: { apiKey?: string; readOnlyApiKey?: string },
  stored?: { apiKey?: string; readOnlyApiKey?: string },
): string | null {
  const service = spec.config?.service;
  const kinds = [
    ['apiKey', 'api_key'],
    ['readOnlyApiKey', 'read_only_api_key'],
  ] as const;
  const problems: Problem[] = kinds
    .filter(([key, field]) => service?.[field] !== undefined && given[key] !== undefined && given[key] !== stored?.[key])
    .map(([key, field]) => ({
      path: ['spec', 'config', 'service', field],
      code: 'conflict',
      message: `is a Secret reference, so the ${key} given with it would be ignored: give one or the other`,
    }));
  if (problems.length > 0)
    throw new ApiError(422, 'Invalid', problems.map((p) => `spec.config.service.${String(p.path[3])} ${p.message}`).join('; '), problems);
  const source = given.apiKey || given.readOnlyApiKey ? given : (stored ?? {});
  const keys = Object.fromEntries(kinds.filter(([key, field]) => source[key] && service?.[field] === undefined).map(([key]) => [key, source[key]]));
  return Object.keys(keys).length ? JSON.stringify(keys) : null;
}

/**
 * A region as the API takes it: `operatorSettings` may be the settings YAML itself (what users
 * paste), whose problems are reported at their line and column.
 */
function regionInput(input: unknown, defaults: RegionDefaults): unknown {
  const { registryCredentials: _credentials, ...body } = (input ?? {}) as {
    operatorSettings?: unknown;
    registryCredentials?: unknown;
    advanced?: Record<string, unknown>;
  };
  // The control plane's own defaults (its operator's --default-registry), before the schema's.
  const advanced = body.advanced && typeof body.advanced === 'object' ? body.advanced : {};
  const withDefaults = {
    ...body,
    advanced: { containerRegistryUrl: defaults.containerRegistryUrl, chartRepositoryUrl: defaults.chartRepositoryUrl, ...advanced },
  };
  if (typeof body.operatorSettings !== 'string') return withDefaults;
  const settings = safeParseOperatorSettings(body.operatorSettings, { source: 'operatorSettings' });
  if (!settings.success) throw invalid(settings.error);
  return { ...withDefaults, operatorSettings: settings.data };
}

/** Where regions pull from unless they say otherwise: the release's registry, or the operator's override. */
export interface RegionDefaults {
  containerRegistryUrl: string;
  chartRepositoryUrl: string;
}

export type RegistryCredentials = z.infer<typeof RegistryCredentialsInput>;
// One line each: they end up in a dockerconfigjson and in the installation scripts' helm values.
const oneLine = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !hasControlCharacters(v), 'must be one line without control characters');
const RegistryCredentialsInput = z.strictObject({ username: oneLine(256).min(1, 'username: the registry user name is required'), password: oneLine(4096) });

/**
 * `registryCredentials` of a region body: write-only, kept out of the region's spec (which the
 * API returns). undefined: keep what is stored; null: remove them.
 */
function registryCredentialsInput(input: unknown): RegistryCredentials | null | undefined {
  const value = (input as { registryCredentials?: unknown } | undefined)?.registryCredentials;
  if (value === undefined || value === null) return value;
  const parsed = RegistryCredentialsInput.safeParse(value);
  if (!parsed.success)
    throw new ApiError(
      400,
      'Invalid',
      `registryCredentials: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')} (give { username, password }, or null to remove them)`,
    );
  return parsed.data;
}
const now = () => new Date().toISOString();

// The records the API answers with: one contract with the agent and the console (@qhc/schemas).
export type { ClusterRecord, RegionRecord, ResourceRecord } from '@qhc/schemas';

type RegionRow = {
  id: string;
  name: string;
  spec: string;
  registry_credentials?: string | null;
  revision: number;
  applied_revision: number | null;
  status: string | null;
  last_seen_at: string | null;
  created_at: string;
  updated_at: string;
};
type ClusterRow = {
  id: string;
  region_id: string;
  name: string;
  spec: string;
  api_keys: string | null;
  annotations: string | null;
  origin?: string | null;
  deleted_at: string | null;
  status: string | null;
  created_at: string;
  updated_at: string;
};

const toRegion = (r: RegionRow): RegionRecord => ({
  id: r.id,
  name: r.name,
  spec: JSON.parse(r.spec) as Region,
  revision: Number(r.revision),
  ...(r.applied_revision !== null ? { appliedRevision: Number(r.applied_revision) } : {}),
  ...(r.status ? { status: JSON.parse(r.status) } : {}),
  ...(r.last_seen_at ? { lastSeenAt: r.last_seen_at } : {}),
  // The user name only: the password never leaves the control plane except to the region.
  ...(r.registry_credentials ? { registryCredentials: { username: (JSON.parse(r.registry_credentials) as RegistryCredentials).username } } : {}),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const toCluster = (r: ClusterRow): ClusterRecord => ({
  id: r.id,
  regionId: r.region_id,
  name: r.name,
  spec: JSON.parse(r.spec) as ClusterRecord['spec'],
  ...(r.api_keys ? { apiKeys: JSON.parse(r.api_keys) } : {}),
  ...(r.annotations ? { annotations: JSON.parse(r.annotations) } : {}),
  ...(r.origin ? { origin: JSON.parse(r.origin) } : {}),
  ...(r.deleted_at ? { deletedAt: r.deleted_at } : {}),
  ...(r.status ? { status: JSON.parse(r.status) } : {}),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The qdrant.io kinds a region holds besides clusters, by their API path. */
export const RESOURCE_KINDS = {
  backups: { kind: 'QdrantClusterSnapshot', spec: QdrantClusterSnapshotSpec },
  'backup-schedules': { kind: 'QdrantClusterScheduledSnapshot', spec: QdrantClusterScheduledSnapshotSpec },
  restores: { kind: 'QdrantClusterRestore', spec: QdrantClusterRestoreSpec },
} as const;
export type ResourcePath = keyof typeof RESOURCE_KINDS;

const resourceParsers = Object.fromEntries(
  Object.entries(RESOURCE_KINDS).map(([path, k]) => [
    path,
    createParser(z.strictObject({ name: dns1123Label, clusterId: dns1123Label.max(MAX_CLUSTER_ID_LENGTH), spec: k.spec }), k.kind),
  ]),
) as Record<ResourcePath, ReturnType<typeof createParser>>;

// The CRDs depend only on this release: built once (10–20 ms each time) rather than on every long-poll answer.
let crdsOfRelease: Array<Record<string, unknown>> | undefined;
const releaseCrds = () => (crdsOfRelease ??= allKinds.map((kind) => buildCrd(kind) as unknown as Record<string, unknown>));

/** Regions, clusters and the desired state derived from them: the control plane's data. */
export class Store {
  readonly db: Db;
  readonly defaults: RegionDefaults;
  constructor(db: Db, defaults: Partial<RegionDefaults> = {}) {
    this.db = db;
    this.defaults = {
      containerRegistryUrl: defaults.containerRegistryUrl ?? DEFAULT_CONTAINER_REGISTRY_URL,
      chartRepositoryUrl: defaults.chartRepositoryUrl ?? DEFAULT_CHART_REPOSITORY_URL,
    };
  }

  async createRegion(input: unknown): Promise<RegionRecord> {
    const parsed = regionParser.safeValidate(regionInput(input, this.defaults));
    if (!parsed.success) throw invalid(parsed.error);
    const credentials = registryCredentialsInput(input);
    const stamp = now();
    try {
      await this.db.run('INSERT INTO regions (id, name, spec, registry_credentials, revision, created_at, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $5)', [
        randomUUID(),
        parsed.data.name,
        JSON.stringify(parsed.data),
        credentials ? JSON.stringify(credentials) : null,
        stamp,
      ]);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`region ${parsed.data.name} already exists`);
      throw error;
    }
    return this.region(parsed.data.name);
  }

  /** Name order; the page after `page.after` (one key: the name). */
  async regions(page: PageRequest): Promise<PageOf<RegionRecord>> {
    const rows = await keysetRows<RegionRow>(this.db, { select: 'SELECT * FROM regions WHERE 1 = 1', params: [], keys: ['name'] }, page);
    return toPage(rows.map(toRegion), page, (r) => [r.name]);
  }

  async region(name: string): Promise<RegionRecord> {
    const row = await this.db.one<RegionRow>('SELECT * FROM regions WHERE name = $1', [name]);
    if (!row) throw notFound(`region ${name}`);
    return toRegion(row);
  }

  async regionById(id: string): Promise<RegionRecord> {
    const row = await this.db.one<RegionRow>('SELECT * FROM regions WHERE id = $1', [id]);
    if (!row) throw notFound(`region ${id}`);
    return toRegion(row);
  }

  /** Replaces everything but the name and the namespace (which cannot change). */
  async updateRegion(name: string, input: unknown): Promise<RegionRecord> {
    const stored = await this.region(name);
    const parsed = regionParser.safeValidate({ ...(regionInput(input, this.defaults) as object), name });
    if (!parsed.success) throw invalid(parsed.error);
    const problems = checkRegionUpdate(stored.spec, parsed.data);
    if (problems.length > 0) throw new ApiError(422, 'Immutable', `region ${name}: namespace ${problems[0]!.message}`, problems);
    const credentials = registryCredentialsInput(input);
    // One statement: an agent must never read the new revision with the old registry credentials.
    if (credentials === undefined)
      await this.db.run('UPDATE regions SET spec = $1, revision = revision + 1, updated_at = $2 WHERE id = $3', [
        JSON.stringify(parsed.data),
        now(),
        stored.id,
      ]);
    else
      await this.db.run('UPDATE regions SET spec = $1, revision = revision + 1, updated_at = $2, registry_credentials = $4 WHERE id = $3', [
        JSON.stringify(parsed.data),
        now(),
        stored.id,
        credentials ? JSON.stringify(credentials) : null,
      ]);
    return this.region(name);
  }

  /** The region's registry credentials, password included: for the installation command and the agent only. */
  async registryCredentials(regionId: string): Promise<RegistryCredentials | undefined> {
    const row = await this.db.one<{ registry_credentials: string | null }>('SELECT registry_credentials FROM regions WHERE id = $1', [regionId]);
    return row?.registry_credentials ? (JSON.parse(row.registry_credentials) as RegistryCredentials) : undefined;
  }

  async deleteRegion(name: string): Promise<void> {
    if ((await this.db.run('DELETE FROM regions WHERE name = $1', [name])) === 0) throw notFound(`region ${name}`);
  }

  async createCluster(regionName: string, input: unknown): Promise<ClusterRecord> {
    const region = await this.region(regionName);
    const parsed = clusterParser.safeValidate(input);
    if (!parsed.success) throw invalid(parsed.error);
    const { name, spec, apiKey, readOnlyApiKey } = parsed.data;
    const stamp = now();
    await this.db.tx(async (tx) => {
      const existing = await tx.one<{ deleted_at: string | null }>('SELECT deleted_at FROM clusters WHERE region_id = $1 AND name = $2', [region.id, name]);
      if (existing)
        throw conflict(
          existing.deleted_at ? `cluster ${name} is still being deleted in region ${regionName}` : `cluster ${name} already exists in region ${regionName}`,
        );
      const keys = keysToStore(spec, { apiKey, readOnlyApiKey });
      const id = randomUUID();
      await tx.run('INSERT INTO clusters (id, region_id, name, spec, api_keys, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)', [
        id,
        region.id,
        name,
        JSON.stringify(spec),
        keys,
        stamp,
      ]);
      await recordClusterEvents(tx, id, [{ type: 'Requested', message: `created: ${spec.size} node(s) of ${spec.version}` }], stamp);
      await tx.run('UPDATE regions SET revision = revision + 1, updated_at = $1 WHERE id = $2', [stamp, region.id]);
    });
    return this.cluster(regionName, name);
  }

  /** Name order; the page after `page.after` (one key: the name). */
  async clusters(regionName: string, page: PageRequest): Promise<PageOf<ClusterRecord>> {
    const region = await this.region(regionName);
    const rows = await keysetRows<ClusterRow>(this.db, { select: 'SELECT * FROM clusters WHERE region_id = $1', params: [region.id], keys: ['name'] }, page);
    return toPage(rows.map(toCluster), page, (c) => [c.name]);
  }

  async cluster(regionName: string, name: string): Promise<ClusterRecord> {
    const region = await this.region(regionName);
    const row = await this.db.one<ClusterRow>('SELECT * FROM clusters WHERE region_id = $1 AND name = $2', [region.id, name]);
    if (!row) throw notFound(`cluster ${name} in region ${regionName}`);
    return toCluster(row);
  }

  /** Replaces the cluster's spec (and API keys when given). */
  async updateCluster(regionName: string, name: string, input: unknown): Promise<ClusterRecord> {
    const current = await this.cluster(regionName, name);
    if (current.deletedAt) throw conflict(`cluster ${name} is being deleted`);
    const parsed = clusterParser.safeValidate({ ...(input as object), name });
    if (!parsed.success) throw invalid(parsed.error);
    const { spec, apiKey, readOnlyApiKey } = parsed.data;
    const immutable = checkClusterUpdate(current.spec, spec);
    if (immutable.length > 0)
      throw new ApiError(422, 'Immutable', `cluster ${name}: ${immutable.map((p) => `${p.path.join('.')} ${p.message}`).join('; ')}`, immutable);
    const keys = keysToStore(spec, { apiKey, readOnlyApiKey }, current.apiKeys);
    await this.changeCluster(current, 'spec = $1, api_keys = $2', [JSON.stringify(spec), keys], describeSpecChange(current.spec, spec));
    return this.cluster(regionName, name);
  }

  async scaleCluster(regionName: string, name: string, size: unknown): Promise<ClusterRecord> {
    const current = await this.cluster(regionName, name);
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1)
      throw new ApiError(400, 'Invalid', `size must be a whole number of nodes, at least 1 (got ${JSON.stringify(size)})`);
    return this.updateCluster(regionName, name, { spec: { ...current.spec, size }, ...current.apiKeys });
  }

  /** Asks for a rolling restart: the cluster's `restartedAt` annotation, which the operator acts on. */
  async restartCluster(regionName: string, name: string, at = now()): Promise<ClusterRecord> {
    const current = await this.cluster(regionName, name);
    if (current.deletedAt) throw conflict(`cluster ${name} is being deleted`);
    await this.changeCluster(
      current,
      'annotations = $1',
      [JSON.stringify({ ...current.annotations, restartedAt: at.replace(/\.\d+Z$/, 'Z') })],
      'restart of every node',
    );
    return this.cluster(regionName, name);
  }

  /** Marks the cluster deleted: the agent deletes it, reports it gone, and only then is the row removed. */
  async deleteCluster(regionName: string, name: string): Promise<void> {
    const current = await this.cluster(regionName, name);
    if (current.deletedAt) return;
    await this.changeCluster(current, 'deleted_at = $1', [now()], 'deletion');
  }

  /** The cluster's timeline, newest first. */
  async clusterEvents(regionName: string, name: string, page: PageRequest): Promise<PageOf<ClusterEvent>> {
    return clusterEvents(this.db, (await this.cluster(regionName, name)).id, page);
  }

  private async changeCluster(current: ClusterRecord, set: string, params: unknown[], request: string): Promise<void> {
    const stamp = now();
    await this.db.tx(async (tx) => {
      await tx.run(`UPDATE clusters SET ${set}, updated_at = $${params.length + 1} WHERE id = $${params.length + 2}`, [...params, stamp, current.id]);
      await recordClusterEvents(tx, current.id, [{ type: 'Requested', message: request }], stamp);
      await tx.run('UPDATE regions SET revision = revision + 1, updated_at = $1 WHERE id = $2', [stamp, current.regionId]);
    });
  }

  async createResource(regionName: string, path: ResourcePath, input: unknown): Promise<ResourceRecord> {
    const region = await this.region(regionName);
    const parsed = resourceParsers[path].safeValidate(input);
    if (!parsed.success) throw invalid(parsed.error);
    const { name, clusterId, spec } = parsed.data as { name: string; clusterId: string; spec: Record<string, unknown> };
    await checkResourceTarget(this.db, region, path, clusterId, spec);
    const { kind } = RESOURCE_KINDS[path];
    const stamp = now();
    try {
      await this.db.tx(async (tx) => {
        await tx.run('INSERT INTO resources (id, region_id, kind, name, cluster_id, spec, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)', [
          randomUUID(),
          region.id,
          kind,
          name,
          clusterId,
          JSON.stringify(spec),
          stamp,
        ]);
        await tx.run('UPDATE regions SET revision = revision + 1, updated_at = $1 WHERE id = $2', [stamp, region.id]);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`${kind} ${name} already exists in region ${regionName}`);
      throw error;
    }
    return (await this.resources(regionName, path)).find((r) => r.name === name)!;
  }

  /** All of them, in name order (see resourcePage). */
  async resources(regionName: string, path: ResourcePath): Promise<ResourceRecord[]> {
    return this.mergedResources(regionName, path);
  }

  /** A page of the merged list, in name order: both sources are read after the token's name. */
  async resourcePage(regionName: string, path: ResourcePath, page: PageRequest): Promise<PageOf<ResourceRecord>> {
    return toPage(await this.mergedResources(regionName, path, page), page, (r) => [r.name]);
  }

  /**
   * Those made through the API, with the status the agent reported, and those found in the
   * region, merged by name. With a page: up to `limit + 1` after its name. A region object
   * named like a row beyond those read cannot be among them: that row's name sorts after
   * `limit + 1` rows already.
   */
  private async mergedResources(regionName: string, path: ResourcePath, page?: PageRequest): Promise<ResourceRecord[]> {
    const region = await this.region(regionName);
    const { kind } = RESOURCE_KINDS[path];
    type Row = { name: string; cluster_id: string; spec: string; status: string | null; deleted_at: string | null; created_at: string };
    const select = {
      select: 'SELECT name, cluster_id, spec, status, deleted_at, created_at FROM resources WHERE region_id = $1 AND kind = $2',
      params: [region.id, kind],
      keys: ['name'],
    };
    const rows = await keysetRows<Row>(this.db, select, page);
    const mine: ResourceRecord[] = rows.map((r) => ({
      kind,
      name: r.name,
      clusterId: r.cluster_id,
      spec: JSON.parse(r.spec),
      ...(r.status ? { status: JSON.parse(r.status) } : {}),
      ...(r.deleted_at ? { deletedAt: r.deleted_at } : {}),
      origin: 'control-plane',
      createdAt: r.created_at,
    }));
    const observedRow = await this.db.one<{ observed_resources: string | null }>('SELECT observed_resources FROM regions WHERE id = $1', [region.id]);
    const observed = (observedRow?.observed_resources ? JSON.parse(observedRow.observed_resources) : []) as Array<{
      kind: string;
      name: string;
      spec?: Record<string, unknown>;
      status?: ResourceRecord['status'];
      created?: string;
    }>;
    const names = new Set(mine.map((r) => r.name));
    const found: ResourceRecord[] = observed
      .filter((o) => o.kind === kind && !names.has(o.name) && (!page?.after || o.name > page.after[0]!))
      .map((o) => ({
        kind,
        name: o.name,
        clusterId: String(o.spec?.['cluster-id'] ?? ''),
        spec: o.spec ?? {},
        ...(o.status ? { status: o.status } : {}),
        origin: 'region',
        ...(o.created ? { createdAt: o.created } : {}),
      }));
    // Byte order, as the database's (pages.ts bytewise).
    const merged = [...mine, ...found].toSorted((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return page ? merged.slice(0, page.limit + 1) : merged;
  }

  /** Deleted by the agent; a resource found only in the region is deleted there too, through the same list. */
  async deleteResource(regionName: string, path: ResourcePath, name: string): Promise<void> {
    const region = await this.region(regionName);
    const existing = (await this.resources(regionName, path)).find((r) => r.name === name);
    if (!existing) throw notFound(`${RESOURCE_KINDS[path].kind} ${name} in region ${regionName}`);
    const stamp = now();
    await this.db.tx(async (tx) => {
      if (existing.origin === 'region') {
        await tx.run(
          'INSERT INTO resources (id, region_id, kind, name, cluster_id, spec, deleted_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7)',
          [randomUUID(), region.id, existing.kind, name, existing.clusterId, JSON.stringify(existing.spec), stamp],
        );
      } else {
        await tx.run('UPDATE resources SET deleted_at = $1, updated_at = $1 WHERE region_id = $2 AND kind = $3 AND name = $4', [
          stamp,
          region.id,
          existing.kind,
          name,
        ]);
      }
      await tx.run('UPDATE regions SET revision = revision + 1, updated_at = $1 WHERE id = $2', [stamp, region.id]);
    });
  }

  /** What the region's agent must make true, at the region's revision. */
  async desiredState(regionId: string): Promise<DesiredState> {
    return this.db.tx(async (tx) => {
      const region = await tx.one<RegionRow>('SELECT * FROM regions WHERE id = $1', [regionId]);
      if (!region) throw notFound(`region ${regionId}`);
      const rows = (await tx.all<ClusterRow>('SELECT * FROM clusters WHERE region_id = $1 ORDER BY name', [regionId])).map(toCluster);
      const resources = await tx.all<{ kind: string; name: string; cluster_id: string; spec: string; deleted_at: string | null }>(
        'SELECT kind, name, cluster_id, spec, deleted_at FROM resources WHERE region_id = $1 ORDER BY kind, name',
        [regionId],
      );
      return {
        resources: resources
          .filter((r) => !r.deleted_at)
          .map((r) => ({ kind: r.kind, name: r.name, clusterId: r.cluster_id, spec: JSON.parse(r.spec) as Record<string, unknown> })),
        resourceDeletions: resources.filter((r) => r.deleted_at).map((r) => ({ kind: r.kind, name: r.name })),
        revision: Number(region.revision),
        region: JSON.parse(region.spec) as Region,
        clusters: rows
          .filter((c) => !c.deletedAt)
          .map((c) => ({
            id: c.name,
            spec: { ...c.spec, id: c.name },
            ...(c.apiKeys ? { apiKeys: c.apiKeys } : {}),
            ...(c.annotations ? { annotations: c.annotations } : {}),
            ...(c.origin ? { origin: c.origin } : {}),
          })),
        deletions: rows.filter((c) => c.deletedAt).map((c) => c.name),
        ...(region.registry_credentials ? { registryCredentials: JSON.parse(region.registry_credentials) as RegistryCredentials } : {}),
        // This release's CRDs: the agent applies these, never its own (it may be older).
        crds: releaseCrds(),
      };
    });
  }

  async revision(regionId: string): Promise<number | undefined> {
    const row = await this.db.one<{ revision: number }>('SELECT revision FROM regions WHERE id = $1', [regionId]);
    return row ? Number(row.revision) : undefined;
  }

  /** The agent's report: the region's status, each cluster's, and clusters confirmed gone. */
  async recordStatus(regionId: string, report: AgentReport): Promise<void> {
    const stamp = now();
    await this.db.tx(async (tx) => {
      await tx.run('UPDATE regions SET status = $1, applied_revision = $2, last_seen_at = $3 WHERE id = $4', [
        JSON.stringify({ ...report.region, ...(report.health ? { health: report.health } : {}) }),
        report.appliedRevision ?? null,
        stamp,
        regionId,
      ]);
      const reported = new Map(report.clusters.map((c) => [c.id, c]));
      let current = Number((await tx.one<{ revision: number }>('SELECT revision FROM regions WHERE id = $1', [regionId]))?.revision ?? 0);
      // Only a report of the latest revision adopts: an older one may still list a cluster whose
      // deletion it had not applied yet, which must not come back.
      if ((report.appliedRevision ?? -1) >= current && (await adoptRestoredClusters(tx, regionId, report.clusters, stamp)) > 0) {
        await tx.run('UPDATE regions SET revision = revision + 1, updated_at = $1 WHERE id = $2', [stamp, regionId]);
        current++;
      }
      for (const row of await tx.all<ClusterRow>('SELECT * FROM clusters WHERE region_id = $1', [regionId])) {
        // The adoption fields are for adopting, not part of the cluster's status.
        const { origin: _origin, spec: _spec, ...status } = reported.get(row.name) ?? ({} as AgentReport['clusters'][number]);
        // A deletion is done when the agent, up to date (so having applied it), no longer has the cluster.
        if (row.deleted_at && !reported.has(row.name) && (report.appliedRevision ?? -1) >= current) {
          await tx.run('DELETE FROM clusters WHERE id = $1', [row.id]);
          continue;
        }
        if (reported.has(row.name)) {
          await tx.run('UPDATE clusters SET status = $1 WHERE id = $2', [JSON.stringify(status), row.id]);
          await recordClusterEvents(
            tx,
            row.id,
            statusEvents(row.status ? (JSON.parse(row.status) as ReportedClusterStatus) : undefined, status as ReportedClusterStatus),
            stamp,
          );
        }
      }
      if (report.resources) {
        await tx.run('UPDATE regions SET observed_resources = $1 WHERE id = $2', [JSON.stringify(report.resources), regionId]);
        const present = new Map(report.resources.map((r) => [`${r.kind}/${r.name}`, r]));
        for (const row of await tx.all<{ id: string; kind: string; name: string; deleted_at: string | null }>(
          'SELECT id, kind, name, deleted_at FROM resources WHERE region_id = $1',
          [regionId],
        )) {
          const seen = present.get(`${row.kind}/${row.name}`);
          if (row.deleted_at && !seen && (report.appliedRevision ?? -1) >= current) await tx.run('DELETE FROM resources WHERE id = $1', [row.id]);
          else if (seen && 'status' in seen) await tx.run('UPDATE resources SET status = $1 WHERE id = $2', [JSON.stringify(seen.status), row.id]);
        }
      }
    });
  }
}

const r = (s: ClusterRecord['spec']) => `${s.resources?.cpu ?? '-'} CPU, ${s.resources?.memory ?? '-'} memory, ${s.resources?.storage ?? '-'} storage`;

/** "scale to 3 node(s), version v1.16.3" — what a spec change asked for, in words. */
function describeSpecChange(before: ClusterRecord['spec'], after: ClusterRecord['spec']): string {
  const changes: string[] = [];
  if (before.size !== after.size) changes.push(`scale to ${after.size} node(s)`);
  if (before.version !== after.version) changes.push(`version ${after.version}`);
  if (r(before) !== r(after)) changes.push(`resources ${r(after)}`);
  if (before.suspend !== after.suspend) changes.push(after.suspend ? 'suspend' : 'resume');
  if (JSON.stringify([before.service, before.ingress]) !== JSON.stringify([after.service, after.ingress]))
    changes.push(`exposure ${after.service?.type ?? 'ClusterIP'}${after.ingress?.enabled ? ` with ingress ${after.ingress.host ?? ''}`.trimEnd() : ''}`);
  if (JSON.stringify([before.nodeSelector, before.tolerations]) !== JSON.stringify([after.nodeSelector, after.tolerations]))
    changes.push('placement (node selector, tolerations)');
  if (before.storage?.volumeSnapshotClassName !== after.storage?.volumeSnapshotClassName)
    changes.push(`volume snapshot class ${after.storage?.volumeSnapshotClassName ?? "the environment's"}`);
  if (before.config?.log_level !== after.config?.log_level) changes.push(`log level ${after.config?.log_level ?? "the environment's"}`);
  if (before.clusterManager !== after.clusterManager)
    changes.push(`rebalancing ${after.clusterManager === undefined ? "the environment's default" : after.clusterManager ? 'on' : 'off'}`);
  if (
    JSON.stringify([before.config?.service?.api_key, before.config?.service?.read_only_api_key]) !==
    JSON.stringify([after.config?.service?.api_key, after.config?.service?.read_only_api_key])
  )
    changes.push('API key secrets');
  return changes.length ? changes.join(', ') : 'spec change';
}

export interface DesiredState {
  revision: number;
  region: Region;
  clusters: Array<{
    id: string;
    spec: QdrantClusterSpec;
    apiKeys?: { apiKey?: string; readOnlyApiKey?: string };
    annotations?: Record<string, string>;
    origin?: ClusterRecord['origin'];
  }>;
  /** Clusters deleted through the API: the only clusters an agent may delete. */
  deletions: string[];
  /** Backups, backup schedules and restores to apply. */
  resources: Array<{ kind: string; name: string; clusterId: string; spec: Record<string, unknown> }>;
  /** Those deleted through the API: the only ones an agent may delete. */
  resourceDeletions: Array<{ kind: string; name: string }>;
  /** The filled pull Secret's credentials. */
  registryCredentials?: RegistryCredentials;
  /** The CRDs of this control plane's release, applied by the agent before anything else. */
  crds: Array<Record<string, unknown>>;
}

// The report's contract (typed, bounded) is @qhc/schemas' AgentReport, shared with the agent.
export const AgentReport = AgentReportSchema;
export type AgentReport = Omit<SchemaAgentReport, 'health'> & { health?: RegionHealth };

/**
 * A status report, with `health` kept only when it parses: a health this control plane cannot
 * read (an agent newer or older than it) is dropped with a warning, the rest recorded.
 */
export function parseAgentReport(
  body: unknown,
  warn: (message: string, fields: Record<string, unknown>) => void = () => undefined,
): { success: true; data: AgentReport } | { success: false; error: z.ZodError } {
  const parsed = AgentReport.safeParse(body);
  if (!parsed.success) return parsed;
  const { health, ...rest } = parsed.data;
  if (health === undefined) return { success: true, data: rest };
  const h = RegionHealth.safeParse(health);
  if (!h.success) {
    warn('status report: health dropped, it does not parse', { error: h.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    return { success: true, data: rest };
  }
  return { success: true, data: { ...rest, health: h.data } };
}
