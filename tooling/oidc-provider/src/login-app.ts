import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HydraAdmin } from './admin.ts';
import type { OidcUser } from './types.ts';

/** The login form's field names; login() in flow.ts fills them in as a person would. */
export const LOGIN_FIELDS = { challenge: 'login_challenge', email: 'email', password: 'password' } as const;

/**
 * Hydra's login and consent app (Hydra has no UI of its own): a form that checks the declared
 * users' email and password, and a consent step that grants what was asked and puts `email`
 * and `groups` into the ID token. Listens on 127.0.0.1 only.
 */
export async function startLoginApp(admin: HydraAdmin, users: readonly OidcUser[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    route(admin, users, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`login app error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the login app has no port');
  return { server, url: `http://127.0.0.1:${address.port}` };
}

async function route(admin: HydraAdmin, users: readonly OidcUser[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/login' && req.method === 'GET') return showLogin(admin, url.searchParams.get(LOGIN_FIELDS.challenge) ?? '', res);
  if (url.pathname === '/login' && req.method === 'POST') return submitLogin(admin, users, new URLSearchParams(await readBody(req)), res);
  if (url.pathname === '/consent' && req.method === 'GET') return consent(admin, users, url.searchParams.get('consent_challenge') ?? '', res);
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
}

async function showLogin(admin: HydraAdmin, challenge: string, res: ServerResponse): Promise<void> {
  const request = await admin.loginRequest(challenge);
  if (request.skip) return redirect(res, await admin.acceptLogin(challenge, request.subject));
  sendForm(res, 200, challenge, '');
}

async function submitLogin(admin: HydraAdmin, users: readonly OidcUser[], form: URLSearchParams, res: ServerResponse): Promise<void> {
  const challenge = form.get(LOGIN_FIELDS.challenge) ?? '';
  const user = findUser(users, form.get(LOGIN_FIELDS.email) ?? '', form.get(LOGIN_FIELDS.password) ?? '');
  // As a login page does: the form again, no hint whether the email or the password was wrong.
  if (!user) return sendForm(res, 401, challenge, 'Wrong email or password.');
  redirect(res, await admin.acceptLogin(challenge, user.subject));
}

async function consent(admin: HydraAdmin, users: readonly OidcUser[], challenge: string, res: ServerResponse): Promise<void> {
  const request = await admin.consentRequest(challenge);
  const user = users.find((u) => u.subject === request.subject);
  if (!user) throw new Error(`consent for an unknown subject ${request.subject}`);
  const to = await admin.acceptConsent(challenge, {
    scope: request.requested_scope ?? [],
    audience: request.requested_access_token_audience ?? [],
    idToken: { email: user.email, email_verified: true, groups: [...user.groups] },
  });
  redirect(res, to);
}

function findUser(users: readonly OidcUser[], email: string, password: string): OidcUser | undefined {
  const user = users.find((u) => u.email.toLowerCase() === email.trim().toLowerCase());
  if (!user) return undefined;
  const given = Buffer.from(password);
  const expected = Buffer.from(user.password);
  return given.length === expected.length && timingSafeEqual(given, expected) ? user : undefined;
}

function escape(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sendForm(res: ServerResponse, status: number, challenge: string, error: string): void {
  const html = `<!doctype html><title>Sign in</title>${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/login"><input type="hidden" name="${LOGIN_FIELDS.challenge}" value="${escape(challenge)}">
<label>Email <input name="${LOGIN_FIELDS.email}" type="email"></label>
<label>Password <input name="${LOGIN_FIELDS.password}" type="password"></label><button>Sign in</button></form>`;
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(html);
}

function redirect(res: ServerResponse, to: string): void {
  res.writeHead(302, { location: to }).end();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
