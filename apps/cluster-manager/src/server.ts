import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createLogger, type Logger } from '@qhc/kube';
import { manageRequestParser, type ManageResponse } from '@qhc/schemas';
import type { QdrantClient } from '@qhc/qdrant';
import type { QdrantEndpoint } from '@qhc/qdrant';
import { manage } from './manage.ts';
import { ManagerMetrics } from './metrics.ts';

export interface ClusterManagerOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Default 0.0.0.0 (a Service in front); tests use 127.0.0.1. */
  host?: string;
  logger?: Logger;
  connect?: (endpoint: QdrantEndpoint) => QdrantClient;
  concurrency?: number;
  pollIntervalMs?: number;
  /** Largest request body accepted. */
  maxBodyBytes?: number;
  /** The last log lines, served at GET /v1/logs (the settings' clusterManager.logSize). */
  recentLogs?: () => string[];
}

export interface RunningClusterManager {
  port: number;
  url: string;
  metrics: ManagerMetrics;
  stop(): Promise<void>;
}

/**
 * The manager's HTTP API: POST /v1/manage (a ManageRequest in, a ManageResponse out),
 * /healthz, /readyz and /metrics. One call per cluster at a time: a second call for a
 * cluster still being worked on is answered Skipped rather than run concurrently.
 */
export async function startClusterManager(options: ClusterManagerOptions = {}): Promise<RunningClusterManager> {
  const logger = options.logger ?? createLogger({ component: 'qhc-cluster-manager' });
  const metrics = new ManagerMetrics();
  const inFlight = new Set<string>();
  const maxBody = options.maxBodyBytes ?? 1 << 20;

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      logger.error('request failed', { error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://manager').pathname;
    if (req.method === 'GET' && (path === '/healthz' || path === '/readyz')) return text(res, 200, 'ok\n');
    if (req.method === 'GET' && path === '/metrics') return text(res, 200, metrics.render(), 'text/plain; version=0.0.4');
    if (req.method === 'GET' && path === '/v1/logs')
      return text(res, 200, (options.recentLogs?.() ?? []).map((l) => `${l}\n`).join(''), 'application/x-ndjson');
    if (path !== '/v1/manage') return json(res, 404, { error: `no route ${req.method} ${path}` });
    if (req.method !== 'POST') return json(res, 405, { error: 'use POST' });
    const body = await readBody(req, maxBody);
    if (body === undefined) return json(res, 413, { error: `request body larger than ${maxBody} bytes` });
    const parsed = manageRequestParser.safeParse(body, { source: 'POST /v1/manage' });
    if (!parsed.success) return json(res, 400, { error: parsed.error.message, problems: parsed.error.problems });
    const request = parsed.data;
    const key = `${request.cluster.namespace}/${request.cluster.name}`;
    let response: ManageResponse;
    if (inFlight.has(key)) {
      response = { status: 'Skipped', description: 'a previous call for this cluster is still running' };
    } else {
      inFlight.add(key);
      try {
        response = await manage(request, {
          logger,
          metrics,
          connect: options.connect,
          concurrency: options.concurrency,
          pollIntervalMs: options.pollIntervalMs,
        });
      } finally {
        inFlight.delete(key);
      }
    }
    metrics.requests.inc({ status: response.status });
    json(res, 200, response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7333, options.host ?? '0.0.0.0', resolve);
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the cluster manager did not get a TCP port');
  const host = options.host ?? '0.0.0.0';
  logger.info('cluster manager started', { port: address.port });
  return {
    port: address.port,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`,
    metrics,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function text(res: ServerResponse, status: number, body: string, type = 'text/plain'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}
