import { Code, ConnectError, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import type { qhcV1 } from '@qhc/cloud-api';
import { createPasswordSignIn, DEFAULT_SIGN_IN_POLICY, type PasswordSignIn } from '../../iam/sign-in.ts';
import { createCloudSession, deleteCloudSession, findCloudSession, type LiveCloudSession } from '../../repositories/cloud-sessions.ts';
import { createUserSession, findUserSession, switchSessionAccount, type UserSession } from '../../repositories/user-sessions.ts';
import { accountsOfUser, isMember } from '../../repositories/users.ts';
import { CSRF_HEADER } from '../../sessions.ts';
import { authenticate, checkCsrf, isUuid } from '../auth.ts';
import { callerOf, type CloudDeps } from '../context.ts';
import { remoteAddressOf } from '../remote-address.ts';
import { invalid } from './fields.ts';
import { cloudSessionCookie, sessionSecretOf } from './session-cookie.ts';
import { keySessionView, myAccounts, userSessionView } from './session-views.ts';

// qhc.v1.SessionService: the console's sign-in, with a management key or a user's email and
// password. The session's secret travels only in the HttpOnly cookie; the answer carries the CSRF
// token derived from it.

const signedOut = () => new ConnectError('not signed in (no session cookie, or the session ended)', Code.Unauthenticated);

type Found = { secret: string; key: LiveCloudSession; user?: undefined } | { secret: string; key?: undefined; user: UserSession };

async function sessionOf(deps: CloudDeps, ctx: HandlerContext): Promise<Found> {
  const secret = sessionSecretOf(ctx.requestHeader);
  if (!secret) throw signedOut();
  const key = await findCloudSession(deps.db, secret, deps.now);
  if (key) return { secret, key };
  const user = await findUserSession(deps.db, secret, deps.now);
  if (user) return { secret, user };
  throw signedOut();
}

/** No session yet, so no CSRF token: a sign-in from another site (login CSRF) is refused as /api/v1 refuses it. */
function refuseCrossSite(ctx: HandlerContext): void {
  const site = ctx.requestHeader.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin')
    throw new ConnectError(`refused: the sign-in came from another site (Sec-Fetch-Site: ${site.slice(0, 32)})`, Code.PermissionDenied);
}

/** One message whether the account exists or not: a user learns only of the accounts they are in. */
const notMember = (accountId: string) => new ConnectError(`you are not a member of account ${accountId}`, Code.PermissionDenied);

function checkAccountId(accountId: string): void {
  if (!isUuid(accountId)) throw invalid('account_id', `${JSON.stringify(accountId.slice(0, 64))} is not a UUID`);
}

/** The account a password sign-in acts in: the one asked for (a membership), else the user's first. */
async function signInAccount(deps: CloudDeps, userId: string, requested: string | undefined): Promise<string> {
  if (requested !== undefined) {
    checkAccountId(requested);
    if (!(await isMember(deps.db, requested, userId))) throw notMember(requested);
    return requested;
  }
  const [first] = await accountsOfUser(deps.db, userId);
  if (!first) throw new ConnectError('you are a member of no account; ask an account administrator for an invite', Code.PermissionDenied);
  return first.id;
}

// The REST gateway and the gRPC router each register the services: one sign-in (and rate limiter) per deps.
const signIns = new WeakMap<CloudDeps, PasswordSignIn>();
function signInOf(deps: CloudDeps): PasswordSignIn {
  let signIn = signIns.get(deps);
  if (!signIn) signIns.set(deps, (signIn = createPasswordSignIn(deps.db, deps.now, deps.signIn ?? DEFAULT_SIGN_IN_POLICY)));
  return signIn;
}

export function sessionService(deps: CloudDeps): ServiceImpl<typeof qhcV1.SessionService> {
  const { ttlSeconds, secure } = deps.sessions;
  const passwords = signInOf(deps);
  const setCookie = (ctx: HandlerContext, secret: string) =>
    ctx.responseHeader.append('set-cookie', cloudSessionCookie(secret, { secure, maxAgeSeconds: ttlSeconds }));
  return {
    async createSession(req, ctx) {
      refuseCrossSite(ctx);
      const key = req.managementKey.trim();
      if (!key) throw invalid('management_key', 'missing; paste a management key (qhc_m_…)');
      if (/\s/.test(key)) throw invalid('management_key', 'a management key is one word, without spaces');
      // The key's own checks (unknown, deleted, expired) and their messages, as for `authorization: apikey`.
      const caller = await authenticate(deps, `apikey ${key}`);
      const { secret, session } = await createCloudSession(deps.db, caller.principal.id, ttlSeconds, deps.now);
      setCookie(ctx, secret);
      return { session: await keySessionView(deps.db, secret, { ...session, account_id: caller.accountId }) };
    },
    async signInWithPassword(req, ctx) {
      refuseCrossSite(ctx);
      const user = await passwords.signIn({ email: req.email, password: req.password, remoteAddress: remoteAddressOf(ctx) });
      const accountId = await signInAccount(deps, user.id, req.accountId);
      const { secret } = await createUserSession(deps.db, user.id, accountId, ttlSeconds, deps.now);
      setCookie(ctx, secret);
      const expiresAt = new Date(deps.now() + ttlSeconds * 1000).toISOString();
      return { session: await userSessionView(deps.db, secret, { accountId, userId: user.id, email: user.email, expiresAt }) };
    },
    async getSession(_req, ctx) {
      const { secret, key, user } = await sessionOf(deps, ctx);
      return { session: key ? await keySessionView(deps.db, secret, key) : await userSessionView(deps.db, secret, user) };
    },
    // A key alone names no session to end; a key sent WITH a cookie skipped the interceptor's CSRF
    // check (it authenticated the key), so the cookie's own token is asked for here.
    async deleteSession(_req, ctx) {
      const { secret } = await sessionOf(deps, ctx);
      checkCsrf(secret, ctx.requestHeader.get(CSRF_HEADER));
      await deleteCloudSession(deps.db, secret);
      ctx.responseHeader.append('set-cookie', cloudSessionCookie('', { secure, maxAgeSeconds: 0 }));
      return {};
    },
    async listMyAccounts(_req, ctx) {
      return { items: await myAccounts(deps.db, callerOf(ctx)) };
    },
    async switchAccount(req, ctx) {
      const { principal } = callerOf(ctx);
      if (principal.kind !== 'user')
        throw new ConnectError("a management key's session acts in the key's account only; sign in with a password to switch", Code.FailedPrecondition);
      checkAccountId(req.accountId);
      if (!(await isMember(deps.db, req.accountId, principal.id))) throw notMember(req.accountId);
      const { secret, user } = await sessionOf(deps, ctx);
      if (!user) throw signedOut();
      await switchSessionAccount(deps.db, user.id, req.accountId);
      return { session: await userSessionView(deps.db, secret, { ...user, accountId: req.accountId }) };
    },
  };
}
