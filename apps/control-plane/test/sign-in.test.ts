// Password sign-in against the database (SQLite and PostgreSQL): argon2id at rest, the lockout
// per email (known or not: the answers never tell which emails exist), the per-replica rate
// limits, and that refusals needing no password never run argon2. The clock is the test's.
import { createHash } from 'node:crypto';
import { Code, ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/iam/passwords.ts';
import { checkNewPassword, createPasswordSignIn, WRONG_CREDENTIALS, type SignInPolicy } from '../src/iam/sign-in.ts';
import type { Dialect } from './support/cloud.ts';
import { PASSWORD, policy, seedAccount, seedUser, testClock, testDb } from './support/people.ts';
import { sqlOn } from './support/sql.ts';

/** The refusal of an attempt (fails the test if it signed in). */
async function refusal(attempt: Promise<unknown>): Promise<ConnectError> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ConnectError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

/** A sign-in whose argon2 verifications are counted. */
function counted(db: Parameters<typeof createPasswordSignIn>[0], overrides: Partial<SignInPolicy> = {}) {
  const { clock, now } = testClock();
  const calls = { verify: 0 };
  const signIn = createPasswordSignIn(db, now, policy(overrides), (password, stored) => {
    calls.verify++;
    return verifyPassword(password, stored);
  });
  const attempt = (email: string, password: string, remoteAddress = '192.0.2.1') => signIn.signIn({ email, password, remoteAddress });
  return { clock, calls, attempt };
}

describe.each(['sqlite', 'postgres'] as const)('password sign-in on %s: stored hashes and the lockout', (dialect: Dialect) => {
  const t = testDb(dialect);

  it('stores argon2id, never the password, and signs in with it (email in any case)', async () => {
    const { accountId } = await seedAccount(t.db, 'hashes');
    const userId = await seedUser(t.db, 'Hash@Example.com', [{ accountId }]);
    const row = await sqlOn(t.db).one<{ email: string; password_hash: string }>('SELECT email, password_hash FROM users WHERE id = $1', [userId]);
    expect(row!.email).toBe('hash@example.com');
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(row!.password_hash).not.toContain(PASSWORD);
    const { attempt } = counted(t.db);
    expect((await attempt(' HASH@example.COM ', PASSWORD)).id).toBe(userId);
  });

  it('locks after 10 failures: even the right password is refused until the lock ends, without argon2', async () => {
    await seedUser(t.db, 'locked@example.com');
    const { clock, calls, attempt } = counted(t.db);
    for (let i = 0; i < 10; i++) {
      const error = await refusal(attempt('locked@example.com', `wrong ${i}`));
      expect([error.code, error.rawMessage]).toEqual([Code.Unauthenticated, WRONG_CREDENTIALS]);
    }
    expect(calls.verify).toBe(10);
    const until = new Date(clock.now + 15 * 60_000).toISOString();
    const locked = await refusal(attempt('locked@example.com', PASSWORD));
    expect([locked.code, locked.rawMessage]).toEqual([Code.Unauthenticated, `too many failed sign-ins; try again after ${until}`]);
    clock.now += 15 * 60_000 - 1;
    expect((await refusal(attempt('locked@example.com', PASSWORD))).rawMessage).toMatch(/^too many failed sign-ins/);
    expect(calls.verify).toBe(10);
    clock.now += 1;
    expect((await attempt('locked@example.com', PASSWORD)).email).toBe('locked@example.com');
    expect(calls.verify).toBe(11);
  });

  it('a success resets the count: 9 failures, a success, 9 more do not lock; the 10th in a row does', async () => {
    await seedUser(t.db, 'reset@example.com');
    const { attempt } = counted(t.db);
    for (let i = 0; i < 9; i++) await refusal(attempt('reset@example.com', 'wrong'));
    await attempt('reset@example.com', PASSWORD);
    for (let i = 0; i < 9; i++) expect((await refusal(attempt('reset@example.com', 'wrong'))).rawMessage).toBe(WRONG_CREDENTIALS);
    expect((await attempt('reset@example.com', PASSWORD)).email).toBe('reset@example.com');
    for (let i = 0; i < 10; i++) await refusal(attempt('reset@example.com', 'wrong'));
    expect((await refusal(attempt('reset@example.com', PASSWORD))).rawMessage).toMatch(/^too many failed sign-ins; try again after /);
  });

  it('forgets a count idle for a day (its row is swept), so old failures do not add up to a lock', async () => {
    await seedUser(t.db, 'idle@example.com');
    const { clock, attempt } = counted(t.db);
    for (let i = 0; i < 9; i++) await refusal(attempt('idle@example.com', 'wrong'));
    clock.now += 24 * 3600_000 + 1;
    // Another email's failure sweeps the idle row.
    await refusal(attempt('sweeper@example.com', 'wrong'));
    const idle = createHash('sha256').update('idle@example.com').digest('hex');
    expect(await sqlOn(t.db).all('SELECT * FROM sign_in_failures WHERE email_hash = $1', [idle])).toEqual([]);
    for (let i = 0; i < 9; i++) expect((await refusal(attempt('idle@example.com', 'wrong'))).rawMessage).toBe(WRONG_CREDENTIALS);
    expect((await attempt('idle@example.com', PASSWORD)).email).toBe('idle@example.com');
  });

  it('answers an unknown email as a wrong password, after a verification, and locks it the same way', async () => {
    const { clock, calls, attempt } = counted(t.db);
    for (let i = 0; i < 10; i++) {
      const error = await refusal(attempt('nobody@example.com', PASSWORD));
      expect([error.code, error.rawMessage]).toEqual([Code.Unauthenticated, WRONG_CREDENTIALS]);
    }
    expect(calls.verify).toBe(10);
    const until = new Date(clock.now + 15 * 60_000).toISOString();
    expect((await refusal(attempt('nobody@example.com', PASSWORD))).rawMessage).toBe(`too many failed sign-ins; try again after ${until}`);
    expect(calls.verify).toBe(10);
    // Emails are not stored: a password typed into the email field stays out of the database.
    expect(JSON.stringify(await sqlOn(t.db).all('SELECT * FROM sign_in_failures'))).not.toContain('nobody');
  });
});

describe.each(['sqlite', 'postgres'] as const)('password sign-in on %s: rate limits and users who cannot sign in', (dialect: Dialect) => {
  const t = testDb(dialect);

  it('limits attempts per source address: ResourceExhausted with a retry-after, no argon2; other addresses go on', async () => {
    const { clock, calls, attempt } = counted(t.db, { perMinute: 3 });
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) await refusal(attempt(email, 'pw', '198.51.100.7'));
    const limited = await refusal(attempt('d@example.com', 'pw', '198.51.100.7'));
    expect([limited.code, limited.rawMessage]).toEqual([Code.ResourceExhausted, 'too many sign-in attempts from this address; retry after 20s']);
    expect(limited.metadata.get('retry-after')).toBe('20');
    expect(calls.verify).toBe(3);
    expect((await refusal(attempt('d@example.com', 'pw', '198.51.100.8'))).code).toBe(Code.Unauthenticated);
    clock.now += 20_000;
    expect((await refusal(attempt('e@example.com', 'pw', '198.51.100.7'))).code).toBe(Code.Unauthenticated);
  });

  it('limits attempts per email, whatever the address', async () => {
    const { calls, attempt } = counted(t.db, { perMinute: 3 });
    for (let i = 0; i < 3; i++) await refusal(attempt('target@example.com', 'pw', `203.0.113.${i}`));
    const limited = await refusal(attempt('TARGET@example.com', 'pw', '203.0.113.99'));
    expect([limited.code, limited.rawMessage]).toEqual([Code.ResourceExhausted, 'too many sign-in attempts from this email; retry after 20s']);
    expect(calls.verify).toBe(3);
  });

  it('refuses an SSO-only or disabled user with the same answer, and missing fields by name', async () => {
    const { accountId } = await seedAccount(t.db, 'cannot');
    const disabled = await seedUser(t.db, 'disabled@example.com', [{ accountId }]);
    await sqlOn(t.db).run("UPDATE users SET status = 'disabled' WHERE id = $1", [disabled]);
    const sso = await seedUser(t.db, 'sso@example.com', [{ accountId }]);
    await sqlOn(t.db).run('UPDATE users SET password_hash = NULL WHERE id = $1', [sso]);
    const { attempt } = counted(t.db);
    for (const email of ['disabled@example.com', 'sso@example.com']) expect((await refusal(attempt(email, PASSWORD))).rawMessage).toBe(WRONG_CREDENTIALS);
    expect((await refusal(attempt('  ', PASSWORD))).rawMessage).toBe('email: missing');
    expect((await refusal(attempt('x@example.com', ''))).rawMessage).toBe('password: missing');
  });
});

describe('new passwords', () => {
  it('are 12 to 256 characters and not the email', () => {
    expect(() => checkNewPassword('short pass!')).toThrow('password: too short (11 characters); use at least 12');
    expect(() => checkNewPassword('x'.repeat(257))).toThrow('password: too long (257 characters); use at most 256');
    expect(() => checkNewPassword('Alice@Example.com', 'alice@example.com')).toThrow('password: must not be the email');
    // Characters, not UTF-16 units: twelve emoji are twelve characters.
    expect(() => checkNewPassword('🔑'.repeat(12))).not.toThrow();
    expect(() => checkNewPassword('x'.repeat(256), 'alice@example.com')).not.toThrow();
  });
});
