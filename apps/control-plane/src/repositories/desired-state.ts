import { allKinds, buildCrd, type ClusterRecord, type DesiredStateInput, type SealedDatabaseApiKey } from '@qhc/schemas';
import type { Db } from '../db/db.ts';
import { notFound } from '../errors.ts';
import { sealedKeysOfRegion } from './database-api-keys.ts';
import type { Clock } from './tokens.ts';
import { objectIdOf, readRegionSpec, openRegistryCredentials, readResourceSpec, toCluster } from './rows.ts';
import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * What a region's agent must make true, at the region's revision: the agent protocol's answer, one
 * contract in @qhc/schemas that the agent parses (the input side: CRDs are built here as plain objects).
 */
export type DesiredState = DesiredStateInput;

// The CRDs depend only on this release: built once (10–20 ms each time) rather than on every long-poll answer.
let crdsOfRelease: Array<Record<string, unknown>> | undefined;
const releaseCrds = () => (crdsOfRelease ??= allKinds.map((kind) => buildCrd(kind) as unknown as Record<string, unknown>));
let crdsJson: string | undefined;

/** The answer's JSON but its CRDs: what is the region's own (a cached answer holds only this). */
export const ownJson = (state: DesiredState) => JSON.stringify({ ...state, crds: undefined });

/** The whole answer: this release's CRDs (the same for every region, most of the size) serialised once and spliced in. */
export function withReleaseCrds(own: string): string {
  crdsJson ??= JSON.stringify(releaseCrds());
  return `${own.slice(0, -1)}${own.length > 2 ? ',' : ''}"crds":${crdsJson}}`;
}

/**
 * Leaves out a cluster a restore is still making (CreateClusterFromBackup's row: its restore as
 * origin, never reported): applied before the restore made it, the agent would make an empty
 * cluster the restore then refuses. Once reported, or when deleted, it is in like any other.
 */
const notAwaitingRestore = (eb: ExpressionBuilder<Database, 'clusters'>) =>
  eb.or([eb('origin', 'is', null), eb('status', 'is not', null), eb('deleted_at', 'is not', null)]);

/** The cluster's record and what its Kubernetes objects are named after (`qdrant-<objectId>`), not its name. */
type StoredCluster = ClusterRecord & { objectId: string };

const desiredCluster =
  (sealed: Map<string, SealedDatabaseApiKey[]>) =>
  (c: StoredCluster): DesiredState['clusters'][number] => ({
    id: c.objectId,
    spec: { ...c.spec, id: c.objectId },
    ...(c.apiKeys ? { apiKeys: c.apiKeys } : {}),
    ...(sealed.has(c.id) ? { databaseApiKeys: sealed.get(c.id) } : {}),
    ...(c.annotations ? { annotations: c.annotations } : {}),
    ...(c.origin ? { origin: c.origin } : {}),
  });

/** Read in one transaction: the revision and what it stands for agree. Keys expired at `now` are left out. */
export async function desiredState(db: Db, regionId: string, now: Clock = Date.now): Promise<DesiredState> {
  return db.tx(async (tx) => {
    const region = await tx.q.selectFrom('regions').selectAll().where('id', '=', regionId).executeTakeFirst();
    if (!region) throw notFound(`region ${regionId}`);
    // Not the status: the agent's last report is no part of what it must make true.
    const columns = ['id', 'region_id', 'name', 'object_id', 'spec', 'api_keys', 'annotations', 'origin', 'deleted_at', 'created_at', 'updated_at'] as const;
    const clusterRows = await tx.q.selectFrom('clusters').select(columns).where('region_id', '=', regionId).where(notAwaitingRestore).orderBy('name').execute();
    const toRecord = toCluster(tx);
    const clusters: StoredCluster[] = clusterRows.map((row) => ({ ...toRecord(row), objectId: objectIdOf(row) }));
    const sealed = await sealedKeysOfRegion(tx, regionId, now);
    const resources = await tx.q
      .selectFrom('resources')
      .select(['id', 'kind', 'name', 'cluster_id', 'spec', 'deleted_at'])
      .where('region_id', '=', regionId)
      .orderBy('kind')
      .orderBy('name')
      .execute();
    return {
      resources: resources
        .filter((r) => !r.deleted_at)
        .map((r) => ({ kind: r.kind, name: r.name, clusterId: r.cluster_id, spec: readResourceSpec(r.spec, { log: tx.log, table: 'resources', id: r.id }) })),
      resourceDeletions: resources.filter((r) => r.deleted_at).map((r) => ({ kind: r.kind, name: r.name })),
      revision: Number(region.revision),
      region: readRegionSpec(region.spec, { log: tx.log, table: 'regions', id: regionId }),
      clusters: clusters.filter((c) => !c.deletedAt).map(desiredCluster(sealed)),
      deletions: clusters.filter((c) => c.deletedAt).map((c) => c.objectId),
      ...(region.registry_credentials ? { registryCredentials: openRegistryCredentials(tx, regionId, region.registry_credentials) } : {}),
      // This release's CRDs: the agent applies these, never its own (it may be older).
      crds: releaseCrds(),
    };
  });
}
