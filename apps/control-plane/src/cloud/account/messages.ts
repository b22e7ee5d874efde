import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { accountV1, iamV1 } from '@qhc/cloud-api';
import type { MemberView } from '../../repositories/account-members.ts';
import type { AccountRow } from '../../repositories/accounts.ts';
import type { InviteStatus, InviteView } from '../../repositories/invites.ts';
import { toCompany } from './access-messages.ts';

// account.v1 messages from rows: what qhc stores is filled in; what it does not keep
// (privileges, settings, an external owner id) stays empty.

const stamp = (at: string | null) => (at ? timestampFromDate(new Date(at)) : undefined);

export const toAccount = (row: AccountRow, ownerEmail: string) =>
  create(accountV1.AccountSchema, {
    id: row.id,
    createdAt: stamp(row.created_at),
    lastModifiedAt: stamp(row.last_modified_at ?? row.created_at),
    name: row.name,
    ownerEmail,
    company: row.company_name || row.company_domain ? toCompany(row) : undefined,
  });

const INVITE_STATUS: Record<string, accountV1.AccountInviteStatus> = {
  pending: accountV1.AccountInviteStatus.PENDING,
  accepted: accountV1.AccountInviteStatus.ACCEPTED,
  rejected: accountV1.AccountInviteStatus.REJECTED,
  canceled: accountV1.AccountInviteStatus.CANCELED,
};
export const inviteStatusOfProto = new Map<number, InviteStatus>(Object.entries(INVITE_STATUS).map(([k, v]) => [v, k as InviteStatus]));

export const toInvite = (row: InviteView) =>
  create(accountV1.AccountInviteSchema, {
    id: row.id,
    accountId: row.account_id,
    accountName: row.account_name,
    userEmail: row.email,
    userRoleIds: JSON.parse(row.role_ids) as string[],
    createdAt: stamp(row.created_at),
    ...(row.created_by_user_id ? { createdByUserId: row.created_by_user_id } : {}),
    ...(row.created_by_email ? { createdByEmail: row.created_by_email } : {}),
    lastModifiedAt: stamp(row.last_modified_at),
    status: INVITE_STATUS[row.status] ?? accountV1.AccountInviteStatus.UNSPECIFIED,
  });

const USER_STATUS: Record<string, iamV1.UserStatus> = { active: iamV1.UserStatus.ACTIVE, blocked: iamV1.UserStatus.BLOCKED, deleted: iamV1.UserStatus.DELETED };

export const toMember = (row: MemberView) =>
  create(accountV1.AccountMemberSchema, {
    accountMember: create(iamV1.UserSchema, {
      id: row.user_id,
      createdAt: stamp(row.user_created_at),
      lastModifiedAt: stamp(row.user_last_modified_at),
      email: row.email,
      status: USER_STATUS[row.status] ?? iamV1.UserStatus.UNSPECIFIED,
    }),
    isOwner: row.is_owner,
  });
