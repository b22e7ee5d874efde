// qhc.v1's accounts, people and permissions services: routes, the permission each rpc needs, which rpcs
// run without credentials or outside the caller's account, and the fields the console and the CLI use.
import { getOption, hasOption, type DescService } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { commonV1, qhcV1 } from '../src/index.ts';
import { checkFields, checkService, methodOf, type RouteRow } from './descriptor-check.ts';

const ACC = '/api/qhc/v1/accounts/{account_id}';
const OIDC = '/api/qhc/v1/accounts/{oidc_provider.account_id}/oidc-providers';

const accessRoutes: RouteRow[] = [
  ['SignUp', 'post', '/api/qhc/v1/sign-up', ''],
  ['GetAccountAccess', 'get', `${ACC}/access`, ''],
  ['ListAccountRequests', 'get', '/api/qhc/v1/account-requests', ''],
  ['ApproveAccount', 'post', '/api/qhc/v1/account-requests/{account_id}/approve', ''],
  ['RejectAccount', 'post', '/api/qhc/v1/account-requests/{account_id}/reject', ''],
];
const billingRoutes: RouteRow[] = [
  ['GetBillingInformation', 'get', `${ACC}/billing-information`, 'read:account'],
  ['UpdateBillingInformation', 'put', `${ACC}/billing-information`, 'write:account'],
];
const keyRoleRoutes: RouteRow[] = [
  ['CreateManagementKeyWithRoles', 'post', `${ACC}/management-keys`, 'write:management_keys'],
  ['ListManagementKeyRoles', 'get', `${ACC}/management-keys/{management_key_id}/roles`, 'read:management_keys'],
];
const auditRoutes: RouteRow[] = [['ListAuditEvents', 'get', `${ACC}/audit-events`, 'read:audit_log']];
const ssoRoutes: RouteRow[] = [
  ['ListOidcProviders', 'get', `${ACC}/oidc-providers`, 'read:sso'],
  ['GetOidcProvider', 'get', `${ACC}/oidc-providers/{oidc_provider_id}`, 'read:sso'],
  ['CreateOidcProvider', 'post', OIDC, 'write:sso'],
  ['UpdateOidcProvider', 'put', `${OIDC}/{oidc_provider.id}`, 'write:sso'],
  ['DeleteOidcProvider', 'delete', `${ACC}/oidc-providers/{oidc_provider_id}`, 'delete:sso'],
  ['ListSignInOptions', 'get', '/api/qhc/v1/sign-in-options', ''],
];

/** Asserts which rpcs of a service run without credentials and which are not scoped to the request's account. */
function checkAccess(service: DescService, unauthenticated: readonly string[], scopes: Record<string, string>): void {
  it.each(service.methods.map((m) => m.name))('%s: authentication and account scope', (rpc) => {
    const method = methodOf(service, rpc);
    expect(hasOption(method, commonV1.permissions)).toBe(true);
    // Unset means authentication is required; only the listed rpcs set it (to false).
    expect(hasOption(method, commonV1.requires_authentication)).toBe(unauthenticated.includes(rpc));
    if (unauthenticated.includes(rpc)) expect(getOption(method, commonV1.requires_authentication)).toBe(false);
    expect(hasOption(method, commonV1.account_id_expression) ? getOption(method, commonV1.account_id_expression) : 'account_id').toBe(
      scopes[rpc] ?? 'account_id',
    );
  });
}

describe('qhc.v1.AccountAccessService', () => {
  checkService(qhcV1.AccountAccessService, 'qhc.v1.AccountAccessService', accessRoutes);
  checkAccess(qhcV1.AccountAccessService, ['SignUp'], { SignUp: '', ListAccountRequests: '', ApproveAccount: '', RejectAccount: '' });
  checkFields(qhcV1.file_qhc_v1_account_access, [
    ['SignUpRequest', 'email', 1, 'string'],
    ['SignUpRequest', 'password', 2, 'string'],
    ['SignUpRequest', 'account_name', 3, 'string'],
    ['SignUpRequest', 'company', 4, 'qdrant.cloud.account.v1.Company'],
    ['SignUpRequest', 'billing_information', 5, 'qhc.v1.BillingInformation'],
    ['SignUpResponse', 'account_status', 3, 'qhc.v1.AccountStatus'],
    ['SignUpResponse', 'session', 4, 'qhc.v1.Session'],
    ['AccountAccess', 'status', 2, 'qhc.v1.AccountStatus'],
    ['AccountAccess', 'reason', 3, 'string'],
    ['AccountAccess', 'requested_at', 4, 'google.protobuf.Timestamp'],
    ['AccountAccess', 'decided_at', 5, 'google.protobuf.Timestamp'],
    ['ListAccountRequestsRequest', 'status', 1, 'optional qhc.v1.AccountStatus'],
    ['ListAccountRequestsResponse', 'next_page_token', 2, 'string'],
    ['RejectAccountRequest', 'reason', 2, 'string'],
  ]);
});

describe('qhc.v1.AccountBillingService', () => {
  checkService(qhcV1.AccountBillingService, 'qhc.v1.AccountBillingService', billingRoutes);
  checkAccess(qhcV1.AccountBillingService, [], {});
  checkFields(qhcV1.file_qhc_v1_account, [
    ['BillingInformation', 'company_name', 1, 'string'],
    ['BillingInformation', 'address_line1', 2, 'string'],
    ['BillingInformation', 'address_line2', 3, 'string'],
    ['BillingInformation', 'postal_code', 4, 'string'],
    ['BillingInformation', 'city', 5, 'string'],
    ['BillingInformation', 'country', 6, 'string'],
    ['BillingInformation', 'tax_id', 7, 'string'],
    ['BillingInformation', 'billing_email', 8, 'string'],
  ]);
  it('an account is pending, approved or rejected', () => {
    expect(qhcV1.AccountStatusSchema.values.map((v) => [v.name, v.number])).toEqual([
      ['ACCOUNT_STATUS_UNSPECIFIED', 0],
      ['ACCOUNT_STATUS_PENDING', 1],
      ['ACCOUNT_STATUS_APPROVED', 2],
      ['ACCOUNT_STATUS_REJECTED', 3],
    ]);
  });
});

describe('qhc.v1.ManagementKeyRoleService and AuditLogService', () => {
  checkService(qhcV1.ManagementKeyRoleService, 'qhc.v1.ManagementKeyRoleService', keyRoleRoutes);
  checkAccess(qhcV1.ManagementKeyRoleService, [], {});
  checkService(qhcV1.AuditLogService, 'qhc.v1.AuditLogService', auditRoutes);
  checkAccess(qhcV1.AuditLogService, [], {});
  checkFields(qhcV1.file_qhc_v1_management_key_role, [
    ['CreateManagementKeyWithRolesRequest', 'role_ids', 2, 'repeated string'],
    ['CreateManagementKeyWithRolesResponse', 'management_key', 1, 'qdrant.cloud.auth.v1.ManagementKey'],
    ['ListManagementKeyRolesResponse', 'role_ids', 1, 'repeated string'],
  ]);
  checkFields(qhcV1.file_qhc_v1_audit_log, [
    ['ListAuditEventsRequest', 'since', 6, 'google.protobuf.Timestamp'],
    ['ListAuditEventsRequest', 'page_token', 9, 'string'],
    ['AuditEvent', 'occurred_at', 3, 'google.protobuf.Timestamp'],
    ['AuditEvent', 'actor', 4, 'qhc.v1.AuditActor'],
    ['AuditEvent', 'before_summary', 8, 'string'],
    ['AuditEvent', 'after_summary', 9, 'string'],
    ['AuditEvent', 'remote_address', 10, 'string'],
    ['AuditActor', 'kind', 1, 'qhc.v1.AuditActorKind'],
    ['AuditActor', 'key_prefix', 4, 'string'],
  ]);
});

describe('qhc.v1.SsoService', () => {
  checkService(qhcV1.SsoService, 'qhc.v1.SsoService', ssoRoutes);
  checkAccess(qhcV1.SsoService, ['ListSignInOptions'], {
    CreateOidcProvider: 'oidc_provider.account_id',
    UpdateOidcProvider: 'oidc_provider.account_id',
    ListSignInOptions: '',
  });
  checkFields(qhcV1.file_qhc_v1_sso, [
    ['OidcProvider', 'issuer_url', 4, 'string'],
    ['OidcProvider', 'client_id', 5, 'string'],
    ['OidcProvider', 'client_secret', 6, 'string'],
    ['OidcProvider', 'scopes', 7, 'repeated string'],
    ['OidcProvider', 'groups_claim', 8, 'string'],
    ['OidcProvider', 'group_role_mappings', 9, 'repeated qhc.v1.GroupRoleMapping'],
    ['GroupRoleMapping', 'role_id', 2, 'string'],
    ['SignInOption', 'account_name', 3, 'string'],
    ['SignInOption', 'start_path', 4, 'string'],
  ]);
});
