import { describe, expect, it } from 'vitest';
import type { PageQuery } from '@qhc/schemas';
import { loadAll, loadPages, pagePath } from '../app/src/lib/pages.ts';

/** A list of `n` numbers served as the API pages it: the token is the next offset. */
function served(n: number) {
  const asked: PageQuery[] = [];
  const fetchPage = async (query: PageQuery) => {
    asked.push(query);
    const start = query.pageToken ? Number(query.pageToken) : 0;
    const end = start + (query.limit ?? 100);
    return { items: Array.from({ length: Math.max(0, Math.min(end, n) - start) }, (_, i) => start + i), ...(end < n ? { nextPageToken: String(end) } : {}) };
  };
  return { asked, fetchPage };
}

describe('lists shown page by page', () => {
  it('loadPages: the first pages in order, and whether more follow', async () => {
    const list = served(25);
    expect(await loadPages(list.fetchPage, 1, 10)).toEqual({ items: Array.from({ length: 10 }, (_, i) => i), more: true });
    expect(await loadPages(list.fetchPage, 2, 10)).toEqual({ items: Array.from({ length: 20 }, (_, i) => i), more: true });
    expect(await loadPages(list.fetchPage, 3, 10)).toEqual({ items: Array.from({ length: 25 }, (_, i) => i), more: false });
    // No request past the last page, however many pages are asked for.
    list.asked.length = 0;
    expect((await loadPages(list.fetchPage, 9, 10)).more).toBe(false);
    expect(list.asked).toEqual([{ limit: 10 }, { limit: 10, pageToken: '10' }, { limit: 10, pageToken: '20' }]);
    // An exact multiple: the API gives no token after the last full page.
    expect(await loadPages(served(20).fetchPage, 2, 10)).toMatchObject({ more: false });
  });

  it('loadAll reads every page; pagePath adds only what is asked', async () => {
    const list = served(2500);
    expect(await loadAll(list.fetchPage)).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    expect(list.asked.map((q) => q.limit)).toEqual([1000, 1000, 1000]);
    expect(pagePath('/items', {})).toBe('/items');
    expect(pagePath('/items', { limit: 5, pageToken: 'a+b' })).toBe('/items?limit=5&pageToken=a%2Bb');
  });
});
