import { Code, ConnectError, createClient, type Interceptor } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-web';
import { accountV1, authV1, backupV1, bookingV1, clusterV1, hybridV1, iamV1, qhcV1 } from '@qhc/cloud-api';
import { csrfToken, noteWarnings, sessionEnded } from './api.ts';

// The Cloud API's clients (Connect protocol, JSON), same origin, with the session cookie and,
// on every call, the session's CSRF token.

/** Calls made without a session (or to find one): their Unauthenticated is an answer, not a signed-out session. */
const SESSION_METHODS = new Set(['GetSession', 'CreateSession', 'SignInWithPassword', 'SignUp', 'ListSignInOptions']);

/** The CSRF header on every call; a call refused for want of a session shows the sign-in form. */
const sessionInterceptor: Interceptor = (next) => async (req) => {
  const token = csrfToken();
  if (token) req.header.set('x-csrf-token', token);
  try {
    const res = await next(req);
    noteWarnings(res.header.get('warning'));
    return res;
  } catch (error) {
    if (error instanceof ConnectError && error.code === Code.Unauthenticated && !SESSION_METHODS.has(req.method.name)) sessionEnded();
    throw error;
  }
};

const transport = createConnectTransport({
  baseUrl: '/',
  useBinaryFormat: false,
  fetch: (input, init) => fetch(input, { ...init, credentials: 'include' }),
  interceptors: [sessionInterceptor],
});

export const sessions = createClient(qhcV1.SessionService, transport);
export const environmentsApi = createClient(hybridV1.HybridCloudService, transport);
export const environmentAgentApi = createClient(qhcV1.EnvironmentAgentService, transport);
export const clustersApi = createClient(clusterV1.ClusterService, transport);
export const clusterEventsApi = createClient(qhcV1.ClusterEventService, transport);
export const backupsApi = createClient(backupV1.BackupService, transport);
export const bookingApi = createClient(bookingV1.BookingService, transport);
export const accountsApi = createClient(accountV1.AccountService, transport);
export const accountAccessApi = createClient(qhcV1.AccountAccessService, transport);
export const billingApi = createClient(qhcV1.AccountBillingService, transport);
export const iamApi = createClient(iamV1.IAMService, transport);
export const keysApi = createClient(authV1.AuthService, transport);
export const keyRolesApi = createClient(qhcV1.ManagementKeyRoleService, transport);
export const auditApi = createClient(qhcV1.AuditLogService, transport);
export const ssoApi = createClient(qhcV1.SsoService, transport);

export const isUnauthenticated = (error: unknown) => error instanceof ConnectError && error.code === Code.Unauthenticated;
