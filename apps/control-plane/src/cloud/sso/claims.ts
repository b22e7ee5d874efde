import type { GroupRole } from '../../repositories/oidc-providers.ts';

// What a validated ID token says about the person, and the roles it gives them.

/** A reason the sign-in stops, with the HTTP status of the page that tells it. */
export class SignInRefused extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface Person {
  subject: string;
  email: string;
  /** The provider says it verified the email (`email_verified: true`): such a user may claim invites. */
  emailVerified: boolean;
  groups: string[];
}

/** The claim holding the groups: a list of strings, one string, or absent (no groups). */
function groupsOf(claims: Record<string, unknown>, claim: string): string[] {
  const value = claims[claim];
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((g) => typeof g === 'string')) return value;
  throw new SignInRefused(400, `the ID token's ${claim} claim is not a list of group names`);
}

export function personOf(claims: Record<string, unknown> | undefined, groupsClaim: string): Person {
  if (!claims) throw new SignInRefused(400, 'the provider answered without an ID token');
  const { sub, email } = claims;
  if (typeof sub !== 'string' || sub === '') throw new SignInRefused(400, 'the ID token has no subject (sub)');
  if (typeof email !== 'string' || !email.includes('@'))
    throw new SignInRefused(400, 'the ID token has no email claim; the provider must be asked for the email scope');
  // An address the provider says it has not verified would let its user claim someone else's email here.
  if (claims.email_verified === false) throw new SignInRefused(403, `the provider has not verified the email ${email}`);
  return { subject: sub, email, emailVerified: claims.email_verified === true, groups: groupsOf(claims, groupsClaim) };
}

/**
 * The roles the person's groups map to. None: refused rather than made a member with Base only;
 * a provider's users are everyone at the identity provider, and only the mapped groups were
 * meant to get into the account.
 */
export function rolesOf(person: Person, mappings: readonly GroupRole[], accountName: string): string[] {
  const groups = new Set(person.groups);
  const roleIds = [...new Set(mappings.filter((m) => groups.has(m.group)).map((m) => m.role_id))];
  if (roleIds.length === 0)
    throw new SignInRefused(
      403,
      `${person.email} is in none of the groups that give a role in the account ${accountName} (${mappings.map((m) => m.group).join(', ') || 'none is configured'}); ask its administrators`,
    );
  return roleIds;
}
