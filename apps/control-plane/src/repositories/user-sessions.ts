import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/db.ts';
import { hashToken, iso, type Clock } from './tokens.ts';

// A person's console sessions (same table as management-key sessions, `user_id` set): a cookie
// whose secret is stored as its SHA-256, acting in one of the user's accounts at a time.

export interface UserSession {
  id: string;
  userId: string;
  email: string;
  /** The account the session acts in; the user is a member of it (checked on every lookup). */
  accountId: string;
  expiresAt: string;
}

/** A new session of `userId` acting in `accountId` (a membership the caller checked); expired sessions are swept. */
export async function createUserSession(db: Db, userId: string, accountId: string, ttlSeconds: number, now: Clock): Promise<{ secret: string; id: string }> {
  const secret = randomBytes(32).toString('base64url');
  const id = randomUUID();
  const at = iso(now);
  await db.tx(async (tx) => {
    await tx.q.deleteFrom('cloud_sessions').where('expires_at', '<=', at).execute();
    await tx.q
      .insertInto('cloud_sessions')
      .values({
        id,
        hash: hashToken(secret),
        management_key_id: null,
        user_id: userId,
        account_id: accountId,
        created_at: at,
        expires_at: iso(now, ttlSeconds * 1000),
      })
      .execute();
  });
  return { secret, id };
}

/** The live session of a secret, while its user is active and still a member of the session's account. */
export async function findUserSession(db: Db, secret: string, now: Clock): Promise<UserSession | undefined> {
  const row = await db.q
    .selectFrom('cloud_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('account_members as m', (join) => join.onRef('m.user_id', '=', 's.user_id').onRef('m.account_id', '=', 's.account_id'))
    .select(['s.id', 'u.id as user_id', 'u.email', 'u.status', 'm.account_id', 's.expires_at'])
    .where('s.hash', '=', hashToken(secret))
    .executeTakeFirst();
  if (!row || row.expires_at <= iso(now) || row.status !== 'active') return undefined;
  return { id: row.id, userId: row.user_id, email: row.email, accountId: row.account_id, expiresAt: row.expires_at };
}

/** Moves a session to another of its user's accounts (the caller checked the membership). */
export async function switchSessionAccount(db: Db, sessionId: string, accountId: string): Promise<void> {
  await db.q.updateTable('cloud_sessions').set({ account_id: accountId }).where('id', '=', sessionId).execute();
}

/** Signs out every session of a user (password change, removal). */
export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db.q.deleteFrom('cloud_sessions').where('user_id', '=', userId).execute();
}

/** Signs out one session (the user's own LogoutUser). */
export async function deleteUserSession(db: Db, sessionId: string): Promise<void> {
  await db.q.deleteFrom('cloud_sessions').where('id', '=', sessionId).execute();
}
