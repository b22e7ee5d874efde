import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { qhcV1 } from '@qhc/cloud-api';
import type { Db } from '../../db/db.ts';
import type { LiveCloudSession } from '../../repositories/cloud-sessions.ts';
import type { UserSession } from '../../repositories/user-sessions.ts';
import { accountsOfUser, roleNamesOfKey, roleNamesOfUser, userById } from '../../repositories/users.ts';
import { csrfTokenOf } from '../../sessions.ts';
import type { Caller } from '../context.ts';

// What SessionService answers about a session: its account (with the name), its CSRF token, and
// for a user's session the user; and the accounts a session may act in.

const STATUS: Record<string, qhcV1.AccountStatus> = {
  pending: qhcV1.AccountStatus.PENDING,
  approved: qhcV1.AccountStatus.APPROVED,
  rejected: qhcV1.AccountStatus.REJECTED,
};

async function accountOf(db: Db, id: string): Promise<{ id: string; name: string; status: string } | undefined> {
  return db.q.selectFrom('accounts').select(['id', 'name', 'status']).where('id', '=', id).executeTakeFirst();
}

/** A management key's session. */
export async function keySessionView(db: Db, secret: string, session: Pick<LiveCloudSession, 'account_id' | 'management_key_id' | 'expires_at'>) {
  return create(qhcV1.SessionSchema, {
    accountId: session.account_id,
    accountName: (await accountOf(db, session.account_id))?.name ?? '',
    csrfToken: csrfTokenOf(secret),
    expiresAt: timestampFromDate(new Date(session.expires_at)),
    managementKeyId: session.management_key_id,
  });
}

/** A user's session: the account it acts in and who they are. */
export async function userSessionView(db: Db, secret: string, session: Pick<UserSession, 'accountId' | 'userId' | 'email' | 'expiresAt'>) {
  const user = await userById(db, session.userId);
  return create(qhcV1.SessionSchema, {
    accountId: session.accountId,
    accountName: (await accountOf(db, session.accountId))?.name ?? '',
    csrfToken: csrfTokenOf(secret),
    expiresAt: timestampFromDate(new Date(session.expiresAt)),
    userId: session.userId,
    userEmail: session.email,
    instanceAdmin: user?.instance_admin === 1,
  });
}

const myAccount = (account: { id: string; name: string; status: string }, current: boolean, roleNames: string[]) =>
  create(qhcV1.MyAccountSchema, {
    accountId: account.id,
    accountName: account.name,
    status: STATUS[account.status] ?? qhcV1.AccountStatus.UNSPECIFIED,
    current,
    roleNames,
  });

/** A user's accounts (by name), or a management key's one account. */
export async function myAccounts(db: Db, caller: Caller) {
  if (caller.principal.kind === 'user') {
    const roles = await roleNamesOfUser(db, caller.principal.id);
    const accounts = await accountsOfUser(db, caller.principal.id);
    return accounts
      .toSorted((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map((account) => myAccount(account, account.id === caller.accountId, roles.get(account.id) ?? []));
  }
  const account = await accountOf(db, caller.accountId);
  const roleNames = await roleNamesOfKey(db, caller.principal.id);
  return account ? [myAccount(account, true, roleNames)] : [];
}
