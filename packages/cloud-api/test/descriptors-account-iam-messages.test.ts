// The messages of Qdrant Cloud's AccountService and IAMService that qhc fills in, field by field as upstream
// numbers them, so a renumbered field fails a named row rather than a client's decoding.
import type { DescEnum } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { accountV1, iamV1 } from '../src/index.ts';
import { checkFields } from './descriptor-check.ts';

function enumValues(desc: DescEnum): [string, number][] {
  return desc.values.map((v) => [v.name, v.number]);
}

describe('qdrant.cloud.account.v1 messages', () => {
  checkFields(accountV1.file_qdrant_cloud_account_v1_account, [
    ['Account', 'id', 1, 'string'],
    ['Account', 'created_at', 2, 'google.protobuf.Timestamp'],
    ['Account', 'last_modified_at', 3, 'google.protobuf.Timestamp'],
    ['Account', 'name', 5, 'string'],
    ['Account', 'external_owner_id', 6, 'string'],
    ['Account', 'owner_email', 7, 'string'],
    ['Account', 'privileges', 8, 'repeated string'],
    ['Account', 'company', 9, 'optional qdrant.cloud.account.v1.Company'],
    ['Account', 'settings', 10, 'optional qdrant.cloud.account.v1.AccountSettings'],
    ['Company', 'domain', 1, 'optional string'],
    ['Company', 'name', 2, 'string'],
    ['AccountInvite', 'account_id', 2, 'string'],
    ['AccountInvite', 'user_email', 4, 'string'],
    ['AccountInvite', 'user_role_ids', 5, 'repeated string'],
    ['AccountInvite', 'created_by_user_id', 7, 'optional string'],
    ['AccountInvite', 'status', 10, 'qdrant.cloud.account.v1.AccountInviteStatus'],
    ['AccountMember', 'account_member', 1, 'qdrant.cloud.iam.v1.User'],
    ['AccountMember', 'is_owner', 2, 'bool'],
    ['UpdateAccountRequest', 'update_mask', 2, 'google.protobuf.FieldMask'],
    ['ListAccountInvitesRequest', 'statuses', 2, 'repeated qdrant.cloud.account.v1.AccountInviteStatus'],
    ['SuggestCompaniesRequest', 'email', 2, 'oneof criteria string'],
  ]);
  it('AccountInviteStatus skips 4, as upstream', () => {
    expect(enumValues(accountV1.AccountInviteStatusSchema)).toEqual([
      ['ACCOUNT_INVITE_STATUS_UNSPECIFIED', 0],
      ['ACCOUNT_INVITE_STATUS_PENDING', 1],
      ['ACCOUNT_INVITE_STATUS_ACCEPTED', 2],
      ['ACCOUNT_INVITE_STATUS_REJECTED', 3],
      ['ACCOUNT_INVITE_STATUS_CANCELED', 5],
    ]);
  });
});

describe('qdrant.cloud.iam.v1 messages', () => {
  checkFields(iamV1.file_qdrant_cloud_iam_v1_iam, [
    ['User', 'id', 1, 'string'],
    ['User', 'email', 4, 'string'],
    ['User', 'status', 5, 'qdrant.cloud.iam.v1.UserStatus'],
    ['User', 'default_account_id', 6, 'string'],
    ['Role', 'id', 1, 'string'],
    ['Role', 'account_id', 4, 'string'],
    ['Role', 'name', 5, 'string'],
    ['Role', 'description', 6, 'string'],
    ['Role', 'role_type', 7, 'qdrant.cloud.iam.v1.RoleType'],
    ['Role', 'permissions', 8, 'repeated qdrant.cloud.iam.v1.Permission'],
    ['Role', 'sub_type', 9, 'optional qdrant.cloud.iam.v1.SystemRoleSubType'],
    ['Permission', 'value', 1, 'string'],
    ['Permission', 'category', 2, 'optional string'],
    ['AssignUserRolesRequest', 'role_ids_to_add', 3, 'repeated string'],
    ['AssignUserRolesRequest', 'role_ids_to_delete', 4, 'repeated string'],
    ['ListUserRolesResponse', 'roles', 1, 'repeated qdrant.cloud.iam.v1.Role'],
    ['ListRoleUsersResponse', 'users', 1, 'repeated qdrant.cloud.iam.v1.User'],
    ['ListEffectivePermissionsResponse', 'permissions', 1, 'repeated qdrant.cloud.iam.v1.Permission'],
  ]);
  it('role types and system role sub types are numbered as upstream', () => {
    expect(enumValues(iamV1.RoleTypeSchema)).toEqual([
      ['ROLE_TYPE_UNSPECIFIED', 0],
      ['ROLE_TYPE_SYSTEM', 1],
      ['ROLE_TYPE_CUSTOM', 2],
    ]);
    expect(enumValues(iamV1.SystemRoleSubTypeSchema)).toEqual([
      ['SYSTEM_ROLE_SUB_TYPE_UNSPECIFIED', 0],
      ['SYSTEM_ROLE_SUB_TYPE_OWNER', 1],
      ['SYSTEM_ROLE_SUB_TYPE_ADMIN', 2],
      ['SYSTEM_ROLE_SUB_TYPE_BASE', 3],
    ]);
    expect(enumValues(iamV1.UserStatusSchema)).toEqual([
      ['USER_STATUS_UNSPECIFIED', 0],
      ['USER_STATUS_ACTIVE', 1],
      ['USER_STATUS_BLOCKED', 2],
      ['USER_STATUS_DELETED', 3],
    ]);
  });
});
