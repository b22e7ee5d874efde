import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { accountV1, qhcV1 } from '@qhc/cloud-api';
import type { Db } from '../../db/db.ts';
import { emailOfUser, type AccountRow, type AccountStatus } from '../../repositories/accounts.ts';
import { storedBilling } from './billing-info.ts';

// qhc.v1 messages of an account's standing with the instance administrators.

const STATUS: Record<string, qhcV1.AccountStatus> = {
  pending: qhcV1.AccountStatus.PENDING,
  approved: qhcV1.AccountStatus.APPROVED,
  rejected: qhcV1.AccountStatus.REJECTED,
};
export const statusOfProto = new Map<number, AccountStatus>([
  [qhcV1.AccountStatus.PENDING, 'pending'],
  [qhcV1.AccountStatus.APPROVED, 'approved'],
  [qhcV1.AccountStatus.REJECTED, 'rejected'],
]);
export const toAccountStatus = (status: string) => STATUS[status] ?? qhcV1.AccountStatus.UNSPECIFIED;

const stamp = (at: string | null) => (at ? timestampFromDate(new Date(at)) : undefined);

export const toAccess = (row: AccountRow) =>
  create(qhcV1.AccountAccessSchema, {
    accountId: row.id,
    status: toAccountStatus(row.status),
    reason: row.status_reason ?? '',
    requestedAt: stamp(row.created_at),
    // An approval on creation (auto-approve, the first account) was nobody's decision, but it was made then.
    decidedAt: row.status === 'pending' ? undefined : stamp(row.decided_at),
  });

export const toCompany = (row: AccountRow) =>
  create(accountV1.CompanySchema, { name: row.company_name ?? '', ...(row.company_domain ? { domain: row.company_domain } : {}) });

export const toBilling = (json: string | null) => create(qhcV1.BillingInformationSchema, storedBilling(json));

/** The account as an instance administrator decides on it. */
export async function toAccountRequest(db: Db, row: AccountRow) {
  const decider = row.decided_by?.startsWith('management_key:') ? '' : await emailOfUser(db, row.decided_by);
  return create(qhcV1.AccountRequestSchema, {
    access: toAccess(row),
    accountName: row.name,
    ownerEmail: await emailOfUser(db, row.owner_user_id),
    company: toCompany(row),
    billingInformation: toBilling(row.billing),
    decidedByEmail: decider,
  });
}
