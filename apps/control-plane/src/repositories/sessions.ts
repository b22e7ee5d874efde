import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/db.ts';
import { hashToken, iso, toTokenRow, type Clock, type TokenRow } from './tokens.ts';

// Console sessions: only the SHA-256 of a session's secret is stored, as with tokens; the
// session dies with its user token (ON DELETE CASCADE) and is refused once it is revoked.

export interface SessionRow {
  id: string;
  token_id: string;
  created_at: string;
  expires_at: string;
}

/** A new session for a live user token; expired sessions are swept on the way. */
export async function createSession(db: Db, token: TokenRow, ttlSeconds: number, now: Clock = Date.now): Promise<{ secret: string; session: SessionRow }> {
  const secret = randomBytes(32).toString('base64url');
  const session: SessionRow = { id: randomUUID(), token_id: token.id, created_at: iso(now), expires_at: iso(now, ttlSeconds * 1000) };
  await db.q.deleteFrom('sessions').where('expires_at', '<', session.created_at).execute();
  await db.q
    .insertInto('sessions')
    .values({ ...session, hash: hashToken(secret) })
    .execute();
  return { secret, session };
}

/** The session and its user token, if neither expired nor revoked. */
export async function findSession(db: Db, secret: string, now: Clock = Date.now): Promise<{ session: SessionRow; token: TokenRow } | undefined> {
  const row = await db.q
    .selectFrom('sessions as s')
    .innerJoin('tokens as t', 't.id', 's.token_id')
    .select(['s.id', 's.token_id', 's.created_at', 's.expires_at', 't.kind', 't.name', 't.region_id', 't.created_at as token_created_at'])
    .select(['t.used_at', 't.revoked_at'])
    .where('s.hash', '=', hashToken(secret))
    .executeTakeFirst();
  if (!row || row.revoked_at || Date.parse(row.expires_at) <= now()) return undefined;
  const { id, token_id, created_at, expires_at } = row;
  const token = { id: token_id, kind: row.kind, name: row.name, region_id: row.region_id, used_at: row.used_at, revoked_at: row.revoked_at };
  const known = toTokenRow({ ...token, created_at: row.token_created_at, expires_at: null });
  return known ? { session: { id, token_id, created_at, expires_at }, token: known } : undefined;
}

export async function deleteSession(db: Db, secret: string): Promise<void> {
  await db.q.deleteFrom('sessions').where('hash', '=', hashToken(secret)).execute();
}
