import { bearerToken, checkKind } from './auth.ts';
import type { Db } from './db/db.ts';
import { LiveCache } from './db/live-cache.ts';
import { isTokensNotice } from './db/revision-feed.ts';
import { findTokenByHash, hashToken, type Clock, type TokenRow } from './repositories/tokens.ts';
import type { Request } from './api/http.ts';

/** How many agent tokens a replica keeps. */
export const CACHED_AGENT_TOKENS = 10_000;

/**
 * Agent tokens by hash, so an idle agent's long-poll does not read its token again each time.
 * Kept under the revision feed's rule (live without a break since stored). A revocation
 * announces the region's tokens on the feed (repositories/tokens.ts), which drops them here on
 * every replica; a deleted region's notice does too. Expiry is checked on each use, against the clock.
 */
export class AgentTokens {
  private readonly cache: LiveCache<TokenRow>;
  private readonly db: Db;
  private readonly now: Clock;
  constructor(db: Db, now: Clock, capacity = CACHED_AGENT_TOKENS) {
    this.db = db;
    this.now = now;
    this.cache = new LiveCache(db.revisions, capacity);
    db.revisions.subscribe((notice) => {
      if (notice === 'all') this.cache.clear();
      else if (isTokensNotice(notice))
        this.cache.dropWhere((row) => row.region_id === notice.regionId && (notice.tokens === 'all' || notice.tokens.includes(row.id)));
      else if (notice.revision === null) this.cache.dropWhere((row) => row.region_id === notice.regionId);
    });
  }

  /** The caller's live agent token: 401 without a valid one, 403 with one of another kind. */
  async authenticate(req: Pick<Request, 'headers'>): Promise<TokenRow> {
    const hash = hashToken(bearerToken(req));
    const row =
      this.cache.get(hash) ??
      // Only agent tokens are kept: a bootstrap token is used once, and its use must be seen.
      (await this.cache.load(
        hash,
        () => findTokenByHash(this.db, hash),
        (found) => found.kind === 'agent',
      ));
    return checkKind(row, ['agent'], this.now);
  }

  /** Tokens held now. */
  get size(): number {
    return this.cache.size;
  }
}
