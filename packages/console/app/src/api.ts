import { Code, ConnectError, createClient, type Interceptor } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-web';
import { backupV1, bookingV1, clusterV1, hybridV1, qhcV1 } from '@qhc/cloud-api';
import { parseWarningHeader } from './lib/warnings.ts';

// The control plane's Cloud API (Connect protocol, JSON), same origin, with the session cookie.
// Every call carries the session's CSRF token, which the page learns at sign-in or from
// SessionService.GetSession; the account every request names is the session's.

export type Session = qhcV1.Session;

let session: Session | undefined;
let onSignedOut: () => void = () => undefined;

export function onSessionEnded(signedOut: () => void) {
  onSignedOut = signedOut;
}

/** The session's account: every request of the API names it. */
export const accountId = (): string => session?.accountId ?? '';

// The control plane's warnings (`Warning: 299 - "…"`, as the kube-apiserver sends them): a
// cluster whose storage cannot grow, a backup in a region without snapshots. Kept until
// dismissed, so one shown after a create survives the navigation that follows it.
let warnings: readonly string[] = [];
const warningListeners = new Set<() => void>();

function noteWarnings(header: string | null): void {
  const texts = parseWarningHeader(header);
  if (texts.length === 0) return;
  warnings = [...warnings, ...texts];
  for (const listener of warningListeners) listener();
}

export const apiWarnings = {
  subscribe(listener: () => void): () => void {
    warningListeners.add(listener);
    return () => warningListeners.delete(listener);
  },
  current: (): readonly string[] => warnings,
  dismiss(): void {
    warnings = [];
    for (const listener of warningListeners) listener();
  },
};

const SESSION_METHODS = new Set(['GetSession', 'CreateSession']);

/** The CSRF header on every call; a call refused for want of a session shows the sign-in form. */
const sessionInterceptor: Interceptor = (next) => async (req) => {
  if (session) req.header.set('x-csrf-token', session.csrfToken);
  try {
    const res = await next(req);
    noteWarnings(res.header.get('warning'));
    return res;
  } catch (error) {
    if (error instanceof ConnectError && error.code === Code.Unauthenticated && !SESSION_METHODS.has(req.method.name)) onSignedOut();
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

/** The server's own words: a ConnectError's message without its `[code]` prefix (it names the field). */
export const errorMessage = (error: unknown): string =>
  error instanceof ConnectError ? error.rawMessage : error instanceof Error ? error.message : String(error);

export async function currentSession(): Promise<Session | undefined> {
  try {
    session = (await sessions.getSession({})).session;
    return session;
  } catch (error) {
    if (error instanceof ConnectError && error.code === Code.Unauthenticated) return undefined;
    throw error;
  }
}

export async function signIn(managementKey: string): Promise<Session> {
  const created = (await sessions.createSession({ managementKey })).session;
  if (!created) throw new Error('the control plane answered the sign-in without a session');
  session = created;
  return created;
}

export async function signOut(): Promise<void> {
  await sessions.deleteSession({});
  session = undefined;
}
