/** The default number of independent clusters applied at once (--apply-concurrency). */
export const DEFAULT_APPLY_CONCURRENCY = 8;

/**
 * `work` for every item, at most `limit` at a time. Every item is tried even when one fails
 * (one bad cluster must not hold back the others); the first failure is thrown at the end.
 */
export async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item).catch((error: unknown) => void failures.push(error));
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    const first = failures[0] instanceof Error ? failures[0].message : String(failures[0]);
    throw new Error(`${failures.length} applies failed; the first: ${first}`, { cause: failures[0] });
  }
}
