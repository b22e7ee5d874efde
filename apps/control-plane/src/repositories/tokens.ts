import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { PageOf } from '@qhc/schemas';
import * as z from 'zod';
import { changed, type Db } from '../db/db.ts';
import { keyset, toPage, type PageRequest } from '../pages.ts';

/** Milliseconds since the epoch: Date.now, or a test's clock. */
export type Clock = () => number;
/** The ISO time `plusMs` after the clock's now: how tokens and sessions store times. */
export const iso = (now: Clock, plusMs = 0) => new Date(now() + plusMs).toISOString();

export const TokenKind = z.enum(['user', 'bootstrap', 'agent']);
export type TokenKind = z.infer<typeof TokenKind>;
const PREFIX: Record<TokenKind, string> = { user: 'qhc_u_', bootstrap: 'qhc_b_', agent: 'qhc_a_' };

export interface TokenRow {
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

const COLUMNS = ['id', 'kind', 'name', 'region_id', 'created_at', 'used_at', 'revoked_at', 'expires_at'] as const;
/** The token, or undefined for a kind this release does not know (another release's): never valid here. */
export const toTokenRow = <R extends Omit<TokenRow, 'kind'> & { kind: string }>(row: R): TokenRow | undefined => {
  const kind = TokenKind.safeParse(row.kind);
  return kind.success ? { ...row, kind: kind.data } : undefined;
};
const known = (row: TokenRow | undefined): row is TokenRow => row !== undefined;

/** Only the SHA-256 of a token is stored: a copy of the database gives no credential. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface IssueOptions {
  regionId?: string;
  expiresAt?: string;
  now?: Clock;
}

/** Makes a token and stores its hash; the plain text is returned once, here. */
export async function issueToken(db: Db, kind: TokenKind, name: string, options: IssueOptions = {}): Promise<{ id: string; token: string }> {
  const token = `${PREFIX[kind]}${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  const row = { id, kind, name, region_id: options.regionId ?? null, hash: hashToken(token) };
  await db.q
    .insertInto('tokens')
    .values({ ...row, created_at: iso(options.now ?? Date.now), expires_at: options.expiresAt ?? null })
    .execute();
  return { id, token };
}

/**
 * The token with this text when not revoked and, for a bootstrap token, not yet used. An
 * expired one is returned (see `isExpired`) so the caller can say why it is refused.
 */
export async function findToken(db: Db, token: string): Promise<TokenRow | undefined> {
  return findTokenByHash(db, hashToken(token));
}

/** `findToken` by the token's hash. */
export async function findTokenByHash(db: Db, hash: string): Promise<TokenRow | undefined> {
  const row = await db.q.selectFrom('tokens').select(COLUMNS).where('hash', '=', hash).executeTakeFirst();
  if (!row || row.revoked_at || (row.kind === 'bootstrap' && row.used_at)) return undefined;
  return toTokenRow(row);
}

export const isExpired = (row: Pick<TokenRow, 'expires_at'>, now: Clock = Date.now) =>
  row.expires_at !== null && row.expires_at !== undefined && row.expires_at <= iso(now);

/**
 * Exchanges a bootstrap token, once, for the region's agent credential. Earlier agent
 * credentials of the region are revoked: a re-installation replaces the agent.
 */
export async function exchangeBootstrap(db: Db, bootstrap: string, now: Clock = Date.now): Promise<{ token: string; regionId: string } | undefined> {
  return db.tx(async (tx) => {
    const stamp = iso(now);
    // ISO-8601 UTC times compare as text, on both databases.
    const row = await tx.q
      .selectFrom('tokens')
      .select(['id', 'region_id'])
      .where('hash', '=', hashToken(bootstrap))
      .where('kind', '=', 'bootstrap')
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', stamp)]))
      .executeTakeFirst();
    if (!row?.region_id) return undefined;
    // The UPDATE is the claim: of two agents racing with one token, one changes a row.
    const claimed = await tx.q.updateTable('tokens').set({ used_at: stamp }).where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
    if (changed(claimed) !== 1) return undefined;
    const revoked = await tx.q
      .updateTable('tokens')
      .set({ revoked_at: stamp })
      .where('region_id', '=', row.region_id)
      .where('kind', '=', 'agent')
      .where('revoked_at', 'is', null)
      .returning('id')
      .execute();
    // Every replica drops its cached copies of them once this commits (agent-tokens.ts).
    await tx.revisions.tokensChanged(
      tx,
      row.region_id,
      revoked.map((r) => r.id),
    );
    const issued = await issueToken(tx, 'agent', 'agent', { regionId: row.region_id, now });
    return { token: issued.token, regionId: row.region_id };
  });
}

/**
 * A new agent credential for the same region; the current one stops working. Undefined when the
 * current one was revoked meanwhile (the caller's copy may be a replica's cache whose notice is
 * on its way): the revocation is the claim, and a revoked token never mints a live one.
 */
export async function rotateAgentToken(db: Db, current: TokenRow, now: Clock = Date.now): Promise<string | undefined> {
  return db.tx(async (tx) => {
    const revoked = await tx.q
      .updateTable('tokens')
      .set({ revoked_at: iso(now) })
      .where('id', '=', current.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (changed(revoked) !== 1) return undefined;
    if (current.region_id) await tx.revisions.tokensChanged(tx, current.region_id, [current.id]);
    return (await issueToken(tx, 'agent', 'agent', { ...(current.region_id ? { regionId: current.region_id } : {}), now })).token;
  });
}

export async function revokeToken(db: Db, id: string, now: Clock = Date.now): Promise<boolean> {
  return db.tx(async (tx) => {
    const revoked = await tx.q
      .updateTable('tokens')
      .set({ revoked_at: iso(now) })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning('region_id')
      .executeTakeFirst();
    if (revoked?.region_id) await tx.revisions.tokensChanged(tx, revoked.region_id, [id]);
    return revoked !== undefined;
  });
}

/** A region's bootstrap and agent tokens, or (no region) the user tokens: oldest first, all of them or a page. */
export async function listTokens(db: Db, regionId?: string, page?: PageRequest): Promise<TokenRow[]> {
  return (await tokenRows(db, regionId, page)).map(toTokenRow).filter(known);
}

type StoredTokenRow = Omit<TokenRow, 'kind'> & { kind: string };

async function tokenRows(db: Db, regionId?: string, page?: PageRequest): Promise<StoredTokenRow[]> {
  const query = db.q
    .selectFrom('tokens')
    .select(COLUMNS)
    .where((eb) => (regionId ? eb('region_id', '=', regionId) : eb('kind', '=', 'user')));
  // Creation times can be equal: the id makes the sort key unique, as keyset pages need.
  return keyset(query, db.dialect, { keys: ['created_at', 'id'] }, page).execute();
}

/** A page of listTokens; the token is (created_at, id) of its last row. */
export async function tokenPage(db: Db, regionId: string | undefined, page: PageRequest): Promise<PageOf<TokenRow>> {
  // Paged on the rows read: a token of an unknown kind left out must not end the list early.
  const result = toPage(await tokenRows(db, regionId, page), page, (t) => [t.created_at, t.id]);
  return { ...result, items: result.items.map(toTokenRow).filter(known) };
}
