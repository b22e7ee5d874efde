import { normalEmail } from '../repositories/users.ts';

// The rule for a new password (sign-up). PEOPLE's src/iam/sign-in.ts owns it once merged; one
// function here so the merge replaces one import.

export const PASSWORD_LENGTH = { min: 12, max: 256 } as const;

/** Why `password` cannot be a new password of `email`; undefined when it can. */
export function checkNewPassword(password: string, email: string): string | undefined {
  if (password.length < PASSWORD_LENGTH.min) return `too short: at least ${PASSWORD_LENGTH.min} characters`;
  if (password.length > PASSWORD_LENGTH.max) return `too long: at most ${PASSWORD_LENGTH.max} characters`;
  if (normalEmail(password) === normalEmail(email)) return 'must not be the email';
  return undefined;
}
