import type { Db } from './db/db.ts';
import { markEmailVerified, normalEmail, userByEmail } from './repositories/users.ts';
import { rotateSecrets } from './secrets/rotate.ts';

// The control plane's one-shot commands: they open the database, do one thing, and exit (no
// server). qhc delivers no mail, so an instance administrator vouches for an email here.

export const COMMANDS = ['rotate-secrets', 'verify-email <email>'] as const;

/** Whether `positionals` name a known command with its arguments (else the error says which there are). */
export function checkCommand(positionals: readonly string[]): void {
  const [name, ...args] = positionals;
  if ((name === 'rotate-secrets' && args.length === 0) || (name === 'verify-email' && args.length === 1)) return;
  throw new Error(`unknown command ${positionals.join(' ')} (there are: ${COMMANDS.join(', ')})`);
}

/** Runs a checked command against an opened database; the answer is the line printed on success. */
export async function runCommand(db: Db, positionals: readonly string[], now: () => number = Date.now): Promise<string> {
  const [name, email] = positionals;
  if (name === 'rotate-secrets') {
    // Opening rotates (as every start does) and logs what it rewrote; this pass finds nothing left, or fails.
    await rotateSecrets(db);
    return `every secret is encrypted under key ${db.secrets.primary.id}`;
  }
  const user = await userByEmail(db, email!);
  if (!user) throw new Error(`verify-email: no user has the email ${normalEmail(email!)}`);
  await markEmailVerified(db, user.id, now);
  return `the email ${user.email} of user ${user.id} is verified: they may now accept invites sent to it`;
}
