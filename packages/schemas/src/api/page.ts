import * as z from 'zod';

// One page of a list, the same for every list of the control plane's API: the control plane
// answers with it, the CLI and the console follow `nextPageToken` until it is absent.
// Requests take `?limit=N` (1..MAX_PAGE_LIMIT, DEFAULT_PAGE_LIMIT when absent) and
// `?pageToken=<nextPageToken of the previous page>`; the token is opaque to clients.

/** Items per page when a request does not say. */
export const DEFAULT_PAGE_LIMIT = 100;
/** The most items one page holds: larger `limit`s are refused, not clamped. */
export const MAX_PAGE_LIMIT = 1000;

/** A page of `item`s: `nextPageToken` is present when more items follow. */
export const Page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    /** Pass as `pageToken` for the next page; absent on the last page. */
    nextPageToken: z.string().min(1).optional(),
  });

export interface PageOf<T> {
  items: T[];
  nextPageToken?: string;
}

/** What a client asks of a list: the query parameters `limit` and `pageToken`. */
export interface PageQuery {
  limit?: number;
  pageToken?: string;
}

/** `?limit=…&pageToken=…` for a list path (either may be absent). */
export function pageQueryString(query: PageQuery): string {
  const params = new URLSearchParams();
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  if (query.pageToken) params.set('pageToken', query.pageToken);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Every item of a list, page after page, stopping after `max` items when given (the CLI's
 * `--limit`). `fetchPage` asks for one page with the given query.
 */
export async function collectPages<T>(fetchPage: (query: PageQuery) => Promise<PageOf<T>>, options: { max?: number; pageSize?: number } = {}): Promise<T[]> {
  const items: T[] = [];
  let pageToken: string | undefined;
  for (;;) {
    const want = options.max === undefined ? options.pageSize : Math.min(options.max - items.length, options.pageSize ?? MAX_PAGE_LIMIT);
    const page = await fetchPage({ ...(want !== undefined ? { limit: want } : {}), ...(pageToken ? { pageToken } : {}) });
    items.push(...page.items);
    pageToken = page.nextPageToken;
    if (!pageToken || (options.max !== undefined && items.length >= options.max)) return options.max === undefined ? items : items.slice(0, options.max);
  }
}
