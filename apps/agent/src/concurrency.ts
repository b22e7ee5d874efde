/** The default number of independent clusters applied at once (--apply-concurrency). */
export const DEFAULT_APPLY_CONCURRENCY = 8;

/**
 * `work` for every item, at most `limit` at a time. Every item is tried even when one fails
 * (one bad cluster must not hold back the others); a failure is thrown at the end, several as
 * one AggregateError naming each.
 */
export async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      // try/await, not .catch: a `work` that throws before its promise must not end the worker.
      try {
        await work(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, failedMessage(failures));
}

/** The most failures named in one message: the rest are counted (the message goes into logs and the region's status). */
const NAMED_FAILURES = 5;

/** Each failure's message (they name their object), so none is hidden behind the first. */
function failedMessage(failures: unknown[]): string {
  const messages = failures.slice(0, NAMED_FAILURES).map((f) => (f instanceof Error ? f.message : String(f)));
  const more = failures.length > NAMED_FAILURES ? `; and ${failures.length - NAMED_FAILURES} more` : '';
  return `${failures.length} applies failed: ${messages.join('; ')}${more}`;
}
