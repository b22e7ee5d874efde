import { parseDurationSeconds } from '../duration.ts';
import { DEFAULT_SIGN_IN_POLICY, type SignInPolicy } from './sign-in.ts';

// The control plane's password sign-in flags; a typo stops it at start, naming the flag.

function count(flag: string, text: string, max: number): number {
  const value = /^\d{1,6}$/.test(text.trim()) ? Number(text) : NaN;
  if (!(value >= 1 && value <= max)) throw new Error(`${flag}: expected a whole number from 1 to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

export interface SignInFlags {
  lockoutAfter?: string;
  lockoutFor?: string;
  rateLimit?: string;
}

/** --sign-in-lockout-after <n> (default 10), --sign-in-lockout-for <duration> (15m), --sign-in-rate-limit <n per minute> (20). */
export function signInPolicyOf(flags: SignInFlags): SignInPolicy {
  const policy = { ...DEFAULT_SIGN_IN_POLICY };
  if (flags.lockoutAfter !== undefined) policy.lockAfter = count('--sign-in-lockout-after', flags.lockoutAfter, 1000);
  if (flags.lockoutFor !== undefined) policy.lockForMs = parseDurationSeconds('--sign-in-lockout-for', flags.lockoutFor) * 1000;
  if (flags.rateLimit !== undefined) policy.perMinute = count('--sign-in-rate-limit', flags.rateLimit, 100_000);
  return policy;
}
