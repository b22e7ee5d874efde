import type { Db } from './db/db.ts';
import { ApiError } from './errors.ts';
import { findToken, isExpired, type Clock, type TokenKind, type TokenRow } from './repositories/tokens.ts';
import type { Request } from './api/http.ts';

/**
 * The caller's live Bearer token of one of `kinds` (the agent's, or an installation command's
 * bootstrap token): 401 without a valid one, 403 with one of another kind.
 */
export async function authenticate(db: Db, req: Pick<Request, 'headers'>, kinds: TokenKind[], now: Clock = Date.now): Promise<TokenRow> {
  return checkKind(await findToken(db, bearerToken(req)), kinds, now);
}

/** The request's Bearer token: 401 without one. */
export function bearerToken(req: Pick<Request, 'headers'>): string {
  const header = req.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  if (!token) throw new ApiError(401, 'Unauthenticated', 'send a token: Authorization: Bearer <token>');
  return token;
}

/** The token found when it is live and of one of `kinds`: 401 unknown or expired, 403 of another kind. */
export function checkKind(row: TokenRow | undefined, kinds: TokenKind[], now: Clock): TokenRow {
  if (!row) throw new ApiError(401, 'Unauthenticated', 'the token is not valid (unknown, revoked, or a bootstrap token already used)');
  if (isExpired(row, now))
    throw new ApiError(
      401,
      'Unauthenticated',
      `the ${row.kind} token expired at ${row.expires_at}: make a new installation command (qhc region install-command)`,
    );
  if (!kinds.includes(row.kind)) throw new ApiError(403, 'Forbidden', `a ${row.kind} token cannot do this; it needs a ${kinds.join(' or ')} token`);
  return row;
}
