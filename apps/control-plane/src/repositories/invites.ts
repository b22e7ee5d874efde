import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db.ts';
import type { Database } from '../db/schema.ts';
import { iso, type Clock } from './tokens.ts';

// Invitations to an account: an email and the roles it gets on accepting. Expiry is not a
// status: it is read from expires_at against the clock, so nothing has to sweep invites.

export type InviteRow = Database['account_invites'];
export type InviteStatus = 'pending' | 'accepted' | 'rejected' | 'canceled';

/** An invite with its account's name and its creator's email, as the API shows it. */
export type InviteView = InviteRow & { account_name: string; created_by_email: string | null };

export const INVITE_TTL_MS = 7 * 24 * 3600_000;

const views = (db: Db) =>
  db.q
    .selectFrom('account_invites as i')
    .innerJoin('accounts as a', 'a.id', 'i.account_id')
    .leftJoin('users as u', 'u.id', 'i.created_by_user_id')
    .selectAll('i')
    .select(['a.name as account_name', 'u.email as created_by_email']);

export async function insertInvite(
  db: Db,
  accountId: string,
  email: string,
  roleIds: readonly string[],
  createdBy: { kind: 'management_key' | 'user'; id: string },
  now: Clock,
): Promise<InviteRow> {
  const at = iso(now);
  const row: InviteRow = {
    id: randomUUID(),
    account_id: accountId,
    email,
    role_ids: JSON.stringify(roleIds),
    status: 'pending',
    created_by_user_id: createdBy.kind === 'user' ? createdBy.id : null,
    created_by_key_id: createdBy.kind === 'management_key' ? createdBy.id : null,
    created_at: at,
    last_modified_at: at,
    expires_at: iso(now, INVITE_TTL_MS),
  };
  await db.q.insertInto('account_invites').values(row).execute();
  return row;
}

/** An account's invite (undefined for another account's: its id is not confirmed). */
export async function inviteOf(db: Db, accountId: string, id: string): Promise<InviteView | undefined> {
  return views(db).where('i.account_id', '=', accountId).where('i.id', '=', id).executeTakeFirst();
}

/** An invite by id alone, for the invited person (who is not a member of its account yet). */
export async function inviteById(db: Db, id: string): Promise<InviteView | undefined> {
  return views(db).where('i.id', '=', id).executeTakeFirst();
}

/** The account's invites, oldest first, of the given statuses (none: all). */
export async function invitesOfAccount(db: Db, accountId: string, statuses: readonly InviteStatus[]): Promise<InviteView[]> {
  let query = views(db).where('i.account_id', '=', accountId);
  if (statuses.length > 0) query = query.where('i.status', 'in', statuses);
  return query.orderBy('i.created_at').orderBy('i.id').execute();
}

/** The pending invites sent to an email, in any account, oldest first. */
export async function invitesForEmail(db: Db, email: string): Promise<InviteView[]> {
  return views(db).where('i.email', '=', email).where('i.status', '=', 'pending').orderBy('i.created_at').orderBy('i.id').execute();
}

/** The account's pending, unexpired invite of an email, if any. */
export async function livePendingInvite(db: Db, accountId: string, email: string, now: Clock): Promise<InviteRow | undefined> {
  return db.q
    .selectFrom('account_invites')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('email', '=', email)
    .where('status', '=', 'pending')
    .where('expires_at', '>', iso(now))
    .executeTakeFirst();
}

/** Moves a pending invite to `status`; false when it was no longer pending (a concurrent decision won). */
export async function setInviteStatus(db: Db, id: string, status: InviteStatus, now: Clock): Promise<boolean> {
  const result = await db.q
    .updateTable('account_invites')
    .set({ status, last_modified_at: iso(now) })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** How many pending invites an account may have at once (expired ones included until answered or canceled). */
export const MAX_PENDING_INVITES = 1_000;

export async function pendingInviteCount(db: Db, accountId: string): Promise<number> {
  const row = await db.q
    .selectFrom('account_invites')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('account_id', '=', accountId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Cancels the pending invites a member sent (they were removed: what they offered goes with them). */
export async function cancelInvitesBy(db: Db, accountId: string, userId: string, now: Clock): Promise<void> {
  await db.q
    .updateTable('account_invites')
    .set({ status: 'canceled', last_modified_at: iso(now) })
    .where('account_id', '=', accountId)
    .where('created_by_user_id', '=', userId)
    .where('status', '=', 'pending')
    .execute();
}
