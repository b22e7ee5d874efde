import type { Clock } from '../repositories/tokens.ts';

// Token buckets in memory, one per key (a source address, an email). Per replica on purpose:
// the limit sheds the CPU of password hashing, which each replica spends on its own; what bounds
// the guesses at one password across every replica is the lockout, kept in the database. With R
// replicas a client gets R times the rate, and still no more than the lockout's failures.

export interface RateLimit {
  /** Requests a key may make per minute, also the burst it may make at once. */
  perMinute: number;
}

export type Take = { ok: true } | { ok: false; retryAfterMs: number };

export interface RateLimiter {
  /** Spends one token of `key`'s bucket, or answers how long until one is there. */
  take(key: string): Take;
}

/** Buckets kept at most; past it, full buckets (which behave as absent ones) are dropped first. */
const MAX_BUCKETS = 100_000;

export function createRateLimiter({ perMinute }: RateLimit, now: Clock): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  const level = (bucket: { tokens: number; at: number }, t: number) => Math.min(perMinute, bucket.tokens + (t - bucket.at) * perMs);
  const prune = (t: number) => {
    for (const [key, bucket] of buckets) if (level(bucket, t) >= perMinute) buckets.delete(key);
    // Still full of live buckets (a flood of keys): forget the oldest, which only lets them retry sooner.
    for (const key of buckets.keys()) {
      if (buckets.size < MAX_BUCKETS) break;
      buckets.delete(key);
    }
  };
  return {
    take(key) {
      const t = now();
      const bucket = buckets.get(key);
      const tokens = bucket ? level(bucket, t) : perMinute;
      if (tokens < 1) return { ok: false, retryAfterMs: Math.ceil((1 - tokens) / perMs) };
      if (!bucket && buckets.size >= MAX_BUCKETS) prune(t);
      buckets.set(key, { tokens: tokens - 1, at: t });
      return { ok: true };
    },
  };
}
