import { resolve } from 'node:path';
import { CloudApi } from '../cloud.ts';
import { configPath, readConfig, writeConfig, type Context } from '../config.ts';
import { CliError, EXIT } from '../exit.ts';
import { checkFormat, print } from '../output.ts';
import type { Global } from './region.ts';

export interface ContextFlags {
  managementKey?: string;
  accountId?: string;
  caFile?: string;
}

/** The context from flags (or QHC_MANAGEMENT_KEY, QHC_ACCOUNT_ID): the URL parsed, a missing key or account a usage error. */
function contextOf(url: string, options: ContextFlags): Context {
  const managementKey = options.managementKey ?? process.env.QHC_MANAGEMENT_KEY;
  const accountId = options.accountId ?? process.env.QHC_ACCOUNT_ID;
  const usage = 'qhc login <url> --account-id <id> --management-key <key> (the control plane prints both at its first start)';
  if (!managementKey) throw new CliError('a management key is needed', { code: EXIT.usage, hint: `${usage}; or QHC_MANAGEMENT_KEY` });
  if (!accountId) throw new CliError('an account id is needed', { code: EXIT.usage, hint: `${usage}; or QHC_ACCOUNT_ID` });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`"${url}" is not a URL`, { code: EXIT.usage, hint: 'e.g. https://cp.example.com:7443' });
  }
  return { url: parsed.toString().replace(/\/$/, ''), accountId, managementKey, ...(options.caFile ? { caFile: resolve(options.caFile) } : {}) };
}

/** The session cookie a sign-in answered with, as the Cookie header sends it back. */
function sessionCookieOf(headers: Headers): string {
  const cookie = headers.get('set-cookie')?.split(';')[0];
  if (!cookie?.includes('=')) throw new CliError('the control plane signed in without a session cookie', { hint: 'is this a qhc control plane?' });
  return cookie;
}

/** The password: QHC_PASSWORD, else the first line of stdin (never a flag, which other users' `ps` shows). */
async function passwordOf(): Promise<string> {
  if (process.env.QHC_PASSWORD) return process.env.QHC_PASSWORD;
  if (process.stdin.isTTY)
    throw new CliError('a password is needed', { code: EXIT.usage, hint: 'set QHC_PASSWORD, or pipe it: qhc login <url> --email <e> < file' });
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.split('\n')[0]!.replace(/\r$/, '');
}

/** `qhc login <url> --email`: signs the user in (SessionService.SignInWithPassword) and saves the session, not a key. */
export async function loginUser(url: string, options: ContextFlags & { name?: string; email: string }): Promise<void> {
  const base = contextOf(url, { ...options, managementKey: 'unused', accountId: options.accountId ?? 'unused' });
  const name = options.name ?? new URL(base.url).host;
  const api = new CloudApi({ name, url: base.url, accountId: '', ...(base.caFile ? { caFile: base.caFile } : {}) });
  let cookie = '';
  const request = { email: options.email, password: await passwordOf(), ...(options.accountId ? { accountId: options.accountId } : {}) };
  const { session } = await api.call('SignInWithPassword', () =>
    api.sessions.signInWithPassword(request, { onHeader: (headers) => void (cookie = sessionCookieOf(headers)) }),
  );
  const context: Context = {
    url: base.url,
    accountId: session!.accountId,
    session: { email: session!.userEmail || options.email, cookie, csrfToken: session!.csrfToken },
    ...(base.caFile ? { caFile: base.caFile } : {}),
  };
  const config = readConfig();
  config.contexts[name] = context;
  config.current = name;
  writeConfig(config);
  process.stderr.write(`signed in to ${context.url} as ${context.session!.email} (account ${context.accountId}) as context "${name}"\n`);
}

/** `qhc login <url>`: checks the key against the control plane (ListHybridCloudEnvironments), saves the context, makes it current. */
export async function login(url: string, options: ContextFlags & { name?: string }): Promise<void> {
  const context = contextOf(url, options);
  const name = options.name ?? new URL(context.url).host;
  const api = new CloudApi({ name, ...context });
  await api.call('ListHybridCloudEnvironments', () => api.hybrid.listHybridCloudEnvironments({ accountId: context.accountId }));
  const config = readConfig();
  config.contexts[name] = context;
  config.current = name;
  writeConfig(config);
  process.stderr.write(`logged in to ${context.url} (account ${context.accountId}) as context "${name}" (saved in ${configPath()})\n`);
}

export async function contextList(g: Global): Promise<void> {
  const config = readConfig();
  const rows = Object.entries(config.contexts).map(([name, c]) => ({
    name,
    url: c.url,
    accountId: c.accountId,
    caFile: c.caFile,
    user: c.session?.email,
    current: name === config.current,
  }));
  const format = checkFormat(g.output);
  // Management keys never leave the config file through here.
  await print(rows, {
    format,
    noHeaders: g.noHeaders,
    name: (r) => r.name,
    kind: 'context',
    columns: [
      { header: 'current', value: (r) => (r.current ? '*' : '') },
      { header: 'name', value: (r) => r.name },
      { header: 'url', value: (r) => r.url },
      { header: 'account', value: (r) => r.accountId, wide: true },
      { header: 'user', value: (r) => r.user ?? '<key>', wide: true },
      { header: 'ca file', value: (r) => r.caFile, wide: true },
    ],
  });
}

export function contextUse(name: string): void {
  const config = readConfig();
  if (!config.contexts[name])
    throw new CliError(`no context named "${name}"`, { code: EXIT.notFound, hint: `known: ${Object.keys(config.contexts).join(', ') || '(none)'}` });
  config.current = name;
  writeConfig(config);
  process.stderr.write(`now using context "${name}"\n`);
}

export function contextAdd(name: string, options: ContextFlags & { url: string }): void {
  const context = contextOf(options.url, options);
  const config = readConfig();
  config.contexts[name] = context;
  config.current ??= name;
  writeConfig(config);
  process.stderr.write(`context "${name}" added\n`);
}

export function contextRemove(name: string): void {
  const config = readConfig();
  if (!config.contexts[name]) throw new CliError(`no context named "${name}"`, { code: EXIT.notFound });
  delete config.contexts[name];
  if (config.current === name) delete config.current;
  writeConfig(config);
  process.stderr.write(`context "${name}" removed\n`);
}
