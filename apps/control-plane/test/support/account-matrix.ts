// The permission matrix rows (CORE's test/cloud-permission-matrix.test.ts) of the account
// services: spread into its MATRIX. Initials: Owner, Admin, Editor, Viewer, Base. Keys of the
// matrix are the first account's, so its Owner and Admin keys are instance administrators.

const ALL = 'OAEVB';

export const ACCOUNT_MATRIX_ROWS: Record<string, Record<string, string>> = {
  'qdrant.cloud.account.v1.AccountService': {
    ListAccounts: ALL,
    GetAccount: ALL,
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
    // No permission option: the service refuses whoever is not an instance administrator.
    ListAccountRequests: 'OA',
    ApproveAccount: 'OA',
    RejectAccount: 'OA',
  },
  'qhc.v1.AccountBillingService': { GetBillingInformation: ALL, UpdateBillingInformation: 'O' },
};
