import type { Clock } from '../repositories/tokens.ts';

// Token buckets in memory, one per key (a source address, an email's hash). Per replica on
// purpose: the limit sheds the CPU of password hashing, which each replica spends on its own;
// what bounds the guesses at one password across every replica is the lockout, kept in the
// database. With R replicas a client gets R times the rate, and still no more than the lockout's.

export interface RateLimit {
  /** Requests a key may make per minute, also the burst it may make at once. */
  perMinute: number;
  /** Buckets kept at most (default MAX_BUCKETS); past it the least recently used is forgotten. */
  maxBuckets?: number;
}

export type Take = { ok: true } | { ok: false; retryAfterMs: number };

export interface RateLimiter {
  /** Spends one token of `key`'s bucket, or answers how long until one is there. */
  take(key: string): Take;
  /** How many buckets are kept (tests hold it bounded). */
  size(): number;
}

/** Buckets kept at most: a flood of distinct keys costs this many small entries, never more. */
export const MAX_BUCKETS = 100_000;
/** Idle buckets looked at per take: pruning costs O(1) per request, never a sweep of the map. */
const PRUNED_PER_TAKE = 4;

export function createRateLimiter({ perMinute, maxBuckets = MAX_BUCKETS }: RateLimit, now: Clock): RateLimiter {
  // Insertion order is recency: a bucket is moved to the end when used, so the first ones are the idlest.
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  const level = (bucket: { tokens: number; at: number }, t: number) => Math.min(perMinute, bucket.tokens + (t - bucket.at) * perMs);
  const prune = (t: number) => {
    let looked = 0;
    for (const [key, bucket] of buckets) {
      // A full bucket behaves as an absent one; the idlest first, so the first not full ends the look.
      if (looked++ >= PRUNED_PER_TAKE || level(bucket, t) < perMinute) break;
      buckets.delete(key);
    }
    // Still at the bound (a flood of keys): forget the least recently used, which only lets it retry sooner.
    while (buckets.size >= maxBuckets) buckets.delete(buckets.keys().next().value!);
  };
  return {
    take(key) {
      const t = now();
      const bucket = buckets.get(key);
      const tokens = bucket ? level(bucket, t) : perMinute;
      if (tokens < 1) return { ok: false, retryAfterMs: Math.ceil((1 - tokens) / perMs) };
      buckets.delete(key);
      prune(t);
      buckets.set(key, { tokens: tokens - 1, at: t });
      return { ok: true };
    },
    size: () => buckets.size,
  };
}
