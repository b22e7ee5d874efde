import type { Db } from './db/db.ts';
import { ApiError } from './errors.ts';
import { findToken, type TokenKind, type TokenRow } from './tokens.ts';
import type { Request } from './api/http.ts';

/** The caller's live token of one of `kinds`: 401 without a valid one, 403 with one of another kind. */
export async function authenticate(db: Db, req: Request, kinds: TokenKind[]): Promise<TokenRow> {
  const header = req.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  if (!token) throw new ApiError(401, 'Unauthenticated', 'send a token: Authorization: Bearer <token>');
  const row = await findToken(db, token);
  if (!row) throw new ApiError(401, 'Unauthenticated', 'the token is not valid (unknown, revoked, or a bootstrap token already used)');
  if (!kinds.includes(row.kind)) throw new ApiError(403, 'Forbidden', `a ${row.kind} token cannot do this; it needs a ${kinds.join(' or ')} token`);
  return row;
}
