import { randomUUID } from 'node:crypto';
import { apiKeySecretName, ClusterOrigin, ClusterSpecRequest, createParser, dns1123Label, MAX_CLUSTER_ID_LENGTH } from '@qhc/schemas';
import * as z from 'zod';
import type { Db } from './db/db.ts';
import { recordClusterEvents } from './cluster-events.ts';
import { MAX_CLUSTERS_PER_REGION, rowsOfRegion } from './repositories/caps.ts';
import { objectIdIs, openApiKeys, readOrigin, storedApiKeys } from './repositories/rows.ts';
import { regionAccountId } from './repositories/accounts.ts';

// Clusters a restore made in the region (from the console, the CLI, the API, or a
// QdrantClusterRestore applied with kubectl) become the control plane's own: a row like any
// other, so the desired state carries them and scale, backup and delete take the normal path.
// Only restored clusters are adopted: a QdrantCluster made some other way in the namespace is
// left alone, neither adopted nor deleted nor changed.

const adoptedParser = createParser(z.strictObject({ name: dns1123Label.max(MAX_CLUSTER_ID_LENGTH), spec: ClusterSpecRequest }), 'restored cluster');

export interface ReportedRestoredCluster {
  id: string;
  origin?: unknown;
  spec?: Record<string, unknown>;
}

type Keys = { apiKey?: string; readOnlyApiKey?: string };
type ServiceConfig = { api_key?: { secretKeyRef?: { name?: string } }; read_only_api_key?: { secretKeyRef?: { name?: string } } } & Record<string, unknown>;

/**
 * The source cluster's API keys, when the restored spec still points at the Secret the agent
 * made for the source (`qdrant-<source>-api-keys`): copied to the new record and the references
 * dropped, so the agent writes the new cluster its own Secret and deleting the source does not
 * take the restored cluster's keys with it.
 */
export async function takeOverKeys(
  tx: Db,
  regionId: string,
  origin: ClusterOrigin,
  spec: Record<string, unknown>,
): Promise<{ spec: Record<string, unknown>; keys?: Keys }> {
  if (!origin.sourceCluster) return { spec };
  const source = await tx.q
    .selectFrom('clusters')
    .select(['id', 'api_keys'])
    .where('region_id', '=', regionId)
    .where(objectIdIs(origin.sourceCluster))
    .executeTakeFirst();
  const config = (spec.config ?? {}) as { service?: ServiceConfig };
  const secret = apiKeySecretName(origin.sourceCluster);
  const service = { ...config.service };
  const refersToSource = service.api_key?.secretKeyRef?.name === secret || service.read_only_api_key?.secretKeyRef?.name === secret;
  if (!source?.api_keys || !refersToSource) return { spec };
  if (service.api_key?.secretKeyRef?.name === secret) delete service.api_key;
  if (service.read_only_api_key?.secretKeyRef?.name === secret) delete service.read_only_api_key;
  return { spec: { ...spec, config: { ...config, service } }, keys: openApiKeys(tx, source.id, source.api_keys) };
}

/** A Conflict event, once: the agent reports the same clash every few seconds. */
async function recordClashOnce(tx: Db, clusterId: string, message: string, stamp: string): Promise<void> {
  const seen = await tx.q.selectFrom('cluster_events').select('id').where('cluster_id', '=', clusterId).where('message', '=', message).executeTakeFirst();
  if (seen) return;
  await recordClusterEvents(tx, clusterId, [{ type: 'Conflict', message }], stamp);
}

/**
 * Adopts each reported restored cluster the store does not hold. Idempotent and safe when two
 * reports race (`ON CONFLICT DO NOTHING` on the region's unique name and object id); returns how many rows it
 * added, so the caller bumps the revision only then. A record of the same name made otherwise
 * is not replaced: the clash is recorded on it (and the agent does not apply that record over
 * the restored cluster, see the agent's apply).
 */
export async function adoptRestoredClusters(tx: Db, regionId: string, reported: ReportedRestoredCluster[], stamp: string): Promise<number> {
  let adopted = 0;
  for (const c of reported) {
    const origin = ClusterOrigin.safeParse(c.origin);
    if (!origin.success || !c.spec) continue;
    // The agent reports the cluster's Kubernetes identity; a record holding those objects, or
    // the name the adopted record would take, clashes.
    const existing = await tx.q
      .selectFrom('clusters')
      .select(['id', 'origin'])
      .where('region_id', '=', regionId)
      .where((eb) => eb.or([objectIdIs(c.id)(eb), eb('name', '=', c.id)]))
      .executeTakeFirst();
    if (existing) {
      const had = existing.origin ? readOrigin(existing.origin) : undefined;
      if (had?.restore !== origin.data.restore)
        await recordClashOnce(
          tx,
          existing.id,
          `not adopted: restore ${origin.data.restore} made a cluster with this name in the region; delete one of them or restore under another name`,
          stamp,
        );
      continue;
    }
    const parsed = adoptedParser.safeValidate({ name: c.id, spec: c.spec });
    // A region at its most clusters adopts no more: the agent would refuse the whole desired state.
    if (!parsed.success || (await rowsOfRegion(tx, 'clusters', regionId)) >= MAX_CLUSTERS_PER_REGION) continue;
    const { spec, keys } = await takeOverKeys(tx, regionId, origin.data, parsed.data.spec as Record<string, unknown>);
    const id = randomUUID();
    const row = { id, region_id: regionId, name: c.id, object_id: c.id, spec: JSON.stringify(spec), created_at: stamp, updated_at: stamp };
    const inserted = await tx.q
      .insertInto('clusters')
      .values({ ...row, account_id: regionAccountId(tx, regionId), api_keys: storedApiKeys(tx, id, keys), origin: JSON.stringify(origin.data) })
      // Either unique key of the region (name, object id): another report adopted it first.
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) continue;
    const { restore, snapshot, sourceCluster } = origin.data;
    await recordClusterEvents(
      tx,
      id,
      [{ type: 'Adopted', message: `restored by ${restore} from backup ${snapshot}${sourceCluster ? ` of cluster ${sourceCluster}` : ''}` }],
      stamp,
    );
    adopted++;
  }
  return adopted;
}
