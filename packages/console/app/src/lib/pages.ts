import { collectPages, DEFAULT_PAGE_LIMIT, pageQueryString, type PageOf, type PageQuery } from '@qhc/schemas';

// The console's side of the API's pages (@qhc/schemas Page): a list shows its first pages and
// a "Load more" control; choices (a select of environments) read every page.

export type FetchPage<T> = (query: PageQuery) => Promise<PageOf<T>>;

/** The first `pages` pages, and whether more follow: what a list with "Load more" shows. */
export async function loadPages<T>(fetchPage: FetchPage<T>, pages: number, pageSize = DEFAULT_PAGE_LIMIT): Promise<{ items: T[]; more: boolean }> {
  const items: T[] = [];
  let pageToken: string | undefined;
  for (let i = 0; i < pages; i++) {
    const page = await fetchPage({ limit: pageSize, ...(pageToken ? { pageToken } : {}) });
    items.push(...page.items);
    pageToken = page.nextPageToken;
    if (!pageToken) return { items, more: false };
  }
  return { items, more: true };
}

/** The Cloud API's largest page (its lists refuse a larger page_size). */
export const CLOUD_MAX_PAGE_SIZE = 250;

/** Every item, page after page. */
export const loadAll = <T>(fetchPage: FetchPage<T>, pageSize = 1000): Promise<T[]> => collectPages(fetchPage, { pageSize });

/** The list path with the page's query. */
export const pagePath = (path: string, query: PageQuery) => `${path}${pageQueryString(query)}`;

/** A Cloud API list (page_size and page_token in, items and next_page_token out) as a FetchPage. */
export const cloudPages =
  <T>(list: (query: { pageSize: number; pageToken?: string }) => Promise<{ items: T[]; nextPageToken?: string }>): FetchPage<T> =>
  async (query) => {
    const res = await list({ pageSize: query.limit ?? DEFAULT_PAGE_LIMIT, ...(query.pageToken ? { pageToken: query.pageToken } : {}) });
    return { items: res.items, ...(res.nextPageToken ? { nextPageToken: res.nextPageToken } : {}) };
  };

/** A list the API answers whole (the environments), shown page by page all the same: the token is the offset. */
export const slicePages =
  <T>(all: () => Promise<T[]>): FetchPage<T> =>
  async (query) => {
    const items = await all();
    const start = query.pageToken ? Number(query.pageToken) : 0;
    const end = start + (query.limit ?? DEFAULT_PAGE_LIMIT);
    return { items: items.slice(start, end), ...(end < items.length ? { nextPageToken: String(end) } : {}) };
  };
