import type { Db } from '../db/db.ts';
import { iso, type Clock } from './tokens.ts';
import { addMember, insertUser, markEmailVerified, userByEmail, userById, type UserRow } from './users.ts';

// The people who sign in through a provider: found by (provider, subject), never by the email a
// token claims, so a provider cannot take over a user another provider or a password made.

/** Why an identity cannot sign in: told to the person on the callback's page. */
export class IdentityRefused extends Error {}

export interface OidcSignIn {
  providerId: string;
  accountId: string;
  subject: string;
  email: string;
  /** The provider verified the email: the user's is marked verified (invites to it may then be claimed). */
  emailVerified: boolean;
  /** The roles the groups claim maps to (Base is added); replaces the member's roles in the account. */
  roleIds: readonly string[];
}

/** The user of (provider, subject), made on their first sign-in (no password), a member of the provider's account with exactly `roleIds` + Base. */
export async function signInIdentity(db: Db, signIn: OidcSignIn, now: Clock): Promise<UserRow> {
  return db.tx(async (tx) => {
    const user = (await linkedUser(tx, signIn)) ?? (await newUser(tx, signIn, now));
    if (user.status !== 'active') throw new IdentityRefused(`the user ${user.email} is ${user.status}`);
    await setMemberRoles(tx, signIn.accountId, user.id, signIn.roleIds, now);
    if (signIn.emailVerified && user.email_verified_at === null) await markEmailVerified(tx, user.id, now);
    return user;
  });
}

async function linkedUser(tx: Db, signIn: OidcSignIn): Promise<UserRow | undefined> {
  const identity = await tx.q
    .selectFrom('oidc_identities')
    .select('user_id')
    .where('provider_id', '=', signIn.providerId)
    .where('subject', '=', signIn.subject)
    .executeTakeFirst();
  return identity ? userById(tx, identity.user_id) : undefined;
}

async function newUser(tx: Db, signIn: OidcSignIn, now: Clock): Promise<UserRow> {
  if (await userByEmail(tx, signIn.email))
    throw new IdentityRefused(
      `a user with the email ${signIn.email} already exists and signs in another way; an email the provider claims does not make its user`,
    );
  const user = await insertUser(tx, signIn.email, null, now);
  await tx.q
    .insertInto('oidc_identities')
    .values({ provider_id: signIn.providerId, subject: signIn.subject, user_id: user.id, created_at: iso(now) })
    .execute();
  return user;
}

/** Membership with exactly `roleIds` and Base: a group removed at the provider removes its role. */
async function setMemberRoles(tx: Db, accountId: string, userId: string, roleIds: readonly string[], now: Clock): Promise<void> {
  const base = await tx.q.selectFrom('roles').select('id').where('account_id', '=', accountId).where('sub_type', '=', 'base').executeTakeFirst();
  const keep = [...new Set([...roleIds, ...(base ? [base.id] : [])])];
  let stale = tx.q.deleteFrom('user_roles').where('account_id', '=', accountId).where('user_id', '=', userId);
  if (keep.length > 0) stale = stale.where('role_id', 'not in', keep);
  await stale.execute();
  await addMember(tx, accountId, userId, roleIds, now);
}
