import type { MessageInitShape } from '@bufbuild/protobuf';
import type { qhcV1 } from '@qhc/cloud-api';
import { parseWarningHeader } from './lib/warnings.ts';

// The console's session with the control plane's Cloud API: the account every request names,
// the CSRF token every call carries (learnt at sign-in or from SessionService.GetSession), and
// the warnings the control plane sent. The clients themselves (clients.ts, with the API's
// descriptors) load with the first call, so the sign-in screen stays small.

export type Session = qhcV1.Session;

let session: Session | undefined;
let onSignedOut: () => void = () => undefined;

/** The session's CSRF token, for the header of every call. */
export const csrfToken = (): string | undefined => session?.csrfToken;

/** A call was refused for want of a session: the sign-in form shows. */
export const sessionEnded = (): void => onSignedOut();

export function onSessionEnded(signedOut: () => void) {
  onSignedOut = signedOut;
}

/** The session as the control plane last answered it (user, account, instance administrator). */
export const sessionNow = (): Session | undefined => session;

/** The session's account: every request of the API names it. */
export const accountId = (): string => session?.accountId ?? '';

// The control plane's warnings (`Warning: 299 - "…"`, as the kube-apiserver sends them): a
// cluster whose storage cannot grow, a backup in a region without snapshots. Kept until
// dismissed, so one shown after a create survives the navigation that follows it.
let warnings: readonly string[] = [];
const warningListeners = new Set<() => void>();

export function noteWarnings(header: string | null): void {
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

/** The server's own words: a ConnectError's message without its `[code]` prefix (it names the field). */
export const errorMessage = (error: unknown): string => {
  const raw = (error as { rawMessage?: unknown } | null)?.rawMessage;
  return typeof raw === 'string' ? raw : error instanceof Error ? error.message : String(error);
};

/** The cookie's session, or undefined when there is none (the sign-in form shows). */
export async function currentSession(): Promise<Session | undefined> {
  const { sessions, isUnauthenticated } = await import('./clients.ts');
  try {
    session = (await sessions.getSession({})).session;
    return session;
  } catch (error) {
    if (isUnauthenticated(error)) return undefined;
    throw error;
  }
}

/** The answer's session becomes the console's: its account and CSRF token are used from now on. */
function adopt(created: Session | undefined): Session {
  if (!created) throw new Error('the control plane answered the sign-in without a session');
  session = created;
  return created;
}

export async function signIn(managementKey: string): Promise<Session> {
  const { sessions } = await import('./clients.ts');
  return adopt((await sessions.createSession({ managementKey })).session);
}

export async function signInWithPassword(email: string, password: string): Promise<Session> {
  const { sessions } = await import('./clients.ts');
  return adopt((await sessions.signInWithPassword({ email, password })).session);
}

export async function signUp(form: MessageInitShape<typeof qhcV1.SignUpRequestSchema>): Promise<Session> {
  const { accountAccessApi } = await import('./clients.ts');
  return adopt((await accountAccessApi.signUp(form)).session);
}

/** Acts in another of the user's accounts from now on. */
export async function switchAccount(id: string): Promise<Session> {
  const { sessions } = await import('./clients.ts');
  return adopt((await sessions.switchAccount({ accountId: id })).session);
}

export async function signOut(): Promise<void> {
  const { sessions } = await import('./clients.ts');
  await sessions.deleteSession({});
  session = undefined;
}
