import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/db.ts';
import { hashToken, iso, type Clock } from './tokens.ts';

// The console's sessions of the Cloud API: a management key exchanged for a cookie. Only the
// SHA-256 of a session's secret is stored; a session works only while its key does.

export interface CloudSessionRow {
  id: string;
  management_key_id: string;
  created_at: string;
  expires_at: string;
}

/** A session with the account of its key, as found by its secret. */
export interface LiveCloudSession extends CloudSessionRow {
  account_id: string;
}

/** A new session for a key the caller has checked is live; expired sessions are swept on the way. */
export async function createCloudSession(
  db: Db,
  managementKeyId: string,
  ttlSeconds: number,
  now: Clock,
): Promise<{ secret: string; session: CloudSessionRow }> {
  const secret = randomBytes(32).toString('base64url');
  const session: CloudSessionRow = { id: randomUUID(), management_key_id: managementKeyId, created_at: iso(now), expires_at: iso(now, ttlSeconds * 1000) };
  await db.tx(async (tx) => {
    await tx.q.deleteFrom('cloud_sessions').where('expires_at', '<=', session.created_at).execute();
    await tx.q
      .insertInto('cloud_sessions')
      .values({ ...session, hash: hashToken(secret) })
      .execute();
  });
  return { secret, session };
}

/** The session of a secret while it has not expired and its key is neither deleted nor expired. */
export async function findCloudSession(db: Db, secret: string, now: Clock): Promise<LiveCloudSession | undefined> {
  const at = iso(now);
  const row = await db.q
    .selectFrom('cloud_sessions as s')
    .innerJoin('management_keys as k', 'k.id', 's.management_key_id')
    // A user's session (management_key_id NULL) is not found here: it is looked up with its user.
    .select(['s.id', 'k.id as management_key_id', 's.created_at', 's.expires_at', 'k.account_id', 'k.deleted_at', 'k.expires_at as key_expires_at'])
    .where('s.hash', '=', hashToken(secret))
    .executeTakeFirst();
  if (!row || row.expires_at <= at || row.deleted_at !== null || (row.key_expires_at !== null && row.key_expires_at <= at)) return undefined;
  const { id, management_key_id, created_at, expires_at, account_id } = row;
  return { id, management_key_id, created_at, expires_at, account_id };
}

export async function deleteCloudSession(db: Db, secret: string): Promise<void> {
  await db.q.deleteFrom('cloud_sessions').where('hash', '=', hashToken(secret)).execute();
}
