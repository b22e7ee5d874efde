import { resolve } from 'node:path';
import { ControlPlane } from '../api.ts';
import { configPath, readConfig, writeConfig, type Context } from '../config.ts';
import { CliError, EXIT } from '../exit.ts';
import { checkFormat, print } from '../output.ts';
import type { Global } from './region.ts';

/** `qhc login <url> --token`: checks the token against the control plane, saves the context, makes it current. */
export async function login(url: string, options: { token?: string; caFile?: string; name?: string }): Promise<void> {
  const token = options.token ?? process.env.QHC_TOKEN;
  if (!token) throw new CliError('a token is needed', { code: EXIT.usage, hint: 'qhc login <url> --token <token> (or QHC_TOKEN)' });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`"${url}" is not a URL`, { code: EXIT.usage, hint: 'e.g. qhc login https://cp.example.com:7443 --token …' });
  }
  const name = options.name ?? parsed.host;
  const context: Context = { url: parsed.toString().replace(/\/$/, ''), token, ...(options.caFile ? { caFile: resolve(options.caFile) } : {}) };
  await new ControlPlane({ name, ...context }).request('GET', '/api/v1/regions?limit=1');
  const config = readConfig();
  config.contexts[name] = context;
  config.current = name;
  writeConfig(config);
  process.stderr.write(`logged in to ${context.url} as context "${name}" (saved in ${configPath()})\n`);
}

export async function contextList(g: Global): Promise<void> {
  const config = readConfig();
  const rows = Object.entries(config.contexts).map(([name, c]) => ({ name, url: c.url, caFile: c.caFile, current: name === config.current }));
  const format = checkFormat(g.output);
  // Tokens never leave the config file through here.
  await print(rows, {
    format,
    noHeaders: g.noHeaders,
    name: (r) => r.name,
    kind: 'context',
    columns: [
      { header: 'current', value: (r) => (r.current ? '*' : '') },
      { header: 'name', value: (r) => r.name },
      { header: 'url', value: (r) => r.url },
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

export function contextAdd(name: string, options: { url: string; token: string; caFile?: string }): void {
  const config = readConfig();
  config.contexts[name] = { url: options.url, token: options.token, ...(options.caFile ? { caFile: resolve(options.caFile) } : {}) };
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
