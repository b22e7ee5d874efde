// The sign-in flags (a typo stops the control plane, naming the flag) and the token buckets.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIGN_IN_POLICY } from '../src/iam/sign-in.ts';
import { signInPolicyOf } from '../src/iam/sign-in-flags.ts';
import { createRateLimiter } from '../src/iam/rate-limit.ts';

describe('sign-in flags', () => {
  it('default to 10 failures, 15 minutes, 20 attempts a minute; parse the given ones', () => {
    expect(signInPolicyOf({})).toEqual(DEFAULT_SIGN_IN_POLICY);
    expect(DEFAULT_SIGN_IN_POLICY).toMatchObject({ lockAfter: 10, lockForMs: 900_000, perMinute: 20 });
    expect(signInPolicyOf({ lockoutAfter: '5', lockoutFor: '1h', rateLimit: '60' })).toMatchObject({ lockAfter: 5, lockForMs: 3_600_000, perMinute: 60 });
  });

  it('refuse what is not a count or a duration, naming the flag', () => {
    expect(() => signInPolicyOf({ lockoutAfter: '0' })).toThrow(/^--sign-in-lockout-after: expected a whole number from 1 to 1000, got "0"$/);
    expect(() => signInPolicyOf({ lockoutAfter: 'ten' })).toThrow(/^--sign-in-lockout-after/);
    expect(() => signInPolicyOf({ lockoutFor: '10' })).toThrow(/^--sign-in-lockout-for: expected a duration from 1m to 30d/);
    expect(() => signInPolicyOf({ rateLimit: '1.5' })).toThrow(/^--sign-in-rate-limit/);
  });
});

describe('rate limiter', () => {
  it('allows a burst of the per-minute rate, then one more per 60/rate seconds, per key', () => {
    const clock = { now: 0 };
    const limiter = createRateLimiter({ perMinute: 2 }, () => clock.now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([{ ok: true }, { ok: true }, { ok: false, retryAfterMs: 30_000 }]);
    expect(limiter.take('b')).toEqual({ ok: true });
    clock.now += 29_999;
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterMs: 1 });
    clock.now += 1;
    expect([limiter.take('a'), limiter.take('a')]).toEqual([{ ok: true }, { ok: false, retryAfterMs: 30_000 }]);
  });
});
