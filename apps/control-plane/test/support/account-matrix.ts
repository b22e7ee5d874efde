// The permission matrix rows (test/cloud-permission-matrix.test.ts) of the account services:
// spread into its MATRIX. Initials: Owner, Admin, Editor, Viewer, Base. Keys of the matrix are
// the first account's, so its Owner and Admin keys are instance administrators.

const ALL = 'OAEVB';

/**
 * An rpc without a `permissions` option that its service keeps to instance administrators:
 * the first account's Owner and Admin keys get through, every other role's key is refused by
 * the service with PermissionDenied `<rpc> is for instance administrators`.
 */
export const INSTANCE_ADMINS = 'instance administrators';

export const ACCOUNT_MATRIX_ROWS: Record<string, Record<string, string>> = {
  'qdrant.cloud.account.v1.AccountService': {
    ListAccounts: ALL,
    // read:account: Editor (resources only) lacks it; a person always holds it through Base.
    GetAccount: 'OAVB',
    // A key is refused with FailedPrecondition (it has no user): allowed by the interceptor.
    CreateAccount: ALL,
    UpdateAccount: 'O',
    DeleteAccount: 'O',
    LeaveAccount: ALL,
    ListAccountInvites: 'OAV',
    ListReceivedAccountInvites: ALL,
    GetAccountInvite: 'OAV',
    CreateAccountInvite: 'OA',
    DeleteAccountInvite: 'OA',
    AcceptAccountInvite: ALL,
    RejectAccountInvite: ALL,
    ListAccountMembers: 'OAV',
    GetAccountMember: 'OAV',
    DeleteAccountMember: 'OA',
    SuggestCompanies: ALL,
  },
  'qhc.v1.AccountAccessService': {
    SignUp: 'public',
    GetAccountAccess: ALL,
    ListAccountRequests: INSTANCE_ADMINS,
    ApproveAccount: INSTANCE_ADMINS,
    RejectAccount: INSTANCE_ADMINS,
  },
  'qhc.v1.AccountBillingService': { GetBillingInformation: 'OAVB', UpdateBillingInformation: 'O' },
};
