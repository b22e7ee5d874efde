import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError, EXIT } from './exit.ts';

export interface Context {
  /** The control plane's Cloud API endpoint, e.g. https://cp.example.com:7443. */
  url: string;
  /** The account every call names (the control plane prints it at its first start). */
  accountId: string;
  /** A management key: sent as `authorization: apikey <key>`. */
  managementKey?: string;
  /** Instead of a key, a user's session (`qhc login --email`): its cookie and CSRF token. */
  session?: UserSession;
  /** A CA bundle file for a control plane behind a private CA. */
  caFile?: string;
}

export interface UserSession {
  email: string;
  /** The Cloud API's session cookie, `name=secret`. */
  cookie: string;
  csrfToken: string;
}

export interface CliConfig {
  current?: string;
  contexts: Record<string, Context>;
}

/** `$XDG_CONFIG_HOME/qhc/config.json`, or `~/.config/qhc/config.json`. */
export function configPath(env = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'qhc', 'config.json');
}

export function readConfig(path = configPath()): CliConfig {
  if (!existsSync(path)) return { contexts: {} };
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as CliConfig;
    return { current: parsed.current, contexts: parsed.contexts ?? {} };
  } catch (error) {
    throw new CliError(`the config file ${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, {
      hint: `fix or remove ${path}`,
    });
  }
}

/** Written with mode 0600: it holds management keys. */
export function writeConfig(config: CliConfig, path = configPath()): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/**
 * The control plane to talk to: QHC_URL + QHC_ACCOUNT_ID + QHC_MANAGEMENT_KEY (+ QHC_CA_FILE) when
 * set, else the context named by --context or QHC_CONTEXT, else the current one.
 */
export function resolveContext(options: { context?: string }, env = process.env, path = configPath(env)): Context & { name: string } {
  if (env.QHC_URL && env.QHC_MANAGEMENT_KEY && env.QHC_ACCOUNT_ID)
    return {
      name: '(environment)',
      url: env.QHC_URL,
      accountId: env.QHC_ACCOUNT_ID,
      managementKey: env.QHC_MANAGEMENT_KEY,
      ...(env.QHC_CA_FILE ? { caFile: env.QHC_CA_FILE } : {}),
    };
  const config = readConfig(path);
  const name = options.context ?? env.QHC_CONTEXT ?? config.current;
  if (!name)
    throw new CliError('no control plane configured', {
      code: EXIT.usage,
      hint: 'run `qhc login <url> --account-id <id> --management-key <key>`, or set QHC_URL, QHC_ACCOUNT_ID and QHC_MANAGEMENT_KEY; or use --kubeconfig to work on a cluster directly',
    });
  const context = config.contexts[name];
  if (!context)
    throw new CliError(`no context named "${name}"`, {
      code: EXIT.usage,
      hint: `known contexts: ${Object.keys(config.contexts).join(', ') || '(none)'}; see \`qhc context list\``,
    });
  return { name, ...context };
}
