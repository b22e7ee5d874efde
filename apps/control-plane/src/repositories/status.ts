import type { AgentReport as SchemaAgentReport, RegionHealth } from '@qhc/schemas';
import type { Db } from '../db/db.ts';
import { adoptRestoredClusters } from '../adoption.ts';
import { recordClusterEvents, statusEvents, type ReportedClusterStatus } from '../cluster-events.ts';
import { bumpRevision, regionRevision } from './regions.ts';
import { ClusterStatusReport } from '@qhc/schemas';
import { fittingJson, objectIdOf } from './rows.ts';
import { recordAgentPublicKey } from './database-api-keys.ts';

// The agent's report: the region's status, each cluster's, and what it confirmed gone.

/** The report as parsed at the boundary (api/agent-report.ts): `health` only when it parses. */
export type AgentReport = Omit<SchemaAgentReport, 'health'> & { health?: RegionHealth };

/** The status the last report left: one this release cannot read is no status (the timeline starts over). */
const readPreviousStatus = fittingJson(ClusterStatusReport.partial());

const upToDate = (report: AgentReport, current: number) => (report.appliedRevision ?? -1) >= current;

/** How many clusters joined the desired state: a restored cluster (CreateClusterFromBackup) is left out of it until its first status. */
async function recordClusters(tx: Db, regionId: string, report: AgentReport, current: number, stamp: string): Promise<number> {
  const reported = new Map(report.clusters.map((c) => [c.id, c]));
  let joined = 0;
  // The agent reports a cluster by its Kubernetes identity: the object id, not the name.
  for (const row of await tx.q
    .selectFrom('clusters')
    .select(['id', 'name', 'object_id', 'status', 'origin', 'deleted_at'])
    .where('region_id', '=', regionId)
    .execute()) {
    // A deletion is done when the agent, up to date (so having applied it), no longer has the cluster.
    if (row.deleted_at && !reported.has(objectIdOf(row)) && upToDate(report, current)) {
      await tx.q.deleteFrom('clusters').where('id', '=', row.id).execute();
      continue;
    }
    const cluster = reported.get(objectIdOf(row));
    if (!cluster) continue;
    // The adoption fields are for adopting, not part of the cluster's status.
    const { origin: _origin, spec: _spec, ...status } = cluster;
    await tx.q
      .updateTable('clusters')
      .set({ status: JSON.stringify(status) })
      .where('id', '=', row.id)
      .execute();
    if (row.origin && !row.status) joined++;
    const before: ReportedClusterStatus | undefined = row.status ? readPreviousStatus(row.status) : undefined;
    await recordClusterEvents(tx, row.id, statusEvents(before, status), stamp);
  }
  return joined;
}

/**
 * The resources rows (made through the API) the report confirms gone: marked deleted and no
 * longer in the region, or gone from the region after it reported them (a status stored: a
 * backup past its retention). Only from a report of the latest revision, which has applied them.
 */
async function recordResources(tx: Db, regionId: string, report: AgentReport, current: number, stamp: string): Promise<void> {
  if (!report.resources) return;
  await tx.q
    .updateTable('regions')
    .set({ observed_resources: JSON.stringify(report.resources) })
    .where('id', '=', regionId)
    .execute();
  const present = new Map(report.resources.map((r) => [`${r.kind}/${r.name}`, r]));
  let removed = 0;
  for (const row of await tx.q.selectFrom('resources').select(['id', 'kind', 'name', 'status', 'deleted_at']).where('region_id', '=', regionId).execute()) {
    const seen = present.get(`${row.kind}/${row.name}`);
    if ((row.deleted_at || row.status) && !seen && upToDate(report, current)) {
      await tx.q.deleteFrom('resources').where('id', '=', row.id).execute();
      if (!row.deleted_at) removed++;
    } else if (seen && 'status' in seen)
      await tx.q
        .updateTable('resources')
        .set({ status: JSON.stringify(seen.status) })
        .where('id', '=', row.id)
        .execute();
  }
  // It left the desired state's resources: the agent's next long-poll answers without it.
  if (removed > 0) await bumpRevision(tx, regionId, stamp);
}

export async function recordStatus(db: Db, regionId: string, report: AgentReport): Promise<void> {
  const stamp = new Date().toISOString();
  await db.tx(async (tx) => {
    const status = JSON.stringify({ ...report.region, ...(report.health ? { health: report.health } : {}) });
    await tx.q
      .updateTable('regions')
      .set({ status, applied_revision: report.appliedRevision ?? null, last_seen_at: stamp })
      .where('id', '=', regionId)
      .execute();
    await recordAgentPublicKey(tx, regionId, report.agentPublicKey);
    let current = (await regionRevision(tx, regionId)) ?? 0;
    // Only a report of the latest revision adopts: an older one may still list a cluster whose
    // deletion it had not applied yet, which must not come back.
    const adopted = upToDate(report, current) && (await adoptRestoredClusters(tx, regionId, report.clusters, stamp)) > 0;
    if (adopted) {
      await bumpRevision(tx, regionId, stamp);
      current++;
    }
    const joined = await recordClusters(tx, regionId, report, current, stamp);
    await recordResources(tx, regionId, report, current, stamp);
    // Without a new revision the agent, up to date, would never apply (and so never own, nor delete)
    // a cluster that joined; one revision in this transaction covers every change of the report.
    if (joined > 0 && !adopted) await bumpRevision(tx, regionId, stamp);
  });
}
