import { useState } from 'react';
import type { usePagedPoll } from '../../poll.ts';
import type { ResourceRecord } from '../../types.ts';

/** A polled list of one kind of backup resource, as the panels show and reload it. */
export type PagedResources = ReturnType<typeof usePagedPoll<ResourceRecord>>;

/** A form's submit: busy while it runs, the error it ended with (none on success). */
export function useSubmit() {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      setError(undefined);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}
