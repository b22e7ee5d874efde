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
