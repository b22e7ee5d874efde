import { timingSafeEqual } from 'node:crypto';
import type { Logger } from '@qhc/kube';
import * as oidc from 'openid-client';
import type { Request, Reply, Router } from '../../api/http.ts';
import type { Db } from '../../db/db.ts';
import { oidcProviderById, scopesOf, type OidcProviderRow } from '../../repositories/oidc-providers.ts';
import { beginSignIn, redeemSignIn } from '../../repositories/oidc-sign-ins.ts';
import type { Clock } from '../../repositories/tokens.ts';
import { readCookie } from '../../sessions.ts';
import { isUuid } from '../auth.ts';
import { cloudSessionCookie } from '../qhc/session-cookie.ts';
import { SignInRefused } from './claims.ts';
import { finishSignIn } from './finish.ts';
import type { OidcClients } from './oidc-client.ts';
import { problemPage } from './pages.ts';

// The browser's side of signing in through a provider: /start sends it to the provider with a
// fresh state, nonce and PKCE challenge; /callback checks the state against the browser's cookie
// and the stored sign-in, redeems the code, and turns the ID token into a console session.

export interface SsoRouteOptions {
  db: Db;
  now: Clock;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Where the browser reaches this control plane: the redirect URI's origin. */
  publicUrl: string;
  /** The console session a sign-in makes: its lifetime, and a Secure cookie over TLS. */
  sessions: { ttlSeconds: number; secure: boolean };
  clients: OidcClients;
}

/** How long a started sign-in may take at the provider. */
export const SIGN_IN_TTL_SECONDS = 600;
export const STATE_COOKIE = 'qhc_oidc_state';

/** Binds a sign-in to the browser that started it. SameSite=Lax: the provider's redirect back is a cross-site navigation. */
export function stateCookie(state: string, secure: boolean, maxAgeSeconds = SIGN_IN_TTL_SECONDS): string {
  return [`${STATE_COOKIE}=${state}`, 'Path=/auth/oidc/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`, ...(secure ? ['Secure'] : [])].join('; ');
}

export const redirectUriOf = (publicUrl: string, providerId: string) => `${publicUrl.replace(/\/+$/, '')}/auth/oidc/${providerId}/callback`;

async function providerOf(options: SsoRouteOptions, req: Request): Promise<OidcProviderRow> {
  const id = req.params.providerId!;
  const row = isUuid(id) ? await oidcProviderById(options.db, id.toLowerCase()) : undefined;
  if (!row) throw new SignInRefused(404, `there is no sign-in provider ${id.slice(0, 64)}`);
  return row;
}

async function configurationOf(options: SsoRouteOptions, row: OidcProviderRow): Promise<oidc.Configuration> {
  try {
    return await options.clients.configurationOf(row);
  } catch (error) {
    throw new SignInRefused(
      502,
      `the provider ${row.name} (${row.issuer_url}) could not be reached: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

async function start(options: SsoRouteOptions, req: Request): Promise<Reply> {
  const row = await providerOf(options, req);
  const config = await configurationOf(options, row);
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  await beginSignIn(options.db, state, { providerId: row.id, codeVerifier, nonce }, SIGN_IN_TTL_SECONDS, options.now);
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUriOf(options.publicUrl, row.id),
    scope: scopesOf(row).join(' '),
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { status: 303, headers: { location: url.href, 'set-cookie': stateCookie(state, options.sessions.secure) } };
}

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The state of the callback: sent, the one this browser started with, and a sign-in not yet redeemed, of this provider. */
async function pendingOf(options: SsoRouteOptions, req: Request, row: OidcProviderRow) {
  const error = req.query.get('error');
  if (error !== null)
    throw new SignInRefused(400, `the provider refused the sign-in: ${error.slice(0, 100)} ${(req.query.get('error_description') ?? '').slice(0, 300)}`.trim());
  const state = req.query.get('state');
  if (!state) throw new SignInRefused(400, 'the callback carries no state parameter; start signing in again');
  const cookie = readCookie(req.headers.cookie, STATE_COOKIE);
  if (!cookie) throw new SignInRefused(400, 'this browser has no sign-in under way (no state cookie); start signing in again');
  if (!sameText(cookie, state)) throw new SignInRefused(400, 'the state parameter is not the one this browser started signing in with');
  const pending = await redeemSignIn(options.db, state, options.now);
  if (!pending || pending.providerId !== row.id) throw new SignInRefused(400, 'the sign-in state is unknown, used or expired; start signing in again');
  return { state, ...pending };
}

async function callback(options: SsoRouteOptions, req: Request): Promise<Reply> {
  const row = await providerOf(options, req);
  const pending = await pendingOf(options, req, row);
  const config = await configurationOf(options, row);
  const current = new URL(redirectUriOf(options.publicUrl, row.id));
  current.search = req.query.toString();
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  try {
    tokens = await oidc.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    throw new SignInRefused(401, `the provider's answer was refused: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { secret } = await finishSignIn(options, row, tokens.claims());
  const { ttlSeconds, secure } = options.sessions;
  return { status: 303, headers: { location: '/', 'set-cookie': [sessionCookieOf(secret, secure, ttlSeconds), stateCookie('', secure, 0)] } };
}

const sessionCookieOf = (secret: string, secure: boolean, maxAgeSeconds: number) => cloudSessionCookie(secret, { secure, maxAgeSeconds });

/** A refusal as its page (the state cookie cleared: the sign-in is over); anything else is the router's 500. */
const refusing =
  (options: SsoRouteOptions, step: (options: SsoRouteOptions, req: Request) => Promise<Reply>) =>
  async (req: Request): Promise<Reply> => {
    try {
      return await step(options, req);
    } catch (error) {
      if (!(error instanceof SignInRefused)) throw error;
      options.logger.warn('oidc sign-in refused', { path: req.path, status: error.status, reason: error.message });
      return problemPage(error.status, 'Sign-in failed', error.message, { 'set-cookie': stateCookie('', options.sessions.secure, 0) });
    }
  };

export function ssoRoutes(router: Router, options: SsoRouteOptions): void {
  router.on('GET', '/auth/oidc/:providerId/start', refusing(options, start));
  router.on('GET', '/auth/oidc/:providerId/callback', refusing(options, callback));
}
