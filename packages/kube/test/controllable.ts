/** A WorkQueue handler whose runs the test finishes by hand. */
export function controllable() {
  const runs: Array<{ key: string; resolve: (v?: { requeueAfterMs: number }) => void; reject: (e: Error) => void }> = [];
  const handler = (key: string) => new Promise<void | { requeueAfterMs: number }>((resolve, reject) => runs.push({ key, resolve, reject }));
  return { runs, handler };
}
