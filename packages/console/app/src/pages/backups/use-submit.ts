import { useState } from 'react';
import type { usePagedPoll } from '../../poll.ts';

/** A polled list of one kind of backup resource, as the panels show and reload it. */
export type Paged<T> = ReturnType<typeof usePagedPoll<T>>;

/** A form's submit: busy while it runs, the error it ended with (none on success). */
export function useSubmit() {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>) => {
    // The last refusal goes as the new attempt starts: it no longer describes the form.
    setError(undefined);
    setBusy(true);
    try {
      await fn();
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

/** "72h" (or "72") as a retention period; empty: none (kept until deleted). */
export function hoursToDuration(text: string): { seconds: bigint } | undefined {
  const m = /^(\d+)\s*h?$/.exec(text.trim());
  if (!text.trim()) return undefined;
  if (!m) throw new Error(`"${text.trim()}" is not a number of hours, e.g. 72h`);
  return { seconds: BigInt(m[1]!) * 3600n };
}

/** A retention period as hours: 259200s → 72h. */
export const durationToHours = (d: { seconds: bigint } | undefined) => (d ? `${d.seconds / 3600n}h` : undefined);

/** A backup's default display name: `<cluster>-<yyyymmdd-hhmmss>`, as the CLI names them. */
export function backupName(cluster: string, at = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-').toLowerCase();
  return `${cluster}-${stamp}`.slice(0, 63);
}
