import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { YAMLParseError, parse } from 'yaml';
import { inClusterKubeConfig, kubeConfigFromRaw, type KubeConfig } from './kubeconfig.ts';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface LoadKubeConfigOptions {
  /** A kubeconfig file; default $KUBECONFIG (first file), then ~/.kube/config. */
  kubeconfigPath?: string;
  /** A context of that file; default its current-context. */
  context?: string;
  /** Use the pod's service account (app_environment: kubernetes). */
  inCluster?: boolean;
}

/** The kubeconfig is unusable; the message names the file and what is wrong with it. */
export class KubeConfigError extends Error {
  override readonly name = 'KubeConfigError';
  readonly file: string | undefined;
  constructor(file: string | undefined, problem: string) {
    super(file ? `kubeconfig ${file}: ${problem}` : problem);
    this.file = file;
  }
}

interface RawKubeconfig {
  clusters?: Array<{ name?: string; cluster?: { server?: string } }>;
  users?: Array<{ name?: string }>;
  contexts?: Array<{ name?: string; context?: { cluster?: string; user?: string; namespace?: string } }>;
  'current-context'?: string;
}

function defaultPath(): string {
  const fromEnv = process.env.KUBECONFIG?.split(delimiter).find((p) => p.length > 0);
  return fromEnv ?? join(homedir(), '.kube', 'config');
}

/**
 * A KubeConfig for in-cluster or kubeconfig use, checked before any request is made, so a
 * broken file fails at start-up with its name and cause rather than as a TLS or DNS error
 * on the first call.
 */
export function loadKubeConfig(options: LoadKubeConfigOptions = {}): KubeConfig {
  if (options.inCluster) {
    const host = process.env.KUBERNETES_SERVICE_HOST;
    if (!host || !existsSync(join(SERVICE_ACCOUNT_DIR, 'token'))) {
      throw new KubeConfigError(
        undefined,
        `in-cluster configuration needs KUBERNETES_SERVICE_HOST and ${SERVICE_ACCOUNT_DIR}/token: is this running in a pod with a service account?`,
      );
    }
    return inClusterKubeConfig(SERVICE_ACCOUNT_DIR);
  }

  const file = options.kubeconfigPath ?? defaultPath();
  if (!existsSync(file)) throw new KubeConfigError(file, 'the file does not exist');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new KubeConfigError(file, `cannot be read: ${(error as Error).message}`);
  }
  let raw: RawKubeconfig;
  try {
    raw = (parse(text) ?? {}) as RawKubeconfig;
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
    throw new KubeConfigError(file, `is not valid YAML${where}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new KubeConfigError(file, 'is not a kubeconfig (expected a mapping)');

  const contextName = options.context ?? raw['current-context'];
  if (!contextName) throw new KubeConfigError(file, 'has no current-context: name a context (--context) or set current-context');
  const context = raw.contexts?.find((c) => c.name === contextName);
  if (!context) {
    const known =
      (raw.contexts ?? [])
        .map((c) => c.name)
        .filter(Boolean)
        .join(', ') || 'none';
    throw new KubeConfigError(file, `has no context "${contextName}" (contexts: ${known})`);
  }
  const clusterName = context.context?.cluster;
  const cluster = raw.clusters?.find((c) => c.name === clusterName);
  if (!cluster) throw new KubeConfigError(file, `context "${contextName}" names cluster "${clusterName ?? ''}", which the file does not define`);
  const userName = context.context?.user;
  if (userName && !raw.users?.some((u) => u.name === userName)) {
    throw new KubeConfigError(file, `context "${contextName}" names user "${userName}", which the file does not define`);
  }
  const server = cluster.cluster?.server;
  if (!server) throw new KubeConfigError(file, `cluster "${clusterName}" has no server URL`);
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new KubeConfigError(file, `cluster "${clusterName}" has an invalid server URL "${server}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new KubeConfigError(file, `cluster "${clusterName}" server "${server}" must be an https:// URL`);
  }

  return kubeConfigFromRaw(raw as Record<string, unknown>, text, dirname(file), contextName);
}

/** The namespace the current context (or the pod's service account) points at. */
export function currentNamespace(kc: KubeConfig): string {
  const context = kc.getContextObject(kc.getCurrentContext());
  if (context?.namespace) return context.namespace;
  const file = join(SERVICE_ACCOUNT_DIR, 'namespace');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  return 'default';
}
