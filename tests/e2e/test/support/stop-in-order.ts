/**
 * Stops what a test file started, one after another, each within `ms` (five stops of 20 s fit
 * in the hooks' 120 s). A stop that does not end in time is named in the error the hook fails
 * with, and the stops after it still run: a hook that times out as a whole would not say which
 * one hung.
 */
export async function stopInOrder(stops: ReadonlyArray<readonly [string, () => Promise<unknown>]>, ms = 20_000): Promise<void> {
  const failed: string[] = [];
  for (const [name, stop] of stops) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`did not stop within ${ms} ms`)), ms)));
    try {
      await Promise.race([stop(), late]);
    } catch (error) {
      failed.push(`${name}: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
  if (failed.length > 0) throw new Error(`stopping failed: ${failed.join('; ')}`);
}
