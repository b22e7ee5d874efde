import type { Db } from '../db/db.ts';
import { hashToken, iso, type Clock } from './tokens.ts';

// Sign-ins between /auth/oidc/{id}/start and their callback (migration 21): one row per state,
// redeemed once. Expired rows are swept whenever a new sign-in starts.

export interface PendingSignIn {
  providerId: string;
  codeVerifier: string;
  nonce: string;
}

export async function beginSignIn(db: Db, state: string, pending: PendingSignIn, ttlSeconds: number, now: Clock): Promise<void> {
  const at = iso(now);
  await db.tx(async (tx) => {
    await tx.q.deleteFrom('oidc_sign_ins').where('expires_at', '<=', at).execute();
    await tx.q
      .insertInto('oidc_sign_ins')
      .values({
        state_hash: hashToken(state),
        provider_id: pending.providerId,
        code_verifier: pending.codeVerifier,
        nonce: pending.nonce,
        created_at: at,
        expires_at: iso(now, ttlSeconds * 1000),
      })
      .execute();
  });
}

/** The sign-in of `state`, deleted as it is read (a replayed callback finds nothing); undefined when unknown or expired. */
export async function redeemSignIn(db: Db, state: string, now: Clock): Promise<PendingSignIn | undefined> {
  return db.tx(async (tx) => {
    const row = await tx.q.selectFrom('oidc_sign_ins').selectAll().where('state_hash', '=', hashToken(state)).executeTakeFirst();
    if (!row) return undefined;
    const done = await tx.q.deleteFrom('oidc_sign_ins').where('state_hash', '=', row.state_hash).executeTakeFirst();
    // Another replica redeemed it first.
    if (Number(done.numDeletedRows) === 0 || row.expires_at <= iso(now)) return undefined;
    return { providerId: row.provider_id, codeVerifier: row.code_verifier, nonce: row.nonce };
  });
}
