import { create, toJson } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { iamV1, qhcV1 } from '@qhc/cloud-api';
import { describe, expect, it } from 'vitest';
import {
  accountStatusLabel,
  billingFromForm,
  billingProblems,
  emptyBilling,
  emptySignUp,
  formFromBilling,
  signUpProblems,
  signUpRequest,
} from '../app/src/lib/accounts.ts';
import { can, isPermissionDenied } from '../app/src/lib/permissions.ts';
import { isCustom, permissionGroups, roleChanges, roleKind, roleNames } from '../app/src/lib/roles.ts';

const billing = { ...emptyBilling, companyName: 'Acme GmbH', billingEmail: 'billing@acme.test', country: 'de', city: ' Berlin ' };
const form = { ...emptySignUp, email: 'ada@acme.test', password: 'correct horse battery', accountName: 'acme', companyName: 'Acme', billing };

describe('the sign-up form', () => {
  it('becomes a SignUpRequest the proto accepts: trimmed, the country in capitals, no domain when none was given', () => {
    const request = create(qhcV1.SignUpRequestSchema, signUpRequest(form));
    expect(toJson(qhcV1.SignUpRequestSchema, request)).toEqual({
      email: 'ada@acme.test',
      password: 'correct horse battery',
      accountName: 'acme',
      company: { name: 'Acme' },
      billingInformation: { companyName: 'Acme GmbH', city: 'Berlin', country: 'DE', billingEmail: 'billing@acme.test' },
    });
    expect(signUpRequest({ ...form, companyName: '', companyDomain: ' acme.test ' }).company).toEqual({ name: 'Acme GmbH', domain: 'acme.test' });
  });

  it('says what the server would refuse: the password rule, the emails, the country code, required names', () => {
    expect(signUpProblems(form)).toEqual([]);
    expect(signUpProblems({ ...form, password: 'short' })).toEqual(['password: must have 12 to 256 characters']);
    expect(signUpProblems({ ...form, password: 'x'.repeat(257) })).toEqual(['password: must have 12 to 256 characters']);
    expect(signUpProblems({ ...form, email: 'long-enough@acme.test', password: 'Long-Enough@acme.test' })).toEqual(['password: must not be the email']);
    expect(signUpProblems({ ...emptySignUp, password: 'correct horse battery' })).toEqual([
      'email: must be an email address',
      'account name: required',
      'billing company name: required',
      'billing email: must be an email address',
    ]);
    expect(billingProblems({ ...billing, country: 'Germany' })).toEqual(['country: must be a two-letter ISO 3166-1 code, e.g. DE']);
  });

  it('stored billing information fills the form, and the form gives it back', () => {
    const stored = create(qhcV1.BillingInformationSchema, billingFromForm(billing));
    expect(formFromBilling(stored)).toEqual({ ...billing, country: 'DE', city: 'Berlin' });
    expect(formFromBilling(undefined)).toEqual(emptyBilling);
  });

  it('account statuses in words', () => {
    expect([1, 2, 3, 0].map(accountStatusLabel)).toEqual(['Pending approval', 'Approved', 'Rejected', 'Unknown']);
    expect([qhcV1.AccountStatus.PENDING, qhcV1.AccountStatus.APPROVED, qhcV1.AccountStatus.REJECTED]).toEqual([1, 2, 3]);
  });
});

describe('permissions and roles', () => {
  it('an action shows when every permission it needs is held, or while the permissions are unknown', () => {
    const held = new Set(['read:clusters', 'write:clusters']);
    expect([
      can(held, 'write:clusters'),
      can(held, 'write:clusters', 'delete:clusters'),
      can(undefined, 'delete:account'),
      can(new Set(), 'read:roles'),
    ]).toEqual([true, false, true, false]);
  });

  it('a PermissionDenied answer is recognised as one (and shown as such), other errors are not', () => {
    expect(isPermissionDenied(new ConnectError('missing permission write:roles', Code.PermissionDenied))).toBe(true);
    expect([isPermissionDenied(new ConnectError('no', Code.NotFound)), isPermissionDenied(new Error('x')), isPermissionDenied(undefined)]).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('AssignUserRoles gets exactly the difference', () => {
    expect(roleChanges(['a', 'b'], ['b', 'c'])).toEqual({ roleIdsToAdd: ['c'], roleIdsToDelete: ['a'] });
    expect(roleChanges(['a'], ['a'])).toEqual({ roleIdsToAdd: [], roleIdsToDelete: [] });
  });

  it('permissions grouped by category, else by their object; built-in roles are not custom', () => {
    const groups = permissionGroups([
      { value: 'write:clusters' },
      { value: 'read:clusters' },
      { value: 'read:roles', category: 'IAM' },
      { value: 'read:clusters' },
    ]);
    expect(groups).toEqual([
      ['clusters', ['read:clusters', 'write:clusters']],
      ['IAM', ['read:roles']],
    ]);
    const owner = create(iamV1.RoleSchema, { id: 'o', name: 'Owner', roleType: iamV1.RoleType.SYSTEM });
    const custom = create(iamV1.RoleSchema, { id: 'c', name: 'Ops', roleType: iamV1.RoleType.CUSTOM });
    expect([isCustom(owner), isCustom(custom), roleKind(owner), roleKind(custom)]).toEqual([false, true, 'Built-in', 'Custom']);
    expect(roleNames(['c', 'gone', 'o'], [owner, custom])).toEqual(['Ops', 'gone', 'Owner']);
  });
});
