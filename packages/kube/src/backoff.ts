import type { BackOffSettings } from '@qhc/schemas';

/**
 * The operator settings' incremental backoff (seconds): the first retry waits minDelay,
 * each further one `increment` more, never more than maxDelay.
 */
export function incrementalBackoffMs(settings: BackOffSettings, attempt: number): number {
  const step = Math.max(0, attempt - 1);
  return Math.min(settings.maxDelay, settings.minDelay + settings.increment * step) * 1000;
}

/** Capped exponential backoff with ±20% jitter, for reconnects. */
export function exponentialBackoffMs(attempt: number, options: { baseMs?: number; maxMs?: number; random?: () => number } = {}): number {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const raw = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  const jitter = 0.8 + 0.4 * (options.random ?? Math.random)();
  return Math.min(max, Math.round(raw * jitter));
}
