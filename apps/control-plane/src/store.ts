import {
  checkClusterUpdate,
  DEFAULT_CHART_REPOSITORY_URL,
  DEFAULT_CONTAINER_REGISTRY_URL,
  type ClusterRecord,
  type RegionRecord,
  type ResourceRecord,
} from '@qhc/schemas';
import type { Db } from './db/db.ts';
import { ApiError, conflict } from './errors.ts';
import { checkResourceTarget } from './resource-target.ts';
import { describeSpecChange, keysToStore } from './cluster-changes.ts';
import type { ClusterInput, RegionDefaults, RegionInput, ResourceInput } from './api/inputs.ts';
import { RESOURCE_KINDS, type ResourcePath } from './resource-kinds.ts';
import * as regions from './repositories/regions.ts';
import * as clusters from './repositories/clusters.ts';
import * as resources from './repositories/resources.ts';
import { desiredState, ownJson, withReleaseCrds, type DesiredState } from './repositories/desired-state.ts';
import { RenderedStates } from './repositories/rendered-states.ts';
import { retireExpiredKeys } from './repositories/database-api-keys.ts';
import { RegionLooks } from './region-looks.ts';
import { AgentTokens } from './agent-tokens.ts';
import { recordStatus, type AgentReport } from './repositories/status.ts';
import { iso, type Clock } from './repositories/tokens.ts';
import { storedApiKeys, type RegistryCredentials } from './repositories/rows.ts';

// The records the API answers with: one contract with the agent and the console (@qhc/schemas).
export type { ClusterRecord, RegionRecord, ResourceRecord } from '@qhc/schemas';
export type { DesiredState } from './repositories/desired-state.ts';

/** A change of a cluster's spec: what a parsed body (api/inputs.ts) carries besides the name. */
export type ClusterChangeInput = Pick<ClusterInput, 'apiKey' | 'readOnlyApiKey'> & { spec: ClusterRecord['spec'] };

/** How many regions' rendered answers a replica keeps: an answer holds the region's clusters and resources, not the CRDs. */
export const RENDERED_REGIONS = 2_000;

/**
 * Regions, clusters and the desired state derived from them: the control plane's data, over
 * the repositories (repositories/). Takes inputs parsed at the HTTP boundary (api/inputs.ts);
 * checks the rules that need what is stored (immutable fields, API keys, targets).
 */
export class Store {
  readonly db: Db;
  readonly defaults: RegionDefaults;
  /** The time tokens and sessions expire by: Date.now, or a test's clock. */
  readonly now: Clock;
  /** The agents' answers by region and revision (LRU over regions). */
  readonly rendered: RenderedStates;
  /** The regions' revisions as last read, while the revision feed is live (the long-polls' first look). */
  readonly looks: RegionLooks;
  /** Agent tokens as last read, while the revision feed is live. */
  readonly agentTokens: AgentTokens;
  constructor(db: Db, defaults: Partial<RegionDefaults> = {}, now: Clock = Date.now, renderedRegions = RENDERED_REGIONS) {
    this.db = db;
    this.now = now;
    this.rendered = new RenderedStates(renderedRegions);
    this.looks = new RegionLooks(db);
    this.agentTokens = new AgentTokens(db, now);
    this.defaults = {
      containerRegistryUrl: defaults.containerRegistryUrl ?? DEFAULT_CONTAINER_REGISTRY_URL,
      chartRepositoryUrl: defaults.chartRepositoryUrl ?? DEFAULT_CHART_REPOSITORY_URL,
    };
  }

  async createRegion(input: RegionInput): Promise<RegionRecord> {
    await regions.insertRegion(this.db, input.spec, input.credentials ?? null);
    return this.region(input.spec.name);
  }

  region(name: string): Promise<RegionRecord> {
    return regions.regionBy(this.db, 'name', name);
  }

  regionById(id: string): Promise<RegionRecord> {
    return regions.regionBy(this.db, 'id', id);
  }

  /** The region's registry credentials, password included: for the installation command and the agent only. */
  registryCredentials(regionId: string): Promise<RegistryCredentials | undefined> {
    return regions.registryCredentials(this.db, regionId);
  }

  async createCluster(region: RegionRecord, input: ClusterInput): Promise<ClusterRecord> {
    const { name, spec, apiKey, readOnlyApiKey } = input;
    // Clusters as the retired /api/v1 made them (objects named after the cluster): kept for rows from before and tests seeding them.
    await clusters.insertCluster(this.db, region, { name, spec, objectId: name }, () => keysToStore(spec, { apiKey, readOnlyApiKey }));
    return clusters.clusterOf(this.db, region, name);
  }

  async cluster(regionName: string, name: string): Promise<ClusterRecord> {
    return clusters.clusterOf(this.db, await this.region(regionName), name);
  }

  /** Refused (409) once the cluster is being deleted: it can no longer change. */
  changeable(current: ClusterRecord): ClusterRecord {
    if (current.deletedAt) throw conflict(`cluster ${current.name} is being deleted`);
    return current;
  }

  /** Replaces the cluster's spec (and API keys when given). */
  async updateCluster(regionName: string, name: string, input: ClusterChangeInput): Promise<ClusterRecord> {
    const current = this.changeable(await this.cluster(regionName, name));
    const { spec, apiKey, readOnlyApiKey } = input;
    const immutable = checkClusterUpdate(current.spec, spec);
    if (immutable.length > 0)
      throw new ApiError(422, 'Immutable', `cluster ${name}: ${immutable.map((p) => `${p.path.join('.')} ${p.message}`).join('; ')}`, immutable);
    const keys = keysToStore(spec, { apiKey, readOnlyApiKey }, current.apiKeys);
    const change = { spec: JSON.stringify(spec), api_keys: storedApiKeys(this.db, current.id, keys) };
    await clusters.changeCluster(this.db, current, change, describeSpecChange(current.spec, spec));
    return this.cluster(regionName, name);
  }

  /** Marks the cluster deleted: the agent deletes it, reports it gone, and only then is the row removed. */
  async deleteCluster(regionName: string, name: string): Promise<void> {
    const current = await this.cluster(regionName, name);
    if (current.deletedAt) return;
    await clusters.changeCluster(this.db, current, { deleted_at: new Date().toISOString() }, 'deletion');
  }

  async createResource(region: RegionRecord, path: ResourcePath, input: ResourceInput): Promise<ResourceRecord> {
    const { kind } = RESOURCE_KINDS[path];
    await checkResourceTarget(this.db, region, path, input.clusterId, input.spec);
    await resources.insertResource(this.db, region, { kind, ...input });
    return (await resources.mergedResources(this.db, region.id, kind)).find((r) => r.name === input.name)!;
  }

  /** All of them, in name order. */
  async resources(regionName: string, path: ResourcePath): Promise<ResourceRecord[]> {
    return resources.mergedResources(this.db, (await this.region(regionName)).id, RESOURCE_KINDS[path].kind);
  }

  /** What the region's agent must make true, at the region's revision. */
  desiredState(regionId: string): Promise<DesiredState> {
    return desiredState(this.db, regionId, this.now);
  }

  /** The agent's answer (JSON) at `revision`, just looked at, or later: rendered once per revision. */
  async desiredStateJson(regionId: string, revision: number): Promise<string> {
    const { own } = await this.rendered.get(regionId, revision, async () => {
      const state = await this.desiredState(regionId);
      return { revision: state.revision, own: ownJson(state) };
    });
    return withReleaseCrds(own);
  }

  /** The region's revision, moved first when database API keys expired since the last look (they leave the desired state). */
  async revision(regionId: string): Promise<number | undefined> {
    return (await this.look(regionId))?.revision;
  }

  /** The region's revision as `revision()`, and when its next database API key expires (the revision moves then). */
  async look(regionId: string): Promise<{ revision: number; nextExpiry: number | undefined } | undefined> {
    // What every long-poll runs first: from memory while the revision feed is live, else one statement.
    const seen = await this.looks.seen(regionId);
    if (!seen) return undefined;
    if (seen.firstExpiry === null || seen.firstExpiry > iso(this.now))
      return { revision: seen.revision, nextExpiry: seen.firstExpiry ? Date.parse(seen.firstExpiry) : undefined };
    const nextExpiry = await retireExpiredKeys(this.db, regionId, this.now);
    const revision = await regions.regionRevision(this.db, regionId);
    return revision === undefined ? undefined : { revision, nextExpiry };
  }

  /** The agent's report: the region's status, each cluster's, and clusters confirmed gone. */
  recordStatus(regionId: string, report: AgentReport): Promise<void> {
    return recordStatus(this.db, regionId, report);
  }
}
