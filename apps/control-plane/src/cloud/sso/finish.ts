import type { Logger } from '@qhc/kube';
import type { Db } from '../../db/db.ts';
import { IdentityRefused, signInIdentity } from '../../repositories/oidc-identities.ts';
import { groupRolesOf, type OidcProviderRow } from '../../repositories/oidc-providers.ts';
import type { Clock } from '../../repositories/tokens.ts';
import { createUserSession } from '../../repositories/user-sessions.ts';
import { personOf, rolesOf, SignInRefused } from './claims.ts';

// A validated ID token becomes a member of the provider's account, with the roles its groups
// map to (set again on every sign-in), and a console session.

export interface FinishOptions {
  db: Db;
  now: Clock;
  logger: Pick<Logger, 'info'>;
  sessions: { ttlSeconds: number };
}

export async function finishSignIn(options: FinishOptions, row: OidcProviderRow, claims: Record<string, unknown> | undefined): Promise<{ secret: string }> {
  const { db, now } = options;
  const person = personOf(claims, row.groups_claim);
  const account = await db.q.selectFrom('accounts').select('name').where('id', '=', row.account_id).executeTakeFirstOrThrow();
  const roleIds = rolesOf(person, groupRolesOf(row), account.name);
  let userId: string;
  try {
    const user = await signInIdentity(
      db,
      { providerId: row.id, accountId: row.account_id, subject: person.subject, email: person.email, emailVerified: person.emailVerified, roleIds },
      now,
    );
    userId = user.id;
  } catch (error) {
    if (error instanceof IdentityRefused) throw new SignInRefused(403, error.message);
    throw error;
  }
  const { secret } = await createUserSession(db, userId, row.account_id, options.sessions.ttlSeconds, now);
  options.logger.info('oidc sign-in', { providerId: row.id, accountId: row.account_id, userId, roles: roleIds.length });
  return { secret };
}
