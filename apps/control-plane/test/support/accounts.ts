import { expect } from 'vitest';
import { createUserSession } from '../../src/repositories/user-sessions.ts';
import { markEmailVerified } from '../../src/repositories/users.ts';
import { csrfTokenOf } from '../../src/sessions.ts';
import type { CloudPlane } from './cloud.ts';
import { callApi, type ApiAnswer } from './http.ts';
import { sqlOn } from './sql.ts';

// Accounts tests: Connect JSON calls as the console makes them (a session cookie and its CSRF
// token) or as API clients do (a management key), and sign-ups.

export type Headers = Record<string, string>;

/** One Connect JSON call: `service` is the proto's full name (qhc.v1.AccountAccessService). */
export const connect = (plane: CloudPlane, service: string, method: string, body: unknown, headers: Headers = {}): Promise<ApiAnswer> =>
  callApi(plane.cp.url, 'POST', `/${service}/${method}`, { body, headers });

export const ACCESS = 'qhc.v1.AccountAccessService';
export const ACCOUNTS = 'qdrant.cloud.account.v1.AccountService';
export const BILLING = 'qhc.v1.AccountBillingService';
export const HYBRID = 'qdrant.cloud.hybrid.v1.HybridCloudService';
export const AUTH = 'qdrant.cloud.auth.v1.AuthService';

export const billing = (overrides: Record<string, string> = {}) => ({
  companyName: 'Acme GmbH',
  addressLine1: 'Hauptstr. 1',
  postalCode: '10115',
  city: 'Berlin',
  country: 'DE',
  taxId: 'DE123456789',
  billingEmail: 'billing@acme.test',
  ...overrides,
});

export const PASSWORD = 'correct horse battery staple';

export const signUpBody = (email: string, overrides: Record<string, unknown> = {}) => ({
  email,
  password: PASSWORD,
  accountName: `account of ${email}`,
  company: { name: 'Acme', domain: 'acme.test' },
  billingInformation: billing(),
  ...overrides,
});

export interface SignedUp {
  accountId: string;
  userId: string;
  status: string;
  /** The session's cookie and CSRF token: a console's calls. */
  headers: Headers;
}

/** Signs up `email`; fails the test unless it succeeded. */
export async function signUp(plane: CloudPlane, email: string, overrides: Record<string, unknown> = {}): Promise<SignedUp> {
  const res = await connect(plane, ACCESS, 'SignUp', signUpBody(email, overrides));
  expect(res.status, res.text).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return {
    accountId: res.json.accountId,
    userId: res.json.userId,
    status: res.json.accountStatus,
    headers: { cookie, 'x-csrf-token': res.json.session.csrfToken },
  };
}

/** A console session of `userId` acting in `accountId` (a member), as SwitchAccount would make it. */
export async function sessionIn(plane: CloudPlane, userId: string, accountId: string): Promise<Headers> {
  const { secret } = await createUserSession(plane.cp.store.db, userId, accountId, 3600, () => plane.clock.now);
  return { cookie: `qhc_cloud_session=${secret}`, 'x-csrf-token': csrfTokenOf(secret) };
}

/** Marks the user's email verified, as an OIDC sign-in or `qhc-control-plane verify-email` would (only then may they claim invites). */
export const verifyEmail = (plane: CloudPlane, userId: string) => markEmailVerified(plane.cp.store.db, userId, () => plane.clock.now);

/** The id of a built-in role of an account. */
export async function roleId(plane: CloudPlane, accountId: string, name: string): Promise<string> {
  const [row] = await sqlOn(plane.cp.store.db).all<{ id: string }>('SELECT id FROM roles WHERE account_id = $1 AND name = $2', [accountId, name]);
  return row!.id;
}

/** The answer's Connect error code and message (fails the test on a success). */
export function refusal(res: ApiAnswer): { code: string; message: string } {
  expect(res.status, res.text).not.toBe(200);
  return { code: res.json.code, message: res.json.message };
}

/** A clock reading as the Connect JSON of a Timestamp shows it (no zero milliseconds). */
export const jsonTime = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
