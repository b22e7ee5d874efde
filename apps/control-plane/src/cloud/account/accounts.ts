import { Code, ConnectError } from '@connectrpc/connect';
import type { accountV1 } from '@qhc/cloud-api';
import { ownersOf, removeMember } from '../../repositories/account-members.ts';
import {
  accountById,
  deleteAccount,
  emailOfUser,
  environmentCount,
  installerAccountId,
  updateAccount,
  type AccountChanges,
  type AccountRow,
} from '../../repositories/accounts.ts';
import { accountsOfUser } from '../../repositories/users.ts';
import type { Caller, CloudDeps } from '../context.ts';
import { invalid } from '../qhc/fields.ts';
import { createRateLimiter, type RateLimiter } from '../../iam/rate-limit.ts';
import { createAccountOwnedBy } from './create.ts';
import { accountNameField, companyFields } from './fields.ts';
import { toAccount } from './messages.ts';
import { requireOwner, userOf } from './principals.ts';

// AccountService's accounts: the caller's, one made by a user, changed, deleted, left.

export async function accountMessage(deps: CloudDeps, id: string): Promise<accountV1.Account> {
  const row = await accountById(deps.db, id);
  if (!row) throw new ConnectError(`account ${id} not found`, Code.NotFound);
  return toAccount(row, await emailOfUser(deps.db, row.owner_user_id));
}

/** A user's accounts; a key's is its own. */
export async function listAccounts(deps: CloudDeps, caller: Caller): Promise<accountV1.Account[]> {
  const ids = caller.principal.kind === 'user' ? (await accountsOfUser(deps.db, caller.principal.id)).map((a) => a.id) : [caller.accountId];
  return Promise.all(ids.map((id) => accountMessage(deps, id)));
}

/** Read-only fields a request may echo (as read) but not change. */
function refuseReadOnly(account: accountV1.Account, stored: AccountRow | undefined, ownerEmail: string): void {
  const changed: string[] = [];
  if (account.externalOwnerId !== '') changed.push('account.external_owner_id');
  if (account.ownerEmail !== '' && account.ownerEmail !== ownerEmail) changed.push('account.owner_email');
  if (account.privileges.length > 0) changed.push('account.privileges');
  if (!stored && account.id !== '') changed.push('account.id');
  if (account.createdAt && (!stored || account.createdAt.seconds !== BigInt(Math.floor(Date.parse(stored.created_at) / 1000))))
    changed.push('account.created_at');
  if (account.lastModifiedAt && !stored) changed.push('account.last_modified_at');
  if (account.settings?.mfaRequired) changed.push('account.settings.mfa_required');
  if (changed.length > 0)
    throw new ConnectError(`${changed.join(', ')}: read-only (set by the control plane, or not kept by qhc); leave unset`, Code.InvalidArgument);
}

/** Accounts awaiting approval a user may own at once: each is work for an instance administrator. */
export const MAX_PENDING_ACCOUNTS = 5;
/** CreateAccount calls per user per minute (also the burst). */
const CREATIONS_PER_MINUTE = 5;

const limiters = new WeakMap<CloudDeps, RateLimiter>();
function creationLimiter(deps: CloudDeps): RateLimiter {
  let limiter = limiters.get(deps);
  if (!limiter) limiters.set(deps, (limiter = createRateLimiter({ perMinute: CREATIONS_PER_MINUTE }, deps.now)));
  return limiter;
}

async function pendingAccountsOwnedBy(db: CloudDeps['db'], userId: string): Promise<number> {
  const row = await db.q
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('owner_user_id', '=', userId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function createAccount(deps: CloudDeps, caller: Caller, account: accountV1.Account | undefined): Promise<accountV1.Account> {
  const user = userOf(caller, 'CreateAccount');
  if (!account) throw invalid('account', 'missing');
  refuseReadOnly(account, undefined, user.email);
  const name = accountNameField('account.name', account.name);
  const company = companyFields('account.company', account.company);
  const take = creationLimiter(deps).take(user.id);
  if (!take.ok) {
    const seconds = Math.max(1, Math.ceil(take.retryAfterMs / 1000));
    throw new ConnectError(`too many accounts created; retry after ${seconds}s`, Code.ResourceExhausted, { 'retry-after': String(seconds) });
  }
  const pending = await pendingAccountsOwnedBy(deps.db, user.id);
  if (pending >= MAX_PENDING_ACCOUNTS)
    throw new ConnectError(
      `you own ${pending} accounts awaiting approval, the most a user may; wait for an instance administrator to decide on them`,
      Code.FailedPrecondition,
    );
  const row = await deps.db.tx((tx) =>
    createAccountOwnedBy(
      tx,
      { name, companyName: company.name, companyDomain: company.domain, billing: null, ownerUserId: user.id },
      deps.autoApproveAccounts ?? false,
      deps.now,
    ),
  );
  return toAccount(row, user.email);
}

const MASKABLE = new Set(['name', 'company', 'company.name', 'company.domain']);

/** The changes an update asks for: the mask's fields, or (no mask) name and company. */
export async function updateAccountFrom(
  deps: CloudDeps,
  caller: Caller,
  account: accountV1.Account | undefined,
  paths: readonly string[],
): Promise<accountV1.Account> {
  if (!account) throw invalid('account', 'missing');
  const stored = (await accountById(deps.db, caller.accountId))!;
  refuseReadOnly(account, stored, await emailOfUser(deps.db, stored.owner_user_id));
  paths.forEach((path, i) => {
    if (!MASKABLE.has(path))
      throw invalid(`update_mask.paths[${i}]`, `${JSON.stringify(path.slice(0, 64))} cannot be updated; updatable: ${[...MASKABLE].join(', ')}`);
  });
  const wants = (path: string) => paths.length === 0 || paths.includes(path) || (path.startsWith('company.') && paths.includes('company'));
  const changes: AccountChanges = {};
  if (wants('name')) changes.name = accountNameField('account.name', account.name);
  const company = companyFields('account.company', account.company ?? { name: '' });
  if (wants('company.name')) changes.company_name = company.name;
  if (wants('company.domain')) changes.company_domain = company.domain;
  await updateAccount(deps.db, caller.accountId, changes, deps.now);
  return accountMessage(deps, caller.accountId);
}

export async function deleteAccountOf(deps: CloudDeps, caller: Caller): Promise<void> {
  await requireOwner(deps.db, caller, 'DeleteAccount');
  if ((await installerAccountId(deps.db)) === caller.accountId)
    throw new ConnectError(
      `account ${caller.accountId} is the installation's first account (its administrators') and cannot be deleted`,
      Code.FailedPrecondition,
    );
  const environments = await environmentCount(deps.db, caller.accountId);
  if (environments > 0)
    throw new ConnectError(`account ${caller.accountId} has ${environments} hybrid cloud environment(s); delete them first`, Code.FailedPrecondition);
  await deleteAccount(deps.db, caller.accountId);
}

export async function leaveAccount(deps: CloudDeps, caller: Caller): Promise<void> {
  const user = userOf(caller, 'LeaveAccount');
  const owners = await ownersOf(deps.db, caller.accountId);
  if (owners.length === 1 && owners[0] === user.id)
    throw new ConnectError(
      `you are the last Owner of account ${caller.accountId}; give another member the Owner role first, or delete the account`,
      Code.FailedPrecondition,
    );
  await removeMember(deps.db, caller.accountId, user.id, deps.now);
}
