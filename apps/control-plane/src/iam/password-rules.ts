import { invalid } from '../cloud/qhc/fields.ts';
import { normalEmail } from '../repositories/users.ts';

// The rule for a new password (sign-up). PEOPLE's src/iam/sign-in.ts owns it with this same
// signature: once merged, this file goes and the import points there.

/** InvalidArgument naming `password` unless it may be a new password (of `email`). */
export function checkNewPassword(password: string, email?: string): void {
  const length = [...password].length;
  if (length < 12) throw invalid('password', `too short (${length} characters); use at least 12`);
  if (length > 256) throw invalid('password', `too long (${length} characters); use at most 256`);
  if (email !== undefined && password.trim().toLowerCase() === normalEmail(email)) throw invalid('password', 'must not be the email');
}
