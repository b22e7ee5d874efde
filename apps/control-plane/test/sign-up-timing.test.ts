// Sign-up of an email that exists answers AlreadyExists (it must: sign-up signs in at once, and
// qhc sends no mail to confirm), but only after hashing the password as a new email's sign-up
// does: the answer's time does not tell first. Each existing-email sign-up must take longer than
// the fastest bare argon2 hash of the same cost.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { hashPassword, type Argon2Cost } from '../src/iam/passwords.ts';
import { ACCESS, connect, PASSWORD, signUp, signUpBody } from './support/accounts.ts';
import { cloudPlane, type Dialect } from './support/cloud.ts';
import { email } from './support/members.ts';
import { policy } from './support/people.ts';

const COST: Argon2Cost = { memoryKiB: 8192, passes: 4, parallelism: 1 };

describe.each(['sqlite', 'postgres'] as const)('sign-up of an existing email on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, signIn: policy({ cost: COST, perMinute: 1_000_000 }) });

  it('hashes the password before answering AlreadyExists', async () => {
    const taken = email('taken');
    await signUp(plane, taken);
    const existing: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < 8; i++) {
      const start = performance.now();
      const res = await connect(plane, ACCESS, 'SignUp', signUpBody(taken));
      existing.push(performance.now() - start);
      expect(res.json.code).toBe('already_exists');
      const hashStart = performance.now();
      await hashPassword(PASSWORD, COST);
      floor.push(performance.now() - hashStart);
    }
    expect(Math.min(...existing), `existing ${existing.map((ms) => ms.toFixed(1))}, hash ${floor.map((ms) => ms.toFixed(1))}`).toBeGreaterThan(
      Math.min(...floor) * 0.8,
    );
  });
});
