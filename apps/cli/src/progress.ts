import { CliError, EXIT } from './exit.ts';

export interface Observation {
  done: boolean;
  phase?: string;
  ready?: number;
  size?: number;
}

/**
 * Waits for `observe` to say done, up to `timeoutMs`. On a terminal (stderr a TTY, NO_COLOR
 * honoured for colour) one live line shows the phase, nodes ready of desired and the time
 * elapsed; piped, nothing but a final line, so logs stay clean.
 */
export async function waitUntil(what: string, observe: () => Promise<Observation>, options: { timeoutMs: number; intervalMs?: number }): Promise<Observation> {
  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  const colour = tty && !process.env.NO_COLOR;
  const line = (o: Observation) => {
    const seconds = Math.round((Date.now() - started) / 1000);
    const phase = colour ? `\u001b[1m${o.phase ?? 'Pending'}\u001b[0m` : (o.phase ?? 'Pending');
    return `${what}: ${phase}, ${o.ready ?? 0}/${o.size ?? '?'} nodes ready, ${seconds}s`;
  };
  let last: Observation = { done: false };
  for (;;) {
    last = await observe();
    if (tty) process.stderr.write(`\r\u001b[2K${line(last)}`);
    if (last.done) {
      process.stderr.write(tty ? '\n' : `${line(last)}\n`);
      return last;
    }
    if (Date.now() - started >= options.timeoutMs) {
      if (tty) process.stderr.write('\n');
      throw new CliError(
        `timed out after ${Math.round(options.timeoutMs / 1000)}s waiting for ${what} (last: ${last.phase ?? 'unknown'}, ${last.ready ?? 0}/${last.size ?? '?'} nodes ready)`,
        { code: EXIT.timeout, hint: 'it may still get there: check with `qhc cluster get`, or wait longer with --timeout' },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1_000));
  }
}

/** "90s", "5m", "1h" → ms. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new CliError(`--timeout "${text}" is not a duration`, { code: EXIT.usage, hint: 'e.g. 90s, 10m, 1h' });
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
}
