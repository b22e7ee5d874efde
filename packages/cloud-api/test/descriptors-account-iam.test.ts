// Qdrant Cloud's AccountService and IAMService as qhc serves them: rpcs, routes, permissions, scoping and
// the fields the console, the CLI and the Terraform provider read, checked row by row against upstream.
import { getOption, hasOption, type DescService } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { accountV1, commonV1, iamV1 } from '../src/index.ts';
import { checkService, methodOf, type RouteRow } from './descriptor-check.ts';

const ACC = '/api/account/v1/accounts';
const IAM = '/api/iam/v1';

const accountRoutes: RouteRow[] = [
  ['ListAccounts', 'get', ACC, ''],
  ['GetAccount', 'get', `${ACC}/{account_id}`, 'read:account'],
  ['CreateAccount', 'post', ACC, ''],
  ['UpdateAccount', 'put', `${ACC}/{account.id}`, 'write:account'],
  ['DeleteAccount', 'delete', `${ACC}/{account_id}`, 'delete:account'],
  ['LeaveAccount', 'post', `${ACC}/{account_id}/leave`, ''],
  ['ListAccountInvites', 'get', `${ACC}/{account_id}/invites`, 'read:invites'],
  ['ListReceivedAccountInvites', 'get', '/api/account/v1/self/invites', ''],
  ['GetAccountInvite', 'get', `${ACC}/{account_id}/invites/{invite_id}`, 'read:invites'],
  ['CreateAccountInvite', 'post', `${ACC}/{account_invite.account_id}/invites`, 'write:invites'],
  ['DeleteAccountInvite', 'delete', `${ACC}/{account_id}/invites/{invite_id}`, 'delete:invites'],
  ['AcceptAccountInvite', 'post', `${ACC}/{account_id}/invites/{invite_id}/accept`, ''],
  ['RejectAccountInvite', 'post', `${ACC}/{account_id}/invites/{invite_id}/reject`, ''],
  ['ListAccountMembers', 'get', `${ACC}/{account_id}/members`, 'read:users'],
  ['GetAccountMember', 'get', `${ACC}/{account_id}/members/{user_id}`, 'read:users'],
  ['DeleteAccountMember', 'delete', `${ACC}/{account_id}/members/{user_id}`, 'delete:users'],
  ['SuggestCompanies', 'get', '/api/account/v1/suggest-company', ''],
];

const iamRoutes: RouteRow[] = [
  ['GetAuthenticatedUser', 'get', `${IAM}/users/me`, ''],
  ['ListUsers', 'get', `${IAM}/accounts/{account_id}/users`, 'read:users'],
  ['UpdateUser', 'put', `${IAM}/users/{user.id}`, ''],
  ['DeleteUser', 'delete', `${IAM}/users/{user_id}`, ''],
  ['GetUserProfile', 'get', `${IAM}/users/me/profile`, ''],
  ['UpdateUserProfile', 'put', `${IAM}/users/me/profile`, ''],
  ['GetUserConsent', 'get', `${IAM}/users/me/consent`, ''],
  ['RecordUserConsent', 'post', `${IAM}/users/me/consent`, ''],
  ['ListPermissions', 'get', `${IAM}/accounts/{account_id}/permissions`, 'read:roles'],
  ['ListRoles', 'get', `${IAM}/accounts/{account_id}/roles`, 'read:roles'],
  ['GetRole', 'get', `${IAM}/accounts/{account_id}/roles/{role_id}`, 'read:roles'],
  ['CreateRole', 'post', `${IAM}/accounts/{role.account_id}/roles`, 'write:roles'],
  ['UpdateRole', 'put', `${IAM}/accounts/{role.account_id}/roles/{role.id}`, 'write:roles'],
  ['DeleteRole', 'delete', `${IAM}/accounts/{account_id}/roles/{role_id}`, 'delete:roles'],
  ['ListEffectivePermissions', 'get', `${IAM}/accounts/{account_id}/effective-permissions`, ''],
  ['ListUserRoles', 'get', `${IAM}/accounts/{account_id}/users/{user_id}/roles`, 'read:roles'],
  ['ListRoleUsers', 'get', `${IAM}/accounts/{account_id}/roles/{role_id}/users`, 'read:roles'],
  ['AssignUserRoles', 'post', `${IAM}/accounts/{account_id}/users/{user_id}/roles`, 'write:roles'],
  ['LogoutUser', 'post', `${IAM}/users/me/logout`, ''],
  ['ListUserMfaMethods', 'get', `${IAM}/users/me/mfa-methods`, ''],
  ['UpdateUserMfaMethod', 'put', `${IAM}/users/me/mfa-methods/{mfa_method.external_id}`, ''],
  ['DeleteUserMfaMethod', 'delete', `${IAM}/users/me/mfa-methods/{mfa_method.external_id}`, ''],
];

/** rpc → its account_id_expression option, for the rpcs that set one (the others use `account_id`). */
const accountScopes: Record<string, string> = {
  ListAccounts: '',
  CreateAccount: '',
  UpdateAccount: 'account.id',
  ListReceivedAccountInvites: '',
  CreateAccountInvite: 'account_invite.account_id',
  AcceptAccountInvite: '',
  RejectAccountInvite: '',
  SuggestCompanies: '',
};
const iamScopes: Record<string, string> = {
  ...Object.fromEntries(iamRoutes.filter(([, , path]) => path.startsWith(`${IAM}/users/`)).map(([rpc]) => [rpc, ''])),
  CreateRole: 'role.account_id',
  UpdateRole: 'role.account_id',
};
const accountUserOnly = [
  'CreateAccount',
  'DeleteAccount',
  'LeaveAccount',
  'ListReceivedAccountInvites',
  'CreateAccountInvite',
  'AcceptAccountInvite',
  'RejectAccountInvite',
  'DeleteAccountMember',
];
const iamUserOnly = [
  'GetAuthenticatedUser',
  'GetUserProfile',
  'UpdateUserProfile',
  'GetUserConsent',
  'RecordUserConsent',
  'LogoutUser',
  'ListUserMfaMethods',
  'UpdateUserMfaMethod',
  'DeleteUserMfaMethod',
];

function checkScoping(service: DescService, scopes: Record<string, string>, userOnly: readonly string[]): void {
  it.each(service.methods.map((m) => m.name))('%s is scoped to the account of its request as upstream', (rpc) => {
    const method = methodOf(service, rpc);
    expect(hasOption(method, commonV1.account_id_expression) ? getOption(method, commonV1.account_id_expression) : 'account_id').toBe(
      scopes[rpc] ?? 'account_id',
    );
  });
  it.each(service.methods.map((m) => m.name))('%s accepts the callers upstream accepts', (rpc) => {
    const expected = userOnly.includes(rpc) ? [commonV1.ActorType.USER] : [];
    expect(getOption(methodOf(service, rpc), commonV1.supported_actor_types)).toEqual(expected);
  });
  it('every rpc requires authentication', () => {
    for (const method of service.methods) expect(hasOption(method, commonV1.requires_authentication)).toBe(false);
  });
}

describe('qdrant.cloud.account.v1.AccountService', () => {
  checkService(accountV1.AccountService, 'qdrant.cloud.account.v1.AccountService', accountRoutes);
  checkScoping(accountV1.AccountService, accountScopes, accountUserOnly);
});

describe('qdrant.cloud.iam.v1.IAMService', () => {
  checkService(iamV1.IAMService, 'qdrant.cloud.iam.v1.IAMService', iamRoutes);
  checkScoping(iamV1.IAMService, iamScopes, iamUserOnly);
});
