import { sql } from 'kysely';
import type { Db } from '../db/db.ts';
import { hashToken, iso, type Clock } from './tokens.ts';
import { normalEmail } from './users.ts';

// Consecutive failed password sign-ins per email (any email: see migration 20). A count whose
// last failure is a day old starts again, so rows of emails nobody uses again are swept.

export const FAILURE_MEMORY_MS = 24 * 3600_000;

const keyOf = (email: string) => hashToken(normalEmail(email));

/** Until when sign-ins of `email` are refused; undefined when they are not. */
export async function lockedUntil(db: Db, email: string, now: Clock): Promise<string | undefined> {
  const row = await db.q.selectFrom('sign_in_failures').select('locked_until').where('email_hash', '=', keyOf(email)).executeTakeFirst();
  return row?.locked_until && row.locked_until > iso(now) ? row.locked_until : undefined;
}

/**
 * Counts a failure (atomically, replicas may count at once); the `lockAfter`th in a row locks the
 * email for `lockForMs` and starts the count again, so after the lock `lockAfter` more are allowed.
 */
export async function recordFailure(db: Db, email: string, policy: { lockAfter: number; lockForMs: number }, now: Clock): Promise<void> {
  const at = iso(now);
  const forgotten = iso(now, -FAILURE_MEMORY_MS);
  await db.tx(async (tx) => {
    const row = await tx.q
      .insertInto('sign_in_failures')
      .values({ email_hash: keyOf(email), failures: 1, locked_until: null, last_failed_at: at })
      .onConflict((oc) =>
        oc
          .column('email_hash')
          .doUpdateSet({
            failures: sql<number>`CASE WHEN sign_in_failures.last_failed_at < ${forgotten} THEN 1 ELSE sign_in_failures.failures + 1 END`,
            last_failed_at: at,
          }),
      )
      .returning(['email_hash', 'failures'])
      .executeTakeFirstOrThrow();
    if (Number(row.failures) >= policy.lockAfter)
      await tx.q
        .updateTable('sign_in_failures')
        .set({ failures: 0, locked_until: iso(now, policy.lockForMs) })
        .where('email_hash', '=', row.email_hash)
        .execute();
    await tx.q
      .deleteFrom('sign_in_failures')
      .where('last_failed_at', '<', forgotten)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', at)]))
      .execute();
  });
}

/** A successful sign-in forgets the email's failures. */
export async function clearFailures(db: Db, email: string): Promise<void> {
  await db.q.deleteFrom('sign_in_failures').where('email_hash', '=', keyOf(email)).execute();
}
