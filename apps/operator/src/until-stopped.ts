/**
 * Waits for `work` (caches syncing) unless `stopped` aborts first: a stopped informer never
 * syncs, and a start() waiting on it would hang for good.
 */
export function untilStopped(work: Promise<void>, stopped: AbortSignal): Promise<void> {
  if (stopped.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onStop = () => resolve();
    stopped.addEventListener('abort', onStop, { once: true });
    work.then(resolve, reject).finally(() => stopped.removeEventListener('abort', onStop));
  });
}
