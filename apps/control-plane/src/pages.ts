import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, type PageOf } from '@qhc/schemas';
import { sql, type Expression, type SelectQueryBuilder } from 'kysely';
import type { Db } from './db/db.ts';
import { ApiError } from './errors.ts';
import { queryInt, querySingle } from './api/query.ts';

// Keyset pagination for every list of the API: each list is ordered by a unique sort key, a
// page is the rows after the previous page's last key, and the page token is that key
// (base64url of its JSON), so a row created or deleted between pages neither repeats nor
// shifts the rest, as an OFFSET would.

/** A parsed `?limit=&pageToken=`: `after` is the last sort key of the previous page. */
export interface PageRequest {
  limit: number;
  after?: string[];
}

/** The longest page token accepted: sort keys are names, ids and timestamps. */
const MAX_TOKEN_LENGTH = 2048;

const invalid = (message: string) => new ApiError(400, 'Invalid', message);

/** The page a list request asks for; `arity` is how many values the list's sort key has. */
export function pageRequest(query: URLSearchParams, arity = 1): PageRequest {
  const limit = queryInt(query, 'limit', { min: 1, max: MAX_PAGE_LIMIT, fallback: DEFAULT_PAGE_LIMIT });
  const token = querySingle(query, 'pageToken');
  if (token === undefined || token === '') return { limit };
  return { limit, after: decodePageToken(token, arity) };
}

export function encodePageToken(key: string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decodePageToken(token: string, arity: number): string[] {
  const refused = invalid(
    'pageToken: not a page token of this list; pass the nextPageToken of the previous page unchanged, or leave it out for the first page',
  );
  if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) throw refused;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw refused;
  }
  if (!Array.isArray(key) || key.length !== arity || !key.every((k) => typeof k === 'string')) throw refused;
  return key as string[];
}

/** The page from up to `limit + 1` rows in order: the extra row only says that more follow. */
export function toPage<T>(rows: T[], page: PageRequest, keyOf: (item: T) => string[]): PageOf<T> {
  if (rows.length <= page.limit) return { items: rows };
  const items = rows.slice(0, page.limit);
  return { items, nextPageToken: encodePageToken(keyOf(items.at(-1)!)) };
}

/**
 * A sort-key column compared byte by byte on both databases (SQLite's BINARY; PostgreSQL's
 * default collation may follow a locale), so the order matches JavaScript's `<` when lists
 * are merged with rows not in the database.
 */
export const bytewise = (dialect: Db['dialect'], column: string): Expression<string> =>
  dialect === 'postgres' ? sql<string>`${sql.ref(column)} COLLATE "C"` : sql.ref<string>(column);

export interface Keyset {
  /** The unique sort key's columns, most significant first. */
  keys: string[];
  descending?: boolean;
}

/** `query` narrowed to up to `limit + 1` rows after `page.after` in the order of `keys`, for `toPage`; every row without a page. */
export function keyset<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  dialect: Db['dialect'],
  { keys, descending = false }: Keyset,
  page?: PageRequest,
): SelectQueryBuilder<DB, TB, O> {
  const cols = keys.map((k) => bytewise(dialect, k));
  const op = descending ? '<' : '>';
  let ordered = query;
  const after = page?.after;
  // (a, b) after (x, y): a > x OR (a = x AND b > y); spelled out, as SQLite and PostgreSQL
  // compare row values alike only without collations.
  if (after)
    ordered = ordered.where((eb) => eb.or(cols.map((c, i) => eb.and([...cols.slice(0, i).map((p, j) => eb(p, '=', after[j]!)), eb(c, op, after[i]!)]))));
  for (const c of cols) ordered = ordered.orderBy(c, descending ? 'desc' : 'asc');
  return page ? ordered.limit(page.limit + 1) : ordered;
}
