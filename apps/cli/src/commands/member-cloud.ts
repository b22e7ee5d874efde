// Members and invites of the context's account (AccountService), members' roles (IAMService),
// and the invites the signed-in user received (a user context: `qhc login --email`).
import { fromJson } from '@bufbuild/protobuf';
import { accountV1, iamV1 } from '@qhc/cloud-api';
import type { CloudApi } from '../cloud.ts';
import { confirmOrExit } from '../confirm.ts';
import { CliError, EXIT } from '../exit.ts';
import { age, type Column } from '../output.ts';
import { cloudApi, type Global } from './region.ts';
import { roleIdsOf } from './role-cloud.ts';
import { findByRef, showMessages, trimEnum, type Row } from './rows.ts';

const user = (r: Row) => (r.accountMember ?? {}) as { id?: string; email?: string; status?: string; createdAt?: string };
const MEMBER_COLUMNS: Column<Row>[] = [
  { header: 'email', value: (r) => user(r).email },
  { header: 'id', value: (r) => user(r).id },
  { header: 'owner', value: (r) => (r.isOwner ? 'yes' : 'no') },
  { header: 'status', value: (r) => trimEnum(user(r).status, 'USER_STATUS_'), wide: true },
  { header: 'age', value: (r) => age(user(r).createdAt) },
];
const INVITE_COLUMNS: Column<Row>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'email', value: (r) => r.userEmail as string },
  { header: 'account', value: (r) => (r.accountName as string | undefined) || (r.accountId as string), wide: true },
  { header: 'status', value: (r) => trimEnum(r.status, 'ACCOUNT_INVITE_STATUS_') },
  { header: 'invited by', value: (r) => r.createdByEmail as string | undefined, wide: true },
  { header: 'age', value: (r) => age(r.createdAt) },
];
const ROLE_COLUMNS: Column<Row>[] = [
  { header: 'name', value: (r) => r.name },
  { header: 'id', value: (r) => r.id },
  { header: 'type', value: (r) => trimEnum(r.roleType, 'ROLE_TYPE_') },
];

const showMembers = (m: accountV1.AccountMember | accountV1.AccountMember[], g: Global) =>
  showMessages(accountV1.AccountMemberSchema, m, { columns: MEMBER_COLUMNS, kind: 'member', name: (r) => user(r).email ?? '' }, g);
const showInvites = (i: accountV1.AccountInvite | accountV1.AccountInvite[], g: Global) =>
  showMessages(accountV1.AccountInviteSchema, i, { columns: INVITE_COLUMNS, kind: 'invite', name: (r) => String(r.id) }, g);

async function members(api: CloudApi): Promise<accountV1.AccountMember[]> {
  return (await api.call('ListAccountMembers', () => api.accounts.listAccountMembers({ accountId: api.accountId }))).items;
}

/** The member whose user id or email is `ref`. */
async function memberOf(api: CloudApi, ref: string): Promise<accountV1.AccountMember> {
  const keys = { id: (m: accountV1.AccountMember) => m.accountMember?.id ?? '', names: (m: accountV1.AccountMember) => [m.accountMember?.email ?? ''] };
  return findByRef(await members(api), ref, keys, 'member', 'qhc member list');
}

export async function memberList(g: Global): Promise<void> {
  await showMembers(await members(cloudApi(g)), g);
}

export async function memberGet(ref: string, g: Global): Promise<void> {
  const api = cloudApi(g);
  const userId = (await memberOf(api, ref)).accountMember!.id;
  await showMembers((await api.call('GetAccountMember', () => api.accounts.getAccountMember({ accountId: api.accountId, userId }))).accountMember!, g);
}

export async function memberRemove(ref: string, options: { yes?: boolean }, g: Global): Promise<void> {
  const api = cloudApi(g);
  const member = (await memberOf(api, ref)).accountMember!;
  await confirmOrExit(`Remove ${member.email} from account ${api.accountId}?`, options);
  await api.call('DeleteAccountMember', () => api.accounts.deleteAccountMember({ accountId: api.accountId, userId: member.id }));
  process.stderr.write(`${member.email} removed from account ${api.accountId}\n`);
}

/** Without --add or --remove, the member's roles; with them, AssignUserRoles, then the roles after. */
export async function memberRoles(ref: string, options: { add?: string[]; remove?: string[] }, g: Global): Promise<void> {
  const api = cloudApi(g);
  const userId = (await memberOf(api, ref)).accountMember!.id;
  if (options.add?.length || options.remove?.length) {
    const [add, remove] = [await roleIdsOf(api, options.add), await roleIdsOf(api, options.remove)];
    await api.call('AssignUserRoles', () => api.iam.assignUserRoles({ accountId: api.accountId, userId, roleIdsToAdd: add, roleIdsToDelete: remove }));
  }
  const { roles } = await api.call('ListUserRoles', () => api.iam.listUserRoles({ accountId: api.accountId, userId }));
  await showMessages(iamV1.RoleSchema, roles, { columns: ROLE_COLUMNS, kind: 'role' }, g);
}

export async function memberInvite(email: string, options: { role?: string[] }, g: Global): Promise<void> {
  const api = cloudApi(g);
  const accountInvite = fromJson(accountV1.AccountInviteSchema, {
    accountId: api.accountId,
    userEmail: email,
    userRoleIds: await roleIdsOf(api, options.role),
  });
  await showInvites((await api.call('CreateAccountInvite', () => api.accounts.createAccountInvite({ accountInvite }))).accountInvite!, g);
}

const INVITE_STATUSES = ['pending', 'accepted', 'rejected', 'canceled'];

export async function memberInvites(options: { status?: string }, g: Global): Promise<void> {
  const api = cloudApi(g);
  const status = options.status?.toLowerCase();
  if (status && !INVITE_STATUSES.includes(status))
    throw new CliError(`--status "${options.status}": one of ${INVITE_STATUSES.join(', ')}`, { code: EXIT.usage });
  const statuses = status ? [accountV1.AccountInviteStatus[status.toUpperCase() as 'PENDING']] : [];
  await showInvites((await api.call('ListAccountInvites', () => api.accounts.listAccountInvites({ accountId: api.accountId, statuses }))).items, g);
}

export async function memberCancelInvite(id: string, g: Global): Promise<void> {
  const api = cloudApi(g);
  await api.call('DeleteAccountInvite', () => api.accounts.deleteAccountInvite({ accountId: api.accountId, inviteId: id }));
  process.stderr.write(`invite ${id} canceled\n`);
}

async function receivedInvites(api: CloudApi): Promise<accountV1.AccountInvite[]> {
  return (await api.call('ListReceivedAccountInvites', () => api.accounts.listReceivedAccountInvites({}))).items;
}

export async function inviteList(g: Global): Promise<void> {
  await showInvites(await receivedInvites(cloudApi(g)), g);
}

/** Accepts or rejects an invite the signed-in user received (its account from the invite itself). */
export async function inviteAnswer(id: string, answer: 'accept' | 'reject', g: Global): Promise<void> {
  const api = cloudApi(g);
  const invite = findByRef(await receivedInvites(api), id, { id: (i) => i.id, names: () => [] }, 'invite', 'qhc invite list');
  const request = { accountId: invite.accountId, inviteId: invite.id };
  const answered =
    answer === 'accept'
      ? await api.call('AcceptAccountInvite', () => api.accounts.acceptAccountInvite(request))
      : await api.call('RejectAccountInvite', () => api.accounts.rejectAccountInvite(request));
  await showInvites(answered.invite ?? invite, g);
}
