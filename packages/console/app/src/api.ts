import type { PageOf, Problem } from '@qhc/schemas';
import { loadAll, pagePath, type FetchPage } from './lib/pages.ts';
import { parseWarningHeader } from './lib/warnings.ts';

// The control plane's API, same origin, with the session cookie. Every state-changing call
// carries the session's CSRF token, which the page learns at sign-in or from GET /api/v1/session.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problems: readonly Problem[];
  constructor(status: number, code: string, message: string, problems: readonly Problem[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.problems = problems;
  }
}

export interface Session {
  csrfToken: string;
  expiresAt: string;
  tokenName: string;
}

let csrfToken = '';
let onSignedOut: () => void = () => undefined;

export function onSessionEnded(signedOut: () => void) {
  onSignedOut = signedOut;
}

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

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  noteWarnings(res.headers.get('warning'));
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = (json ?? {}) as { error?: string; message?: string; problems?: Problem[] };
    if (res.status === 401 && path !== '/api/v1/session') onSignedOut();
    throw new ApiError(res.status, e.error ?? 'Error', e.message ?? `${method} ${path}: HTTP ${res.status}`, e.problems ?? []);
  }
  return json as T;
}

export async function currentSession(): Promise<Session | undefined> {
  try {
    const session = await request<Session>('GET', '/api/v1/session');
    csrfToken = session.csrfToken;
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return undefined;
    throw error;
  }
}

export async function signIn(token: string): Promise<Session> {
  const session = await request<Session>('POST', '/api/v1/session', { token });
  csrfToken = session.csrfToken;
  return session;
}

export async function signOut(): Promise<void> {
  await request('DELETE', '/api/v1/session');
  csrfToken = '';
}

/** One page at a time of a list of the API: for usePagedPoll and loadAll. */
export const pages =
  <T>(path: string): FetchPage<T> =>
  (query) =>
    request<PageOf<T>>('GET', pagePath(path, query));

/** Every item of a list (for choices: a select of environments or clusters). */
export const listAll = <T>(path: string): Promise<T[]> => loadAll(pages<T>(path));

export const regionPath = (region: string, ...rest: string[]) =>
  ['/api/v1/regions', region, ...rest].map((p, i) => (i === 0 ? p : encodeURIComponent(p))).join('/');
