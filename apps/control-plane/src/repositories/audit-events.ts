import { randomUUID } from 'node:crypto';
import { changed, type Db } from '../db/db.ts';
import type { Database } from '../db/schema.ts';
import { keyset } from '../pages.ts';

// The audit trail: appended by the audit interceptor, read a page at a time (newest first, by
// (occurred_at, id), so an event appended between pages shifts nothing), pruned by age only.

export type AuditEventRow = Database['audit_events'];
export type NewAuditEvent = Omit<AuditEventRow, 'id'>;

export async function insertAuditEvent(db: Db, event: NewAuditEvent): Promise<AuditEventRow> {
  const row: AuditEventRow = { id: randomUUID(), ...event };
  await db.q.insertInto('audit_events').values(row).execute();
  return row;
}

export interface AuditFilter {
  accountId: string;
  /** An actor's id, or a user's email (actor_label). */
  actor?: string;
  objectType?: string;
  objectId?: string;
  method?: string;
  /** ISO times: at or after `since`, before `until`. */
  since?: string;
  until?: string;
}

/** Up to `limit + 1` events of the filter, newest first, after `after` ([occurred_at, id] of the previous page's last). */
export async function listAuditEvents(db: Db, filter: AuditFilter, page: { limit: number; after?: string[] }): Promise<AuditEventRow[]> {
  let query = db.q.selectFrom('audit_events').selectAll().where('account_id', '=', filter.accountId);
  if (filter.actor) {
    const actor = filter.actor;
    query = query.where((eb) => eb.or([eb('actor_id', '=', actor), eb('actor_label', '=', actor.toLowerCase())]));
  }
  if (filter.objectType) query = query.where('object_type', '=', filter.objectType);
  if (filter.objectId) query = query.where('object_id', '=', filter.objectId);
  if (filter.method) query = query.where('method', '=', filter.method);
  if (filter.since) query = query.where('occurred_at', '>=', filter.since);
  if (filter.until) query = query.where('occurred_at', '<', filter.until);
  return keyset(query, db.dialect, { keys: ['occurred_at', 'id'], descending: true }, page).execute();
}

/** Deletes the events that occurred before `before` (an ISO time); answers how many. */
export async function pruneAuditEvents(db: Db, before: string): Promise<number> {
  return changed(await db.q.deleteFrom('audit_events').where('occurred_at', '<', before).executeTakeFirst());
}
