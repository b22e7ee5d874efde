import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { iamV1 } from '@qhc/cloud-api';
import type { Database } from '../../db/schema.ts';
import type { RoleWithPermissions } from '../../repositories/roles.ts';

// Rows of roles and users as iam.v1 messages.

const stamp = (value: string) => timestampFromDate(new Date(value));

/** A permission with its category: the resource it is about (`read:clusters` → `clusters`). */
export const toPermission = (value: string) => create(iamV1.PermissionSchema, { value, category: value.slice(value.indexOf(':') + 1) });

const SUB_TYPES: Record<string, iamV1.SystemRoleSubType> = {
  owner: iamV1.SystemRoleSubType.OWNER,
  admin: iamV1.SystemRoleSubType.ADMIN,
  base: iamV1.SystemRoleSubType.BASE,
};

export const toRole = (row: RoleWithPermissions) =>
  create(iamV1.RoleSchema, {
    id: row.id,
    accountId: row.account_id,
    createdAt: stamp(row.created_at),
    lastModifiedAt: stamp(row.last_modified_at),
    name: row.name,
    description: row.description,
    roleType: row.type === 'system' ? iamV1.RoleType.SYSTEM : iamV1.RoleType.CUSTOM,
    permissions: row.permissions.map(toPermission),
    ...(row.type === 'system' ? { subType: (row.sub_type && SUB_TYPES[row.sub_type]) || iamV1.SystemRoleSubType.UNSPECIFIED } : {}),
  });

const USER_STATUSES: Record<string, iamV1.UserStatus> = {
  active: iamV1.UserStatus.ACTIVE,
  blocked: iamV1.UserStatus.BLOCKED,
  deleted: iamV1.UserStatus.DELETED,
};

/** A user; `defaultAccountId` is the account the caller sees them in (qhc keeps no default of its own). */
export const toUser = (row: Database['users'], defaultAccountId = '') =>
  create(iamV1.UserSchema, {
    id: row.id,
    email: row.email,
    createdAt: stamp(row.created_at),
    lastModifiedAt: stamp(row.last_modified_at),
    status: USER_STATUSES[row.status] ?? iamV1.UserStatus.UNSPECIFIED,
    defaultAccountId,
    onboardingStatus: iamV1.OnboardingStatus.COMPLETED,
  });
