import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import type { accountV1 } from '@qhc/cloud-api';
import { callerOf, type CloudDeps } from '../context.ts';
import { accountMessage, createAccount, deleteAccountOf, leaveAccount, listAccounts, updateAccountFrom } from './accounts.ts';
import { accountInvite, answerInvite, cancelInvite, createInvite, listInvites, receivedInvites } from './invites.ts';
import { deleteMember, getMember, listMembers } from './members.ts';
import { toInvite } from './messages.ts';

// account.v1.AccountService. The interceptor has checked the request's account is the
// caller's and the rpc's permission; what is left is who the caller is (a user, an Owner).

export function accountService(deps: CloudDeps): Partial<ServiceImpl<typeof accountV1.AccountService>> {
  return {
    listAccounts: async (_req, ctx) => ({ items: await listAccounts(deps, callerOf(ctx)) }),
    getAccount: async (_req, ctx) => ({ account: await accountMessage(deps, callerOf(ctx).accountId) }),
    createAccount: async (req, ctx) => ({ account: await createAccount(deps, callerOf(ctx), req.account) }),
    updateAccount: async (req, ctx) => ({ account: await updateAccountFrom(deps, callerOf(ctx), req.account, req.updateMask?.paths ?? []) }),
    async deleteAccount(_req, ctx) {
      await deleteAccountOf(deps, callerOf(ctx));
      return {};
    },
    async leaveAccount(_req, ctx) {
      await leaveAccount(deps, callerOf(ctx));
      return {};
    },
    listAccountInvites: async (req, ctx) => ({ items: await listInvites(deps, callerOf(ctx), req.statuses) }),
    listReceivedAccountInvites: async (_req, ctx) => ({ items: await receivedInvites(deps, callerOf(ctx)) }),
    getAccountInvite: async (req, ctx) => ({ accountInvite: toInvite(await accountInvite(deps, callerOf(ctx), req.inviteId)) }),
    createAccountInvite: async (req, ctx) => ({ accountInvite: await createInvite(deps, callerOf(ctx), req.accountInvite) }),
    async deleteAccountInvite(req, ctx) {
      await cancelInvite(deps, callerOf(ctx), req.inviteId);
      return {};
    },
    acceptAccountInvite: async (req, ctx) => ({ invite: await answerInvite(deps, callerOf(ctx), req, 'accepted') }),
    rejectAccountInvite: async (req, ctx) => ({ invite: await answerInvite(deps, callerOf(ctx), req, 'rejected') }),
    listAccountMembers: async (_req, ctx) => ({ items: await listMembers(deps, callerOf(ctx)) }),
    getAccountMember: async (req, ctx) => ({ accountMember: await getMember(deps, callerOf(ctx), req.userId) }),
    async deleteAccountMember(req, ctx) {
      await deleteMember(deps, callerOf(ctx), req.userId);
      return {};
    },
    suggestCompanies() {
      throw new ConnectError(
        'SuggestCompanies is not served: qhc has no company directory to suggest from; type the company name and domain',
        Code.Unimplemented,
      );
    },
  };
}
