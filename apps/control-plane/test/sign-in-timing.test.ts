// "No such user" and "wrong password" must take as long: both verify one argon2id hash of the
// same cost and record one failure. A statistical test, made robust: the two kinds interleave
// (load on the machine hits both alike), 40 samples each, medians compared; a cost where argon2
// dominates the database's work. Each median must exceed the fastest bare verification, which
// shows the unknown email paid for argon2 too.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword, type Argon2Cost } from '../src/iam/passwords.ts';
import { createPasswordSignIn } from '../src/iam/sign-in.ts';
import type { Dialect } from './support/cloud.ts';
import { policy, seedUser, testClock, testDb } from './support/people.ts';

const COST: Argon2Cost = { memoryKiB: 8192, passes: 4, parallelism: 1 };
const SAMPLES = 32;

const median = (values: number[]) => {
  const sorted = values.toSorted((a, b) => a - b);
  return (sorted[(sorted.length - 1) >> 1]! + sorted[sorted.length >> 1]!) / 2;
};

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run().catch(() => undefined);
  return performance.now() - start;
}

describe.each(['sqlite', 'postgres'] as const)('password sign-in timing on %s', (dialect: Dialect) => {
  const t = testDb(dialect);

  it('an unknown email takes as long as a wrong password (medians within 25%), both above the argon2 floor', async () => {
    await seedUser(t.db, 'timed@example.com', [], { cost: COST });
    const { now } = testClock();
    // No lock and no rate limit in the way: every attempt is a full verification.
    const signIn = createPasswordSignIn(t.db, now, policy({ lockAfter: 1_000_000, perMinute: 1_000_000, cost: COST }));
    const attempt = (email: string) => () => signIn.signIn({ email, password: 'not the password', remoteAddress: '192.0.2.1' });
    const stored = await hashPassword('the password', COST);
    const unknown: number[] = [];
    const wrong: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < 3; i++) await timed(attempt('timed@example.com')); // warm up
    for (let i = 0; i < SAMPLES; i++) {
      // Alternating which goes first, so neither kind always follows the other.
      const pair = [
        () => timed(attempt(`nobody-${i}@example.com`)).then((ms) => unknown.push(ms)),
        () => timed(attempt('timed@example.com')).then((ms) => wrong.push(ms)),
      ];
      for (const run of i % 2 === 0 ? pair : pair.toReversed()) await run();
      floor.push(await timed(() => verifyPassword('x', stored)));
    }
    const [mUnknown, mWrong, minFloor] = [median(unknown), median(wrong), Math.min(...floor)];
    expect(mUnknown).toBeGreaterThan(minFloor);
    expect(mWrong).toBeGreaterThan(minFloor);
    expect(Math.abs(mUnknown - mWrong), `medians: unknown ${mUnknown.toFixed(2)} ms, wrong ${mWrong.toFixed(2)} ms`).toBeLessThan(
      0.25 * Math.max(mUnknown, mWrong),
    );
  });
});
