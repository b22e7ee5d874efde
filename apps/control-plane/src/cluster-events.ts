import { ClusterEventType, type ClusterEvent, type ClusterStatusReport } from '@qhc/schemas';
import { randomUUID } from 'node:crypto';
import type { PageOf } from '@qhc/schemas';
import type { Db } from './db/db.ts';
import { keyset, toPage, type PageRequest } from './pages.ts';

// A cluster's timeline. The agent reports only the present (phase, nodes, conditions), so the
// control plane keeps the differences between reports, next to the changes users asked for.

export type { ClusterEvent, ClusterEventType } from '@qhc/schemas';

/** The part of an agent's cluster report the timeline compares. */
export type ReportedClusterStatus = Pick<ClusterStatusReport, 'phase' | 'reason' | 'nodes' | 'nodesReady' | 'version' | 'conditions'>;

/** Events enough for a long afternoon of changes; older ones are dropped. */
export const MAX_EVENTS_PER_CLUSTER = 200;

/** What changed from one report to the next, in reading order. */
export function statusEvents(before: ReportedClusterStatus | undefined, after: ReportedClusterStatus): Array<Omit<ClusterEvent, 'at'>> {
  const events: Array<Omit<ClusterEvent, 'at'>> = [];
  if (after.phase && before?.phase !== after.phase)
    events.push({ type: 'Phase', message: `${before?.phase ? `${before.phase} → ` : ''}${after.phase}${after.reason ? `: ${after.reason}` : ''}` });
  if (after.nodesReady !== undefined && (before?.nodesReady !== after.nodesReady || before?.nodes !== after.nodes))
    events.push({ type: 'Nodes', message: `${after.nodesReady}/${after.nodes ?? '?'} nodes ready` });
  if (after.version && before?.version && before.version !== after.version)
    events.push({ type: 'Version', message: `running ${after.version} (was ${before.version})` });
  const was = new Map((before?.conditions ?? []).map((c) => [c.type, c.status]));
  for (const c of after.conditions ?? []) {
    if (was.get(c.type) !== c.status) events.push({ type: 'Condition', message: `${c.type} ${c.status}${c.reason ? ` (${c.reason})` : ''}` });
  }
  return events;
}

export async function recordClusterEvents(db: Db, clusterId: string, events: Array<Omit<ClusterEvent, 'at'>>, at = new Date().toISOString()): Promise<void> {
  if (events.length === 0) return;
  // The id sorts as (time, position in this batch): one ORDER BY on both databases.
  const rows = events.map((e, i) => ({
    id: `${at}#${String(i).padStart(3, '0')}#${randomUUID()}`,
    cluster_id: clusterId,
    at,
    type: e.type,
    message: e.message,
  }));
  await db.q.insertInto('cluster_events').values(rows).execute();
  await db.q
    .deleteFrom('cluster_events')
    .where('cluster_id', '=', clusterId)
    .where('id', 'not in', (eb) =>
      eb.selectFrom('cluster_events').select('id').where('cluster_id', '=', clusterId).orderBy('id', 'desc').limit(MAX_EVENTS_PER_CLUSTER),
    )
    .execute();
}

/** Newest first; a page's token is its last event's id (unique, sorts as the time). */
export async function clusterEvents(db: Db, clusterId: string, page: PageRequest): Promise<PageOf<ClusterEvent>> {
  const query = db.q.selectFrom('cluster_events').select(['id', 'at', 'type', 'message']).where('cluster_id', '=', clusterId);
  const rows = await keyset(query, db.dialect, { keys: ['id'], descending: true }, page).execute();
  const result = toPage(rows, page, (e) => [e.id]);
  // An event of a type this release does not know (another release's) is left out, not a 500;
  // the page's token is still its last row's.
  const items = result.items.flatMap(({ at, type, message }) => {
    const known = ClusterEventType.safeParse(type);
    return known.success ? [{ at, type: known.data, message }] : [];
  });
  return { ...result, items };
}
