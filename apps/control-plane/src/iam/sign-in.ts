import { createHash } from 'node:crypto';
import { Code, ConnectError } from '@connectrpc/connect';
import { z } from 'zod';
import type { Db } from '../db/db.ts';
import { clearFailures, lockedUntil, recordFailure } from '../repositories/sign-in-failures.ts';
import type { Clock } from '../repositories/tokens.ts';
import { normalEmail, userByEmail, type UserRow } from '../repositories/users.ts';
import { DEFAULT_ARGON2_COST, unusablePasswordHash, verifyPassword, type Argon2Cost } from './passwords.ts';
import { createRateLimiter } from './rate-limit.ts';

// Email + password sign-in. What a stranger learns is the same for every email: an unknown email,
// an SSO-only user and a wrong password answer one message after one argon2 verification; an
// unknown email locks after as many failures as a user (the count is per email, not per user).
// Refusals that need no password (rate limit, lock) are answered before argon2 runs.

export interface SignInPolicy {
  /** Consecutive failures that lock an email (--sign-in-lockout-after). */
  lockAfter: number;
  /** How long a lock lasts (--sign-in-lockout-for). */
  lockForMs: number;
  /** Attempts per minute per source address and per email, per replica (--sign-in-rate-limit). */
  perMinute: number;
  /** The argon2id cost passwords are hashed with; unknown emails are verified at this cost. */
  cost: Argon2Cost;
}

export const DEFAULT_SIGN_IN_POLICY: SignInPolicy = { lockAfter: 10, lockForMs: 15 * 60_000, perMinute: 20, cost: DEFAULT_ARGON2_COST };

export const WRONG_CREDENTIALS = 'wrong email or password';

const invalid = (field: string, problem: string) => new ConnectError(`${field}: ${problem}`, Code.InvalidArgument);

/** A new password's rules (sign-up, password change): 12 to 256 characters, not the email. */
export function checkNewPassword(password: string, email?: string): void {
  const length = [...password].length;
  if (length < 12) throw invalid('password', `too short (${length} characters); use at least 12`);
  if (length > 256) throw invalid('password', `too long (${length} characters); use at most 256`);
  if (email !== undefined && password.trim().toLowerCase() === normalEmail(email)) throw invalid('password', 'must not be the email');
}

export interface SignInAttempt {
  email: string;
  password: string;
  remoteAddress: string;
}

export interface PasswordSignIn {
  /** The user whose password it is, or a refusal (Unauthenticated, ResourceExhausted, InvalidArgument). */
  signIn(attempt: SignInAttempt): Promise<UserRow>;
  /** How many rate-limit buckets are kept (tests hold it bounded under a flood of emails). */
  buckets(): number;
}

const EMAIL_MAX = 254;
const EMAIL = z.string().max(EMAIL_MAX).email();

/**
 * The attempt's email, lower-cased, bounded and email-shaped before anything else runs (the rate
 * limiter included): a flood of megabyte "emails" is refused, never kept. The value is not echoed:
 * people type passwords into the email field.
 */
function attemptEmail(raw: string): string {
  if (raw.length > EMAIL_MAX + 64) throw invalid('email', `longer than ${EMAIL_MAX} characters`);
  const email = normalEmail(raw);
  if (!email) throw invalid('email', 'missing');
  if (email.length > EMAIL_MAX) throw invalid('email', `longer than ${EMAIL_MAX} characters`);
  if (!EMAIL.safeParse(email).success) throw invalid('email', 'not an email address');
  return email;
}

/** A password of at most 256 characters (the longest a password may be set to), checked before the limiter and argon2. */
function checkAttemptPassword(password: string): void {
  if (!password) throw invalid('password', 'missing');
  if (password.length > 512 || [...password].length > 256) throw invalid('password', 'longer than 256 characters');
}

function rateLimited(what: string, retryAfterMs: number): ConnectError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ConnectError(`too many sign-in attempts from ${what}; retry after ${seconds}s`, Code.ResourceExhausted, { 'retry-after': String(seconds) });
}

/** `verify` is argon2id's (tests count its calls: a refusal before it must not reach it). */
export function createPasswordSignIn(db: Db, now: Clock, policy: SignInPolicy = DEFAULT_SIGN_IN_POLICY, verify = verifyPassword): PasswordSignIn {
  const limiter = createRateLimiter({ perMinute: policy.perMinute }, now);
  const unusable = unusablePasswordHash(policy.cost);
  return {
    async signIn({ email: raw, password, remoteAddress }) {
      const email = attemptEmail(raw);
      checkAttemptPassword(password);
      // The email is limited too: addresses are cheap to change, a target's email is not. Its hash
      // keys the bucket: a fixed size per entry, and no typed-in password kept in memory.
      for (const [key, what] of [
        [`address ${remoteAddress}`, 'this address'],
        [`email ${createHash('sha256').update(email).digest('base64url')}`, 'this email'],
      ] as const) {
        const take = limiter.take(key);
        if (!take.ok) throw rateLimited(what, take.retryAfterMs);
      }
      const until = await lockedUntil(db, email, now);
      if (until) throw new ConnectError(`too many failed sign-ins; try again after ${until}`, Code.Unauthenticated);
      const user = await userByEmail(db, email);
      const matches = await verify(password, user?.password_hash ?? unusable);
      if (!user || !matches || user.status !== 'active') {
        await recordFailure(db, email, { lockAfter: policy.lockAfter, lockForMs: policy.lockForMs }, now);
        throw new ConnectError(WRONG_CREDENTIALS, Code.Unauthenticated);
      }
      await clearFailures(db, email);
      return user;
    },
    buckets: () => limiter.size(),
  };
}
