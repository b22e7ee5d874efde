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

/** Every item, page after page. */
export const loadAll = <T>(fetchPage: FetchPage<T>): Promise<T[]> => collectPages(fetchPage, { pageSize: 1000 });

/** The list path with the page's query. */
export const pagePath = (path: string, query: PageQuery) => `${path}${pageQueryString(query)}`;
