import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { PageOf } from '@qhc/schemas';
import type { Db } from './db/db.ts';
import { keysetRows, toPage, type PageRequest } from './pages.ts';

export type TokenKind = 'user' | 'bootstrap' | 'agent';
const PREFIX: Record<TokenKind, string> = { user: 'qhc_u_', bootstrap: 'qhc_b_', agent: 'qhc_a_' };

export interface TokenRow {
  [key: string]: unknown;
  id: string;
  kind: TokenKind;
  name: string;
  region_id: string | null;
  created_at: string;
  used_at: string | null;
  revoked_at: string | null;
  /** Bootstrap tokens only: after this (ISO time) the token is refused as expired. */
  expires_at: string | null;
}

const COLUMNS = 'id, kind, name, region_id, created_at, used_at, revoked_at, expires_at';

/** Only the SHA-256 of a token is stored: a copy of the database gives no credential. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Makes a token and stores its hash; the plain text is returned once, here. */
export async function issueToken(db: Db, kind: TokenKind, name: string, regionId?: string, expiresAt?: string): Promise<{ id: string; token: string }> {
  const token = `${PREFIX[kind]}${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  await db.run('INSERT INTO tokens (id, kind, name, region_id, hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    id,
    kind,
    name,
    regionId ?? null,
    hashToken(token),
    new Date().toISOString(),
    expiresAt ?? null,
  ]);
  return { id, token };
}

/**
 * The token with this text when not revoked and, for a bootstrap token, not yet used. An
 * expired one is returned (see `isExpired`) so the caller can say why it is refused.
 */
export async function findToken(db: Db, token: string): Promise<TokenRow | undefined> {
  const row = await db.one<TokenRow>(`SELECT ${COLUMNS} FROM tokens WHERE hash = $1`, [hashToken(token)]);
  if (!row || row.revoked_at || (row.kind === 'bootstrap' && row.used_at)) return undefined;
  return row;
}

export const isExpired = (row: Pick<TokenRow, 'expires_at'>, at = new Date()) =>
  row.expires_at !== null && row.expires_at !== undefined && row.expires_at <= at.toISOString();

/**
 * Exchanges a bootstrap token, once, for the region's agent credential. Earlier agent
 * credentials of the region are revoked: a re-installation replaces the agent.
 */
export async function exchangeBootstrap(db: Db, bootstrap: string): Promise<{ token: string; regionId: string } | undefined> {
  return db.tx(async (tx) => {
    const now = new Date().toISOString();
    // ISO-8601 UTC times compare as text, on both databases.
    const row = await tx.one<TokenRow>(
      'SELECT id, region_id FROM tokens WHERE hash = $1 AND kind = $2 AND used_at IS NULL AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $3)',
      [hashToken(bootstrap), 'bootstrap', now],
    );
    if (!row?.region_id) return undefined;
    // The UPDATE is the claim: of two agents racing with one token, one changes a row.
    if ((await tx.run('UPDATE tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL', [now, row.id])) !== 1) return undefined;
    await tx.run('UPDATE tokens SET revoked_at = $1 WHERE region_id = $2 AND kind = $3 AND revoked_at IS NULL', [now, row.region_id, 'agent']);
    const issued = await issueToken(tx, 'agent', 'agent', row.region_id);
    return { token: issued.token, regionId: row.region_id };
  });
}

/** A new agent credential for the same region; the current one stops working. */
export async function rotateAgentToken(db: Db, current: TokenRow): Promise<string> {
  return db.tx(async (tx) => {
    await tx.run('UPDATE tokens SET revoked_at = $1 WHERE id = $2', [new Date().toISOString(), current.id]);
    return (await issueToken(tx, 'agent', 'agent', current.region_id ?? undefined)).token;
  });
}

export async function revokeToken(db: Db, id: string): Promise<boolean> {
  return (await db.run('UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [new Date().toISOString(), id])) === 1;
}

/** A region's bootstrap and agent tokens, or (no region) the user tokens: oldest first, all of them or a page. */
export async function listTokens(db: Db, regionId?: string, page?: PageRequest): Promise<TokenRow[]> {
  const [where, param] = regionId ? ['region_id = $1', regionId] : ['kind = $1', 'user'];
  // Creation times can be equal: the id makes the sort key unique, as keyset pages need.
  return keysetRows<TokenRow>(db, { select: `SELECT ${COLUMNS} FROM tokens WHERE ${where}`, params: [param], keys: ['created_at', 'id'] }, page);
}

/** A page of listTokens; the token is (created_at, id) of its last row. */
export async function tokenPage(db: Db, regionId: string | undefined, page: PageRequest): Promise<PageOf<TokenRow>> {
  return toPage(await listTokens(db, regionId, page), page, (t) => [t.created_at, t.id]);
}
