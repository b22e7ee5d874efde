import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@qhc/kube';
import { chartRepositoryUrl, registryUrl } from '@qhc/schemas';
import { openDatabase } from './db/open.ts';
import { routes } from './api/routes.ts';
import { Store } from './store.ts';
import { randomUUID } from 'node:crypto';
import { hashToken, issueToken } from './tokens.ts';
import { consoleAssetsDir } from '@qhc/console';
import { consoleFiles, type ConsoleFiles } from './console.ts';
import { requestFields, requestIdOf } from './api/request-log.ts';

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
  /** A user token to accept (created if new): the first credential of a fresh control plane. */
  adminToken?: string;
  logger: Logger;
  maxWaitSeconds?: number;
  pollIntervalMs?: number;
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
}

export interface RunningControlPlane {
  url: string;
  store: Store;
  /** Set when the control plane made its first admin token itself. */
  generatedAdminToken?: string;
  stop(): Promise<void>;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<RunningControlPlane> {
  const db = await openDatabase(options.database, options.logger);
  const store = new Store(db, options.defaultRegistry);
  let generatedAdminToken: string | undefined;
  if (options.adminToken) {
    // Known by its hash; a revoked one stays revoked. Replicas starting together race to insert
    // it: the first wins, the others find it there.
    await db.run('INSERT INTO tokens (id, kind, name, hash, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (hash) DO NOTHING', [
      randomUUID(),
      'user',
      'admin',
      hashToken(options.adminToken),
      new Date().toISOString(),
    ]);
  } else if (!(await db.one("SELECT id FROM tokens WHERE kind = 'user' AND revoked_at IS NULL"))) {
    generatedAdminToken = (await issueToken(db, 'user', 'admin')).token;
  }

  let consoleServer: ConsoleFiles | undefined;
  if (options.console) consoleServer = consoleFiles(options.console.dir);
  else if (options.console === undefined) {
    try {
      consoleServer = consoleFiles(consoleAssetsDir());
    } catch (error) {
      options.logger.warn('the web console is off', { reason: error instanceof Error ? error.message : String(error) });
    }
  }

  let publicUrl = options.publicUrl ?? '';
  const router = () =>
    routes({
      store,
      publicUrl,
      maxWaitSeconds: options.maxWaitSeconds,
      pollIntervalMs: options.pollIntervalMs,
      secureCookies: Boolean(options.tls),
      sessionTtlSeconds: options.sessionTtlSeconds,
      bootstrapTokenTtlSeconds: options.bootstrapTokenTtlSeconds,
      logger: options.logger,
    });
  let handler = router();
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const requestId = requestIdOf(req);
    // Set before any writeHead, so the console's files and the API's answers carry them alike.
    res.setHeader('x-request-id', requestId);
    if (options.tls) res.setHeader('strict-transport-security', HSTS);
    res.once('finish', () =>
      options.logger.debug('request', { ...requestFields(req, requestId), status: res.statusCode, ms: Math.round(performance.now() - started) }),
    );
    if (consoleServer?.serve(req, res)) return;
    // The router answers its own errors; this is for one that escapes it (a failed write).
    const done = handler
      .handle(req, res, { requestId })
      .catch((error: unknown) => {
        options.logger.error('request failed', {
          ...requestFields(req, requestId),
          status: 500,
          error: error instanceof Error ? error.message : String(error),
        });
        if (!res.headersSent)
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Internal', message: 'internal error', requestId }));
      })
      .finally(() => inflight.delete(done));
    inflight.add(done);
  };
  const inflight = new Set<Promise<void>>();
  const server: Server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest) : createHttpServer(onRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7443, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  const url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (!publicUrl) {
    publicUrl = url;
    handler = router();
  }
  options.logger.info('control plane started', { url, database: db.dialect, publicUrl, console: consoleServer?.dir ?? false });
  return {
    url,
    store,
    ...(generatedAdminToken ? { generatedAdminToken } : {}),
    async stop() {
      // Long-polls end as their connections close; the database goes once no handler uses it.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await Promise.allSettled(inflight);
      await db.close();
    },
  };
}

/**
 * The operator's --default-registry (host/path or a URL; https unless it says http://) and
 * chart repository (default: `oci://<registry>/charts`, where `pnpm release` pushes the chart).
 */
export function registryDefaults(registry: string | undefined, charts: string | undefined): ControlPlaneOptions['defaultRegistry'] {
  if (!registry && !charts) return undefined;
  const url = registry ? (/^https?:\/\//.test(registry) ? registry : `https://${registry}`).replace(/\/*$/, '/') : undefined;
  const chartUrl = charts ?? (url ? `oci://${url.replace(/^https?:\/\//, '').replace(/\/+$/, '')}/charts` : undefined);
  // Checked here, at start: a bad default would otherwise refuse every new region for a field its user never set.
  for (const [flag, value, schema] of [
    ['--default-registry', url, registryUrl],
    ['--default-chart-repository', chartUrl, chartRepositoryUrl],
  ] as const) {
    const parsed = value === undefined ? undefined : schema.safeParse(value);
    if (parsed && !parsed.success) throw new Error(`${flag} ${JSON.stringify(value)}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  return { ...(url ? { containerRegistryUrl: url } : {}), ...(chartUrl ? { chartRepositoryUrl: chartUrl } : {}) };
}
