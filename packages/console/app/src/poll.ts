import { useCallback, useEffect, useRef, useState } from 'react';
import { loadPages, type FetchPage } from './lib/pages.ts';

/**
 * Loads now and again every `intervalMs` while the page is visible: the agent's reports reach
 * the control plane every few seconds, so status changes show without a reload.
 */
export function usePoll<T>(
  load: () => Promise<T>,
  deps: unknown[],
  intervalMs = 2000,
): { data: T | undefined; error: Error | undefined; reload: () => Promise<void> } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(async () => {
    try {
      setData(await loadRef.current());
      setError(undefined);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    }
  }, []);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (!document.hidden) await reload();
      if (!stopped) timer = setTimeout(tick, intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // oxlint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return { data, error, reload };
}

/**
 * A polled list shown page by page: the first page, then one more each `loadMore()` (the
 * "Load more" control). Each poll reloads the pages shown, so their status stays current.
 */
export function usePagedPoll<T>(
  fetchPage: FetchPage<T>,
  deps: unknown[],
  intervalMs = 2000,
): { data: { items: T[]; more: boolean } | undefined; error: Error | undefined; reload: () => Promise<void>; loadMore: () => void } {
  const [pages, setPages] = useState(1);
  // oxlint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => setPages(1), deps);
  const polled = usePoll(() => loadPages(fetchPage, pages), [...deps, pages], intervalMs);
  return { ...polled, loadMore: () => setPages((n) => n + 1) };
}
