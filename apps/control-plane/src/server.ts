import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '@qhc/kube';
import { DEFAULT_PACKAGES, type ResourcePackage } from '@qhc/schemas';
import { openDatabase } from './db/open.ts';
import type { SecretsKeySource } from './secrets/key-source.ts';
import { longPollSettings, routes } from './api/routes.ts';
import { Store } from './store.ts';
import type { Db } from './db/db.ts';
import type { Clock } from './repositories/tokens.ts';
import { LongPolls } from './api/long-polls.ts';
import { consoleAssetsDir } from '@qhc/console';
import { consoleFiles, type ConsoleFiles } from './console.ts';
import { requestFields, requestIdOf } from './api/request-log.ts';
import { admission, type Entry } from './api/admission.ts';
import { firstStart } from './cloud/first-start.ts';
import type { CloudDeps } from './cloud/context.ts';
import { DEFAULT_BOOTSTRAP_TOKEN_TTL_SECONDS } from './installation.ts';
import type { SignInPolicy } from './iam/sign-in.ts';
import { RELEASE_VERSION } from './release.ts';
import { DEFAULT_SESSION_TTL_SECONDS } from './sessions.ts';
import { AUDIT_RETENTION_DEFAULT_SECONDS, startAuditPruning } from './cloud/audit/retention.ts';
import { OidcClients } from './cloud/sso/oidc-client.ts';
import type { CustomFetch } from 'openid-client';
export { registryDefaults } from './registry-defaults.ts';
import { cloudApi, type AnyRequest, type AnyResponse, type Handle } from './cloud/transport.ts';

/**
 * Over HTTPS every answer (API, console, installation script) tells browsers to use HTTPS only
 * for a year. No `includeSubDomains`: the control plane does not own its parent domain's hosts.
 */
export const HSTS = 'max-age=31536000';

export interface ControlPlaneOptions {
  /** A SQLite file (default), `:memory:`, or a postgres:// URL. */
  database: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** PEM certificate and key: serve HTTPS (what agents need). */
  tls?: { cert: string; key: string };
  /** The URL agents reach; default: where this listens. */
  publicUrl?: string;
  /** A management key of the account to accept (created if new): the Cloud API's first credential. */
  managementKey?: string;
  /** The key ring secrets at rest are encrypted with (--secrets-key-file, QHC_SECRETS_KEY). None: SQLite generates one beside its file; PostgreSQL refuses to start (secrets/key-source.ts). */
  secrets?: SecretsKeySource;
  /** PostgreSQL: the most connections this replica's pool opens (--database-pool-size); default DEFAULT_POOL_SIZE. */
  databasePoolSize?: number;
  /** PostgreSQL: how many requests may wait for a connection before more are refused at once (--database-pool-queue); default 64 per connection. */
  databasePoolQueue?: number;
  logger: Logger;
  maxWaitSeconds?: number;
  pollIntervalMs?: number;
  recheckMs?: number;
  /**
   * The web console's built assets to serve at `/`; default: those of @qhc/console (skipped,
   * with a warning, when they were not built). `false`: API only.
   */
  console?: { dir: string } | false;
  /** How long a console sign-in lasts; default 12 hours. */
  sessionTtlSeconds?: number;
  /** How long an installation command (its bootstrap token) works; default 24 hours. */
  bootstrapTokenTtlSeconds?: number;
  /**
   * Where regions pull images and the chart from unless they say otherwise; default: the
   * registry this release was published to (RELEASE_CONTAINER_REGISTRY_URL).
   */
  defaultRegistry?: { containerRegistryUrl?: string; chartRepositoryUrl?: string };
  /** The time tokens and sessions expire by; default Date.now (tests pass a clock they move). */
  now?: Clock;
  /** The resource packages clusters are made in (the Cloud API's BookingService); default DEFAULT_PACKAGES. */
  packages?: readonly ResourcePackage[];
  /** The agent and operator version environments are offered; default this control plane's release. */
  releaseVersion?: string;
  /** Password sign-in's lockout, rate limit and argon2 cost; default DEFAULT_SIGN_IN_POLICY. */
  signIn?: SignInPolicy;
  /** How long audit events are kept (--audit-retention); default 90 days. */
  auditRetentionSeconds?: number;
  /** Accounts made by sign-up or CreateAccount start approved (--auto-approve-accounts); default: pending until an instance administrator decides. */
  autoApproveAccounts?: boolean;
  /** The HTTP client OIDC providers are reached with (default: fetch); tests put a tampering proxy here. */
  oidcFetch?: CustomFetch;
  /** How long a client may take (tests shorten them): see SERVER_LIMITS. */
  timeouts?: { bodyMs?: number; idleMs?: number };
}

/**
 * What one client may hold of the server. bodyMs: a Cloud API request's body, from its headers;
 * idleMs: an HTTP/2 connection without a frame (above the agents' long-poll wait); the HTTP/1.1
 * request and headers deadlines, and its idle connections' life (past undici's own 4 s: a busy
 * agent polling late is not reset); the streams and memory of one HTTP/2 connection.
 */
export const SERVER_LIMITS = {
  bodyMs: 30_000,
  idleMs: 120_000,
  http1RequestMs: 60_000,
  http1HeadersMs: 20_000,
  http1KeepAliveMs: 30_000,
  maxConcurrentStreams: 100,
  maxSessionMemoryMb: 16,
} as const;

export interface RunningControlPlane {
  url: string;
  store: Store;
  /** The agents' parked long-polls: `parked(regionId)` resolves once one waits for a change. */
  longPolls: LongPolls;
  /** The packages catalogue it serves: the operator's, or DEFAULT_PACKAGES. */
  packages: readonly ResourcePackage[];
  /** The account everything so far belongs to (the Cloud API's `account_id`). */
  accountId: string;
  /** Set when the control plane made the account's first management key itself. */
  generatedManagementKey?: string;
  /** Deletes the audit events older than the retention now (as the hourly pass does); answers how many. */
  pruneAuditEvents(): Promise<number>;
  stop(): Promise<void>;
}

function consoleOf(options: ControlPlaneOptions): ConsoleFiles | undefined {
  if (options.console) return consoleFiles(options.console.dir);
  if (options.console === false) return undefined;
  try {
    return consoleFiles(consoleAssetsDir());
  } catch (error) {
    options.logger.warn('the web console is off', { reason: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

/**
 * Every request: its id and headers, its log line, the Cloud API, the console's files, its admission, then
 * the API; `inflight` holds those running. HTTP/2 requests (compat API) are read as HTTP/1.1 ones:
 * the router and console use only what both have (url, method, headers, body, writeHead, end).
 */
function requestListener(options: ControlPlaneOptions, consoleServer: ConsoleFiles | undefined, to: Entry, inflight: Set<Promise<void>>) {
  const { cloud, api, admit } = to;
  return (anyReq: AnyRequest, anyRes: AnyResponse) => {
    const req = anyReq as IncomingMessage;
    const res = anyRes as ServerResponse;
    const started = performance.now();
    const requestId = requestIdOf(req);
    // Set before any writeHead, so the console's files and the API's answers carry them alike.
    res.setHeader('x-request-id', requestId);
    if (options.tls) res.setHeader('strict-transport-security', HSTS);
    res.once('finish', () =>
      options.logger.debug('request', { ...requestFields(req, requestId), status: res.statusCode, ms: Math.round(performance.now() - started) }),
    );
    const cloudCall = cloud.matches(req);
    if (!cloudCall && consoleServer?.serve(req, res)) return;
    if (admit(req, res, requestId, cloudCall)) return;
    // The router answers its own errors; this is for one that escapes it (a failed write).
    const done = (cloudCall ? cloud.handle : api)(req, res, requestId)
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        options.logger.error('request failed', { ...requestFields(req, requestId), status: 500, error: message });
        if (!res.headersSent)
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Internal', message: 'internal error', requestId }));
      })
      .finally(() => inflight.delete(done));
    inflight.add(done);
  };
}

type AnyServer = Server | Http2SecureServer;

function cloudDeps(db: Db, options: ControlPlaneOptions, publicUrl: () => string): Omit<CloudDeps, 'packages' | 'regionDefaults'> {
  return {
    db,
    now: options.now ?? Date.now,
    logger: options.logger,
    publicUrl,
    bootstrapTokenTtlSeconds: options.bootstrapTokenTtlSeconds ?? DEFAULT_BOOTSTRAP_TOKEN_TTL_SECONDS,
    sessions: { ttlSeconds: options.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS, secure: Boolean(options.tls) },
    releaseVersion: options.releaseVersion ?? RELEASE_VERSION,
    ...(options.signIn ? { signIn: options.signIn } : {}),
    autoApproveAccounts: options.autoApproveAccounts ?? false,
  };
}

function ssoOptions(db: Db, options: ControlPlaneOptions) {
  const now = options.now ?? Date.now;
  const clients = new OidcClients({ db, now, ...(options.oidcFetch ? { fetch: options.oidcFetch } : {}) });
  const sessions = { ttlSeconds: options.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS, secure: Boolean(options.tls) };
  return { db, now, logger: options.logger, sessions, clients };
}

async function listen(server: AnyServer, options: ControlPlaneOptions): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7443, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<RunningControlPlane> {
  const db = await openDatabase(options.database, options.logger, options.secrets, options.databasePoolSize, options.databasePoolQueue);
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    return await serveOn(db, options, started);
  } catch (error) {
    // A start that fails lets the database go: its pool and its LISTEN connection would keep the process alive.
    for (const what of started) await what.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw error;
  }
}

/** The control plane on its opened database; what it starts that must stop if the start fails goes into `started`. */
async function serveOn(db: Db, options: ControlPlaneOptions, started: Array<{ stop(): Promise<void> }>): Promise<RunningControlPlane> {
  const store = new Store(db, options.defaultRegistry, options.now);
  const { accountId, generatedManagementKey } = await firstStart(db, options.managementKey, options.now);
  const consoleServer = consoleOf(options);
  const pruning = await startAuditPruning(db, options.now ?? Date.now, options.auditRetentionSeconds ?? AUDIT_RETENTION_DEFAULT_SECONDS, options.logger);
  started.push(pruning);
  const longPolls = new LongPolls(db.revisions);
  let publicUrl = options.publicUrl ?? '';
  const sso = ssoOptions(db, options);
  const router = () => routes({ store, publicUrl, longPolls, ...longPollSettings(options), logger: options.logger, sso });
  let handler = router();
  const inflight = new Set<Promise<void>>();
  const api: Handle = (req, res, requestId) => handler.handle(req as IncomingMessage, res as ServerResponse, { requestId });
  const packages = options.packages ?? DEFAULT_PACKAGES;
  const cloud = cloudApi(
    { ...cloudDeps(db, options, () => publicUrl), packages, regionDefaults: store.defaults },
    api,
    undefined,
    options.timeouts?.bodyMs ?? SERVER_LIMITS.bodyMs,
  );
  const onRequest = requestListener(options, consoleServer, { cloud, api, admit: admission(db, cloud) }, inflight);
  const server = serverOf(options, onRequest);
  const url = await listen(server, options);
  if (!publicUrl) {
    publicUrl = url;
    handler = router();
  }
  options.logger.info('control plane started', { url, database: db.dialect, publicUrl, console: consoleServer?.dir ?? false, packages: packages.length });
  return {
    url,
    store,
    longPolls,
    packages,
    accountId,
    ...(generatedManagementKey ? { generatedManagementKey } : {}),
    pruneAuditEvents: pruning.prune,
    async stop() {
      await pruning.stop();
      // Long-polls end as their connections close; the database goes once no handler uses it.
      await closeServer(server);
      await Promise.allSettled(inflight);
      await db.close();
    },
  };
}

const connections = new WeakMap<AnyServer, Set<Socket>>();

/**
 * With TLS: HTTP/2 (gRPC needs it) and HTTP/1.1 on one port, chosen by ALPN; the agents, the
 * console and curl keep HTTP/1.1. Without TLS: HTTP/1.1 only (Connect and gRPC-Web work over
 * it; gRPC clients, like the official ones, use TLS).
 */
function serverOf(options: ControlPlaneOptions, onRequest: (req: AnyRequest, res: AnyResponse) => void): AnyServer {
  const { http1RequestMs: requestTimeout, http1HeadersMs: headersTimeout, http1KeepAliveMs: keepAliveTimeout } = SERVER_LIMITS;
  const http1 = { requestTimeout, headersTimeout, keepAliveTimeout };
  if (!options.tls) return createHttpServer(http1, onRequest);
  const server = createSecureServer(
    {
      cert: options.tls.cert,
      key: options.tls.key,
      allowHTTP1: true,
      settings: { maxConcurrentStreams: SERVER_LIMITS.maxConcurrentStreams },
      maxSessionMemory: SERVER_LIMITS.maxSessionMemoryMb,
    },
    onRequest,
  );
  Object.assign(server, http1);
  const idleMs = options.timeouts?.idleMs ?? Math.max(SERVER_LIMITS.idleMs, ((options.maxWaitSeconds ?? 30) + 30) * 1000);
  // An HTTP/2 connection silent that long is dropped, with whatever its streams hold.
  server.on('session', (session) => session.setTimeout(idleMs, () => session.destroy()));
  // An HTTP/2 server cannot close its connections itself (no closeAllConnections): it tracks them.
  const sockets = new Set<Socket>();
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  connections.set(server, sockets);
  return server;
}

async function closeServer(server: AnyServer): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  if ('closeAllConnections' in server) server.closeAllConnections();
  for (const socket of connections.get(server) ?? []) socket.destroy();
  await closed;
}
