import { Code, ConnectError, createClient, type Interceptor } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-web';
import { backupV1, bookingV1, clusterV1, hybridV1, qhcV1 } from '@qhc/cloud-api';
import { csrfToken, noteWarnings, sessionEnded } from './api.ts';

// The Cloud API's clients (Connect protocol, JSON), same origin, with the session cookie and,
// on every call, the session's CSRF token.

const SESSION_METHODS = new Set(['GetSession', 'CreateSession']);

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

export const isUnauthenticated = (error: unknown) => error instanceof ConnectError && error.code === Code.Unauthenticated;
