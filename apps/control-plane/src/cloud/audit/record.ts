import type { Db } from '../../db/db.ts';
import { insertAuditEvent } from '../../repositories/audit-events.ts';
import { iso, type Clock } from '../../repositories/tokens.ts';
import type { Actor } from './actor.ts';

// One event, as every writer of the trail appends it.

export interface EventFacts {
  accountId: string;
  actor: Actor;
  method: string;
  object: { type: string; id: string };
  before?: string;
  after?: string;
  remoteAddress?: string;
}

export async function recordEvent(db: Db, now: Clock, facts: EventFacts): Promise<void> {
  await insertAuditEvent(db, {
    account_id: facts.accountId,
    occurred_at: iso(now),
    actor_kind: facts.actor.kind,
    actor_id: facts.actor.id,
    actor_label: facts.actor.label,
    method: facts.method,
    object_type: facts.object.type,
    object_id: facts.object.id,
    before_summary: facts.before ?? null,
    after_summary: facts.after ?? null,
    remote_address: facts.remoteAddress ?? null,
  });
}
