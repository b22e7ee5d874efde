import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

// The kubeconfig, read by hand rather than with @kubernetes/client-node's KubeConfig: loading
// client-node loads its generated API code (about 15 MiB of heap in the operator, which uses
// none of it), and what a controller's connection needs is small: a server, TLS material and a
// token or client certificate. Kubeconfigs that need a plugin (exec credentials, auth
// providers: EKS, GKE, OIDC) or a proxy (`proxy-url`) are still handed to client-node, loaded
// only for them (./plugin-auth.ts), so no kubeconfig that worked before stops working.

export interface KubeCluster {
  name: string;
  server: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify?: boolean;
  tlsServerName?: string;
  /** A proxy for this cluster (`proxy-url`): client-node's agents speak it. */
  proxyUrl?: string;
}

export interface KubeUser {
  name: string;
  certData?: string;
  certFile?: string;
  keyData?: string;
  keyFile?: string;
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  /** Present when credentials come from a plugin (exec, auth-provider): client-node runs it. */
  plugin?: boolean;
}

export interface KubeContext {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
}

/** What a connection needs, read fresh (files re-read at most once a minute: tokens and certificates rotate). */
export interface KubeCredentials {
  headers: Record<string, string>;
  tls: { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean; servername?: string };
  /** A digest of the TLS options: one connection pool per distinct TLS material. */
  tlsDigest: string;
}

const FILE_TTL_MS = 60_000;

/** A loaded kubeconfig (or the in-cluster configuration) with one current context. */
export class KubeConfig {
  readonly clusters: KubeCluster[];
  readonly users: KubeUser[];
  readonly contexts: KubeContext[];
  private currentContext: string;
  /** The kubeconfig's text, for client-node when a plugin is needed. */
  readonly source: string | undefined;
  private readonly files = new Map<string, { text: string; readAt: number }>();

  constructor(fields: { clusters: KubeCluster[]; users: KubeUser[]; contexts: KubeContext[]; currentContext: string; source?: string }) {
    this.clusters = fields.clusters;
    this.users = fields.users;
    this.contexts = fields.contexts;
    this.currentContext = fields.currentContext;
    this.source = fields.source;
  }

  getCurrentContext(): string {
    return this.currentContext;
  }

  setCurrentContext(name: string): void {
    this.currentContext = name;
  }

  getContextObject(name: string): KubeContext | undefined {
    return this.contexts.find((c) => c.name === name);
  }

  getCurrentCluster(): KubeCluster | undefined {
    const context = this.getContextObject(this.currentContext);
    return this.clusters.find((c) => c.name === context?.cluster);
  }

  getCurrentUser(): KubeUser | undefined {
    const context = this.getContextObject(this.currentContext);
    return this.users.find((u) => u.name === context?.user);
  }

  /** The current user's credentials come from a plugin, or the cluster is behind a proxy: client-node's job. */
  needsPlugin(): boolean {
    return this.getCurrentUser()?.plugin === true || this.getCurrentCluster()?.proxyUrl !== undefined;
  }

  /** Headers and TLS options for the current context (not for a plugin user: see needsPlugin). */
  credentials(now = Date.now()): KubeCredentials {
    const cluster = this.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    const user = this.getCurrentUser();
    const headers: Record<string, string> = {};
    const token = this.bearer(user, now);
    if (token) headers.authorization = `Bearer ${token}`;
    else if (user?.username !== undefined) headers.authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
    const tls: KubeCredentials['tls'] = {
      ca: pem(cluster.caData) ?? (cluster.caFile ? this.file(cluster.caFile, now) : undefined),
      cert: pem(user?.certData) ?? (user?.certFile ? this.file(user.certFile, now) : undefined),
      key: pem(user?.keyData) ?? (user?.keyFile ? this.file(user.keyFile, now) : undefined),
      rejectUnauthorized: cluster.skipTLSVerify !== true,
      servername: cluster.tlsServerName,
    };
    const tlsDigest = createHash('sha256')
      .update(JSON.stringify([cluster.server, tls.ca, tls.cert, tls.key, tls.rejectUnauthorized, tls.servername]))
      .digest('hex');
    return { headers, tls, tlsDigest };
  }

  /**
   * As client-go: with a tokenFile, the file's token (re-read as it rotates), the inline token
   * only when the file cannot be read or is empty; an inline token alone otherwise.
   */
  private bearer(user: KubeUser | undefined, now: number): string | undefined {
    if (user?.tokenFile) {
      try {
        const token = this.file(user.tokenFile, now).trim();
        if (token) return token;
      } catch (error) {
        if (!user.token) throw error;
      }
    }
    return user?.token || undefined;
  }

  private file(path: string, now: number): string {
    const cached = this.files.get(path);
    if (cached && now - cached.readAt < FILE_TTL_MS) return cached.text;
    const text = readFileSync(path, 'utf8');
    this.files.set(path, { text, readAt: now });
    return text;
  }
}

/** kubeconfig `*-data` fields are base64 of PEM. */
function pem(data: string | undefined): string | undefined {
  return data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8');
}

type Raw = Record<string, unknown>;

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** The parsed YAML of a kubeconfig file, already checked for its structure (./config.ts), as a KubeConfig. */
export function kubeConfigFromRaw(raw: Raw, source: string, dir: string, currentContext: string): KubeConfig {
  const at = (path: unknown) => (typeof path === 'string' && path !== '' ? (isAbsolute(path) ? path : join(dir, path)) : undefined);
  const named = (key: string) => (Array.isArray(raw[key]) ? (raw[key] as Raw[]) : []);
  const clusters = named('clusters').map((entry) => {
    const c = (entry.cluster ?? {}) as Raw;
    return {
      name: String(entry.name ?? ''),
      server: String(c.server ?? '').replace(/\/+$/, ''),
      caData: str(c['certificate-authority-data']),
      caFile: at(c['certificate-authority']),
      skipTLSVerify: c['insecure-skip-tls-verify'] === true,
      tlsServerName: str(c['tls-server-name']),
      proxyUrl: str(c['proxy-url']),
    };
  });
  const users = named('users').map((entry) => {
    const u = (entry.user ?? {}) as Raw;
    return {
      name: String(entry.name ?? ''),
      certData: str(u['client-certificate-data']),
      certFile: at(u['client-certificate']),
      keyData: str(u['client-key-data']),
      keyFile: at(u['client-key']),
      token: str(u.token),
      tokenFile: at(u.tokenFile),
      username: str(u.username),
      password: str(u.password),
      plugin: u.exec !== undefined || u['auth-provider'] !== undefined,
    };
  });
  const contexts = named('contexts').map((entry) => {
    const c = (entry.context ?? {}) as Raw;
    return { name: String(entry.name ?? ''), cluster: String(c.cluster ?? ''), user: String(c.user ?? ''), namespace: str(c.namespace) };
  });
  return new KubeConfig({ clusters, users, contexts, currentContext, source });
}

/** The pod's service account: the apiserver's Service address, its CA, the projected token (re-read as it rotates). */
export function inClusterKubeConfig(serviceAccountDir: string): KubeConfig {
  const host = process.env.KUBERNETES_SERVICE_HOST!;
  const port = process.env.KUBERNETES_SERVICE_PORT ?? '443';
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new KubeConfig({
    clusters: [{ name: 'inCluster', server, caFile: join(serviceAccountDir, 'ca.crt') }],
    users: [{ name: 'inClusterUser', tokenFile: join(serviceAccountDir, 'token') }],
    contexts: [{ name: 'inClusterContext', cluster: 'inCluster', user: 'inClusterUser' }],
    currentContext: 'inClusterContext',
  });
}
