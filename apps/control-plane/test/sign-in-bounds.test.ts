// Password sign-in bounds what it is given before anything else runs, the rate limiter
// included: a flood of distinct long "emails" leaves no trace in memory, and the limiter's
// buckets stay bounded however many distinct keys arrive.
import { Code, ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../src/iam/rate-limit.ts';
import { createPasswordSignIn } from '../src/iam/sign-in.ts';
import type { Dialect } from './support/cloud.ts';
import { PASSWORD, policy, testClock, testDb } from './support/people.ts';

const refusal = async (attempt: Promise<unknown>) => {
  const error = ConnectError.from(
    await attempt.then(
      () => new Error('signed in'),
      (e: unknown) => e,
    ),
  );
  return [error.code, error.rawMessage];
};

describe.each(['sqlite', 'postgres'] as const)('sign-in input bounds on %s', (dialect: Dialect) => {
  const t = testDb(dialect);

  it('refuses 10,000 distinct long emails before the limiter: it keeps no bucket for them', async () => {
    const { now } = testClock();
    let verified = 0;
    const signIn = createPasswordSignIn(t.db, now, policy(), async () => ++verified > 0);
    for (let i = 0; i < 10_000; i++) {
      const email = `${'x'.repeat(4_000)}${i}@example.test`;
      expect(await refusal(signIn.signIn({ email, password: PASSWORD, remoteAddress: '203.0.113.7' }))).toEqual([
        Code.InvalidArgument,
        'email: longer than 254 characters',
      ]);
    }
    expect([signIn.buckets(), verified]).toEqual([0, 0]);
  });

  it('refuses a non-email and a password past 256 characters, naming the field, without a bucket or argon2', async () => {
    const { now } = testClock();
    let verified = 0;
    const signIn = createPasswordSignIn(t.db, now, policy(), async () => ++verified > 0);
    const attempt = (email: string, password: string) => refusal(signIn.signIn({ email, password, remoteAddress: '203.0.113.8' }));
    expect(await attempt('my secret password', PASSWORD)).toEqual([Code.InvalidArgument, 'email: not an email address']);
    expect(await attempt('ann@example.test', 'p'.repeat(257))).toEqual([Code.InvalidArgument, 'password: longer than 256 characters']);
    expect(await attempt('ann@example.test', '😀'.repeat(257))).toEqual([Code.InvalidArgument, 'password: longer than 256 characters']);
    expect([signIn.buckets(), verified]).toEqual([0, 0]);
  });
});

describe('the rate limiter keeps a bounded number of buckets', () => {
  it('10,000 distinct keys at once keep at most maxBuckets', () => {
    const { now } = testClock();
    const limiter = createRateLimiter({ perMinute: 5, maxBuckets: 500 }, now);
    for (let i = 0; i < 10_000; i++) expect(limiter.take(`email ${i}`).ok).toBe(true);
    expect(limiter.size()).toBe(500);
  });

  it('drops idle (full) buckets a few per take, the idlest first', () => {
    const { clock, now } = testClock();
    const limiter = createRateLimiter({ perMinute: 5 }, now);
    for (let i = 0; i < 10_000; i++) limiter.take(`old ${i}`);
    expect(limiter.size()).toBe(10_000);
    clock.now += 60_000;
    // Each take drops up to 4 idle buckets: 2,500 takes of one busy key drain every idle one.
    for (let i = 0; i < 2_500; i++) {
      clock.now += 12_000;
      limiter.take('busy');
    }
    expect(limiter.size()).toBe(1);
  });
});
