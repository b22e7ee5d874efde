import { invalid, MAX_PAGE_SIZE } from './fields.ts';

// Pages of the backup service's lists: in creation order (then id); the token is the last
// item's key (base64url JSON), so an item added or deleted between pages shifts nothing.

interface PageAsk {
  pageSize?: number;
  pageToken?: string;
}

export interface Page<T> {
  items: T[];
  totalSize?: number;
  nextPageToken?: string;
}

type Keyed = { id: string; createdAt: string };
const keyOf = (item: Keyed) => [item.createdAt, item.id];
const before = (a: string[], b: string[]) => a[0]! < b[0]! || (a[0] === b[0] && a[1]! < b[1]!);

function decodeToken(token: string): string[] {
  const refused = invalid('page_token', 'is not a token of this list; pass next_page_token unchanged, or leave it unset for the first page');
  if (token.length > 512 || !/^[A-Za-z0-9_-]+$/.test(token)) throw refused;
  try {
    const key: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === 2 && key.every((k) => typeof k === 'string')) return key as string[];
  } catch {
    // Refused below.
  }
  throw refused;
}

/** Checks the request's paging fields before anything is read. */
export function checkPage(req: PageAsk): void {
  if (req.pageSize !== undefined && (req.pageSize < 1 || req.pageSize > MAX_PAGE_SIZE)) throw invalid('page_size', `must be between 1 and ${MAX_PAGE_SIZE}`);
  if (req.pageToken) decodeToken(req.pageToken);
}

/** `items` (in key order) as the request pages them: all of them when no page size is given. */
export function pageOf<T extends Keyed>(items: T[], req: PageAsk): Page<T> {
  const after = req.pageToken ? decodeToken(req.pageToken) : undefined;
  const rest = after ? items.filter((i) => before(after, keyOf(i))) : items;
  if (req.pageSize === undefined) return { items: rest };
  const page = rest.slice(0, req.pageSize);
  const more = rest.length > page.length;
  return {
    items: page,
    totalSize: items.length,
    ...(more ? { nextPageToken: Buffer.from(JSON.stringify(keyOf(page.at(-1)!)), 'utf8').toString('base64url') } : {}),
  };
}
