// The ID token's claims as the sign-in reads them: who the person is and which roles their groups give.
import { describe, expect, it } from 'vitest';
import { personOf, rolesOf, SignInRefused } from '../src/cloud/sso/claims.ts';

const MAPPINGS = [
  { group: 'qdrant-admins', role_id: 'admin' },
  { group: 'qdrant-viewers', role_id: 'viewer' },
  { group: 'ops', role_id: 'admin' },
];

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof SignInRefused) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error('not refused');
};

describe('the person of an ID token', () => {
  it('reads subject, email and the groups claim (a list, one name, or none)', () => {
    const claims = { sub: 's1', email: 'ada@example.com', email_verified: true };
    expect(personOf({ ...claims, groups: ['a', 'b'] }, 'groups')).toEqual({ subject: 's1', email: 'ada@example.com', emailVerified: true, groups: ['a', 'b'] });
    // Only an explicit `email_verified: true` verifies the email (then the person may claim invites to it).
    expect(personOf({ sub: 's1', email: 'ada@example.com' }, 'groups').emailVerified).toBe(false);
    expect(personOf({ ...claims, roles: 'a' }, 'roles').groups).toEqual(['a']);
    expect(personOf(claims, 'groups').groups).toEqual([]);
  });

  it('refuses a token without subject or email, an unverified email, and groups that are not names', () => {
    expect(refusal(() => personOf(undefined, 'groups'))).toEqual({ status: 400, message: 'the provider answered without an ID token' });
    expect(refusal(() => personOf({ email: 'a@example.com' }, 'groups')).message).toBe('the ID token has no subject (sub)');
    expect(refusal(() => personOf({ sub: 's' }, 'groups')).message).toBe('the ID token has no email claim; the provider must be asked for the email scope');
    expect(refusal(() => personOf({ sub: 's', email: 'a@example.com', email_verified: false }, 'groups'))).toEqual({
      status: 403,
      message: 'the provider has not verified the email a@example.com',
    });
    expect(refusal(() => personOf({ sub: 's', email: 'a@example.com', groups: [1] }, 'groups')).message).toBe(
      "the ID token's groups claim is not a list of group names",
    );
  });
});

describe('the roles of a person', () => {
  it('maps every group the person is in, each role once', () => {
    expect(
      rolesOf({ subject: 's', email: 'a@example.com', emailVerified: true, groups: ['qdrant-admins', 'ops', 'qdrant-viewers', 'x'] }, MAPPINGS, 'Acme'),
    ).toEqual(['admin', 'viewer']);
  });

  it('refuses someone in none of the mapped groups (403) rather than letting them in with Base only', () => {
    expect(refusal(() => rolesOf({ subject: 's', email: 'a@example.com', emailVerified: true, groups: ['sales'] }, MAPPINGS, 'Acme'))).toEqual({
      status: 403,
      message: 'a@example.com is in none of the groups that give a role in the account Acme (qdrant-admins, qdrant-viewers, ops); ask its administrators',
    });
    expect(refusal(() => rolesOf({ subject: 's', email: 'a@example.com', emailVerified: true, groups: ['sales'] }, [], 'Acme')).message).toContain(
      '(none is configured)',
    );
  });
});
