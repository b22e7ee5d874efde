import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import { qhcV1 } from '@qhc/cloud-api';
import { isUniqueViolation } from '../../db/db.ts';
import { checkNewPassword, DEFAULT_SIGN_IN_POLICY } from '../../iam/sign-in.ts';
import { createRateLimiter, type RateLimiter } from '../../iam/rate-limit.ts';
import { remoteAddressOf } from '../remote-address.ts';
import { hashPassword } from '../../iam/passwords.ts';
import { accountById, decideAccount, listAccounts, type AccountRow } from '../../repositories/accounts.ts';
import { createUserSession } from '../../repositories/user-sessions.ts';
import { insertUser, userByEmail } from '../../repositories/users.ts';
import { csrfTokenOf } from '../../sessions.ts';
import { encodePageToken } from '../../pages.ts';
import { statusOfProto, toAccess, toAccountRequest, toAccountStatus } from '../account/access-messages.ts';
import { billingOf } from '../account/billing-info.ts';
import { createAccountOwnedBy } from '../account/create.ts';
import { accountNameField, companyFields, emailField } from '../account/fields.ts';
import { deciderOf, requireInstanceAdmin } from '../account/principals.ts';
import { callerOf, type CloudDeps } from '../context.ts';
import { invalid, pageOf, uuidField } from './fields.ts';
import { cloudSessionCookie } from './session-cookie.ts';

// qhc.v1.AccountAccessService: signing up, and instance administrators letting accounts in.

const taken = () => new ConnectError('email: a user with this email exists; sign in and create another account with CreateAccount', Code.AlreadyExists);

/** The sign-up form, checked field by field before any work (argon2 is not run for a bad form). */
function signUpForm(req: qhcV1.SignUpRequest) {
  const email = emailField('email', req.email);
  checkNewPassword(req.password, email);
  return {
    email,
    accountName: accountNameField('account_name', req.accountName),
    company: companyFields('company', req.company),
    billing: billingOf('billing_information', req.billingInformation),
  };
}

async function signUp(deps: CloudDeps, limiter: RateLimiter, req: qhcV1.SignUpRequest, ctx: HandlerContext) {
  // A sign-up signs in: from another site it would be login CSRF, refused as CreateSession refuses it.
  const site = ctx.requestHeader.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin')
    throw new ConnectError(`refused: the sign-up came from another site (Sec-Fetch-Site: ${site.slice(0, 32)})`, Code.PermissionDenied);
  // Unauthenticated and hashing a password: limited per source address as password sign-in is.
  const take = limiter.take(remoteAddressOf(ctx));
  if (!take.ok) {
    const seconds = Math.ceil(take.retryAfterMs / 1000);
    throw new ConnectError(`too many sign-ups from this address; retry after ${seconds}s`, Code.ResourceExhausted, { 'retry-after': String(seconds) });
  }
  const form = signUpForm(req);
  // Self-service sign-up without mail delivery answers at once with a session, so an email that
  // exists cannot be answered exactly as a new one: AlreadyExists tells. What is kept equal is the
  // time (argon2 runs either way, before the lookup), and the per-address rate limit bounds probing.
  const hash = await hashPassword(req.password, (deps.signIn ?? DEFAULT_SIGN_IN_POLICY).cost);
  if (await userByEmail(deps.db, form.email)) throw taken();
  const { ttlSeconds, secure } = deps.sessions;
  const made = await deps.db
    .tx(async (tx) => {
      if (await userByEmail(tx, form.email)) throw taken();
      const user = await insertUser(tx, form.email, hash, deps.now);
      const account = await createAccountOwnedBy(
        tx,
        {
          name: form.accountName,
          companyName: form.company.name,
          companyDomain: form.company.domain,
          billing: JSON.stringify(form.billing),
          ownerUserId: user.id,
        },
        deps.autoApproveAccounts ?? false,
        deps.now,
      );
      return { user, account, session: await createUserSession(tx, user.id, account.id, ttlSeconds, deps.now) };
    })
    .catch((error: unknown) => {
      // Two sign-ups of one email at once: the second meets the first's row.
      throw isUniqueViolation(error) ? taken() : error;
    });
  ctx.responseHeader.append('set-cookie', cloudSessionCookie(made.session.secret, { secure, maxAgeSeconds: ttlSeconds }));
  const session = create(qhcV1.SessionSchema, {
    accountId: made.account.id,
    csrfToken: csrfTokenOf(made.session.secret),
    expiresAt: timestampFromDate(new Date(deps.now() + ttlSeconds * 1000)),
    userId: made.user.id,
    userEmail: made.user.email,
    accountName: made.account.name,
  });
  return { accountId: made.account.id, userId: made.user.id, accountStatus: toAccountStatus(made.account.status), session };
}

/** The account an administrator decides on (NotFound names the id: administrators may know every account). */
async function decided(deps: CloudDeps, accountId: string): Promise<AccountRow> {
  const id = uuidField('account_id', accountId);
  const row = await accountById(deps.db, id);
  if (!row) throw new ConnectError(`account ${id} not found`, Code.NotFound);
  return row;
}

export function accountAccessService(deps: CloudDeps): Partial<ServiceImpl<typeof qhcV1.AccountAccessService>> {
  const limiter = createRateLimiter({ perMinute: (deps.signIn ?? DEFAULT_SIGN_IN_POLICY).perMinute }, deps.now);
  return {
    signUp: (req, ctx) => signUp(deps, limiter, req, ctx),
    async getAccountAccess(req) {
      // The interceptor checked account_id is the caller's: any member may see where it stands.
      const row = await accountById(deps.db, req.accountId.toLowerCase());
      if (!row) throw new ConnectError(`account ${req.accountId} not found`, Code.NotFound);
      return { access: toAccess(row) };
    },
    async listAccountRequests(req, ctx) {
      await requireInstanceAdmin(deps.db, callerOf(ctx), 'ListAccountRequests');
      const status = req.status === undefined ? undefined : statusOfProto.get(req.status);
      if (req.status !== undefined && req.status !== qhcV1.AccountStatus.UNSPECIFIED && !status) throw invalid('status', `unknown status ${req.status}`);
      const page = pageOf(req, 2);
      const rows = await listAccounts(deps.db, status, page.limit, page.after);
      const items = rows.slice(0, page.limit);
      const last = items.at(-1);
      return {
        items: await Promise.all(items.map((row) => toAccountRequest(deps.db, row))),
        nextPageToken: rows.length > page.limit && last ? encodePageToken([last.created_at, last.id]) : '',
      };
    },
    async approveAccount(req, ctx) {
      const caller = callerOf(ctx);
      await requireInstanceAdmin(deps.db, caller, 'ApproveAccount');
      const row = await decided(deps, req.accountId);
      await decideAccount(deps.db, row.id, 'approved', null, deciderOf(caller.principal), deps.now);
      return { accountRequest: await toAccountRequest(deps.db, (await accountById(deps.db, row.id))!) };
    },
    async rejectAccount(req, ctx) {
      const caller = callerOf(ctx);
      await requireInstanceAdmin(deps.db, caller, 'RejectAccount');
      const reason = req.reason.trim();
      if (reason === '') throw invalid('reason', "missing; the account's members are shown why it was rejected");
      if (reason.length > 1000) throw invalid('reason', 'at most 1000 characters');
      const row = await decided(deps, req.accountId);
      await decideAccount(deps.db, row.id, 'rejected', reason, deciderOf(caller.principal), deps.now);
      return { accountRequest: await toAccountRequest(deps.db, (await accountById(deps.db, row.id))!) };
    },
  };
}
