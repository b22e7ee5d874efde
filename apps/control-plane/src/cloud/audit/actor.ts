import type { Db } from '../../db/db.ts';

// Who made a change, as the audit log records it. The one place a caller becomes an actor: the
// caller of a management key (its id, and prefix to recognise it) or of a user (id and email).

/** The caller as the auth interceptor sets it: a principal when it names one, else its management key. */
export interface CallerLike {
  accountId: string;
  managementKeyId?: string;
  principal?: { kind: 'management_key'; id: string; prefix?: string } | { kind: 'user'; id: string; email: string; sessionId?: string };
}

export interface Actor {
  kind: 'user' | 'management_key' | 'system';
  id: string;
  /** The user's email, or the key's prefix. */
  label: string;
}

async function keyActor(db: Db, id: string, prefix?: string): Promise<Actor> {
  if (prefix) return { kind: 'management_key', id, label: prefix };
  const row = await db.q.selectFrom('management_keys').select('prefix').where('id', '=', id).executeTakeFirst();
  return { kind: 'management_key', id, label: row?.prefix ?? '' };
}

export async function actorOf(db: Db, caller: CallerLike): Promise<Actor> {
  const principal = caller.principal;
  if (principal?.kind === 'user') return { kind: 'user', id: principal.id, label: principal.email };
  if (principal?.kind === 'management_key') return keyActor(db, principal.id, principal.prefix);
  return keyActor(db, caller.managementKeyId ?? '');
}

export const userActor = (id: string, email: string): Actor => ({ kind: 'user', id, label: email });
