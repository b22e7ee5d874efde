// Accounts (AccountService), their access requests and approval (qhc.v1 AccountAccessService,
// approval by an instance administrator), and switching the context to another account.
import { fromJson } from '@bufbuild/protobuf';
import { accountV1, qhcV1 } from '@qhc/cloud-api';
import { allPages, asJson, type CloudApi, type Json } from '../cloud.ts';
import { readConfig, writeConfig } from '../config.ts';
import { confirmOrExit } from '../confirm.ts';
import { CliError, EXIT } from '../exit.ts';
import { age, type Column } from '../output.ts';
import { cloudApi, type Global } from './region.ts';
import { findByRef, showMessages, trimEnum, type Row } from './rows.ts';

const company = (r: Row) => (r.company ?? {}) as { name?: string; domain?: string };
const ACCOUNT_COLUMNS: Column<Row>[] = [
  { header: 'name', value: (r) => r.name },
  { header: 'id', value: (r) => r.id },
  { header: 'owner', value: (r) => (r.ownerEmail as string) || undefined },
  { header: 'company', value: (r) => company(r).name || undefined, wide: true },
  { header: 'domain', value: (r) => company(r).domain || undefined, wide: true },
  { header: 'age', value: (r) => age(r.createdAt) },
];
const access = (r: Row) => (r.access ?? r) as { accountId?: string; status?: string; reason?: string; requestedAt?: string; decidedAt?: string };
const status = (r: Row) => trimEnum(access(r).status, 'ACCOUNT_STATUS_');
const REQUEST_COLUMNS: Column<Row>[] = [
  { header: 'account', value: (r) => access(r).accountId },
  { header: 'name', value: (r) => r.accountName as string },
  { header: 'owner', value: (r) => (r.ownerEmail as string) || undefined },
  { header: 'company', value: (r) => company(r).name || undefined },
  { header: 'status', value: status },
  { header: 'decided by', value: (r) => (r.decidedByEmail as string) || undefined, wide: true },
  { header: 'reason', value: (r) => access(r).reason || undefined, wide: true },
  { header: 'requested', value: (r) => age(access(r).requestedAt) },
];
const ACCESS_COLUMNS: Column<Row>[] = [
  { header: 'account', value: (r) => r.accountId as string },
  { header: 'status', value: status },
  { header: 'reason', value: (r) => (r.reason as string) || undefined },
  { header: 'requested', value: (r) => age(r.requestedAt as string | undefined) },
];

const showAccounts = (a: accountV1.Account | accountV1.Account[], g: Global) =>
  showMessages(accountV1.AccountSchema, a, { columns: ACCOUNT_COLUMNS, kind: 'account' }, g);
const showRequests = (r: qhcV1.AccountRequest | qhcV1.AccountRequest[], g: Global) =>
  showMessages(qhcV1.AccountRequestSchema, r, { columns: REQUEST_COLUMNS, kind: 'request', name: (x) => String(access(x).accountId) }, g);

const accounts = async (api: CloudApi) => (await api.call('ListAccounts', () => api.accounts.listAccounts({}))).items;
/** The account of this id or name among the caller's; none named: the context's. */
async function accountIdOf(api: CloudApi, ref: string | undefined): Promise<string> {
  if (!ref || ref === api.accountId) return api.accountId;
  return findByRef(await accounts(api), ref, { id: (a) => a.id, names: (a) => [a.name] }, 'account', 'qhc account list').id;
}

/** A change acts in the context's account only: the control plane applies it to the account the caller acts in. */
async function ownAccountId(api: CloudApi, ref: string | undefined): Promise<string> {
  const accountId = await accountIdOf(api, ref);
  if (accountId !== api.accountId)
    throw new CliError(`account ${ref} is not the one context "${api.contextName}" acts in (${api.accountId})`, {
      code: EXIT.usage,
      hint: `run \`qhc account switch ${ref}\` first`,
    });
  return accountId;
}

export async function accountList(g: Global): Promise<void> {
  await showAccounts(await accounts(cloudApi(g)), g);
}

export async function accountGet(ref: string | undefined, g: Global): Promise<void> {
  const api = cloudApi(g);
  const accountId = await accountIdOf(api, ref);
  await showAccounts((await api.call('GetAccount', () => api.accounts.getAccount({ accountId }))).account!, g);
}

export interface AccountFields {
  name?: string;
  companyName?: string;
  companyDomain?: string;
}
const companyOf = (o: AccountFields, current: { name?: string; domain?: string } = {}): Json =>
  o.companyName !== undefined || o.companyDomain !== undefined
    ? ({
        company: {
          ...current,
          ...(o.companyName !== undefined ? { name: o.companyName } : {}),
          ...(o.companyDomain !== undefined ? { domain: o.companyDomain } : {}),
        },
      } as Json)
    : {};

export async function accountCreate(name: string, options: AccountFields, g: Global): Promise<void> {
  const api = cloudApi(g);
  const account = fromJson(accountV1.AccountSchema, { name, ...companyOf(options) });
  await showAccounts((await api.call('CreateAccount', () => api.accounts.createAccount({ account }))).account!, g);
}

/** Only what the flags name (update_mask): the account's read-only fields are never sent back. */
export async function accountUpdate(ref: string | undefined, options: AccountFields, g: Global): Promise<void> {
  const paths = [
    ...(options.name ? ['name'] : []),
    ...(options.companyName !== undefined ? ['company.name'] : []),
    ...(options.companyDomain !== undefined ? ['company.domain'] : []),
  ];
  if (paths.length === 0) throw new CliError('nothing to change', { code: EXIT.usage, hint: 'name one: --name, --company-name, --company-domain' });
  const api = cloudApi(g);
  const accountId = await ownAccountId(api, ref);
  const current = (await api.call('GetAccount', () => api.accounts.getAccount({ accountId }))).account!;
  const account = fromJson(accountV1.AccountSchema, {
    id: current.id,
    name: options.name ?? current.name,
    ...companyOf(options, current.company ? (asJson(accountV1.CompanySchema, current.company) as { name?: string }) : {}),
  });
  const answer = await api.call('UpdateAccount', () => api.accounts.updateAccount({ account, updateMask: { paths } }));
  await showAccounts(answer.account!, g);
}

export async function accountDelete(ref: string, options: { yes?: boolean }, g: Global): Promise<void> {
  const api = cloudApi(g);
  const accountId = await ownAccountId(api, ref);
  await confirmOrExit(`Delete account ${ref} and everything in it?`, options);
  await api.call('DeleteAccount', () => api.accounts.deleteAccount({ accountId }));
  process.stderr.write(`account ${ref} deleted\n`);
}

export async function accountLeave(ref: string | undefined, options: { yes?: boolean }, g: Global): Promise<void> {
  const api = cloudApi(g);
  const accountId = await ownAccountId(api, ref);
  await confirmOrExit(`Leave account ${ref ?? accountId}?`, options);
  await api.call('LeaveAccount', () => api.accounts.leaveAccount({ accountId }));
  process.stderr.write(`left account ${ref ?? accountId}\n`);
}

/** Saves the account id in the context; a user's session also switches on the server (SwitchAccount). */
export async function accountSwitch(ref: string, g: Global): Promise<void> {
  const api = cloudApi(g);
  const config = readConfig();
  const context = config.contexts[api.contextName];
  if (!context)
    throw new CliError('the control plane comes from QHC_URL, QHC_ACCOUNT_ID and QHC_MANAGEMENT_KEY: set QHC_ACCOUNT_ID instead', { code: EXIT.usage });
  const accountId = await accountIdOf(api, ref);
  if (api.isUser) await api.call('SwitchAccount', () => api.sessions.switchAccount({ accountId }));
  context.accountId = accountId;
  writeConfig(config);
  process.stderr.write(`context "${api.contextName}" now acts in account ${accountId}\n`);
}

const STATUSES = ['pending', 'approved', 'rejected'];

export async function accountRequests(options: { status?: string; limit?: number }, g: Global): Promise<void> {
  const wanted = options.status?.toLowerCase();
  if (wanted !== undefined && !STATUSES.includes(wanted))
    throw new CliError(`--status "${options.status}": one of ${STATUSES.join(', ')}`, { code: EXIT.usage });
  const api = cloudApi(g);
  const filter = wanted ? { status: qhcV1.AccountStatus[wanted.toUpperCase() as 'PENDING'] } : {};
  const items = await allPages(
    (pageToken, pageSize) => api.call('ListAccountRequests', () => api.access.listAccountRequests({ ...filter, pageSize, pageToken: pageToken ?? '' })),
    options.limit,
  );
  await showRequests(items, g);
}

export async function accountApprove(accountId: string, g: Global): Promise<void> {
  const api = cloudApi(g);
  await showRequests((await api.call('ApproveAccount', () => api.access.approveAccount({ accountId }))).accountRequest!, g);
}

export async function accountReject(accountId: string, options: { reason: string }, g: Global): Promise<void> {
  const api = cloudApi(g);
  await showRequests((await api.call('RejectAccount', () => api.access.rejectAccount({ accountId, reason: options.reason }))).accountRequest!, g);
}

export async function accountAccess(ref: string | undefined, g: Global): Promise<void> {
  const api = cloudApi(g);
  const accountId = ref ?? api.accountId;
  const answer = await api.call('GetAccountAccess', () => api.access.getAccountAccess({ accountId }));
  await showMessages(qhcV1.AccountAccessSchema, answer.access!, { columns: ACCESS_COLUMNS, kind: 'access', name: (r) => String(r.accountId) }, g);
}
