import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { LeaderElector, createKubeClient, createLogger, loadKubeConfig, type LogLevel, type Logger } from '@qhc/kube';
import { ClusterController } from './controller.ts';
import { BackupController } from './backup/controller.ts';
import { OperatorMetrics } from './metrics.ts';
import { clusterManagerLink } from './cluster-manager.ts';
import { qdrantAccess } from './qdrant/access.ts';
import { FIELD_MANAGER } from './reconcile/cluster.ts';
import { SettingsFile } from './settings-file.ts';

export interface OperatorOptions {
  settingsPath: string;
  /** For app_environment: local. */
  kubeconfigPath?: string;
  context?: string;
  /** Watch one namespace (the default in Qdrant's operator: its own); all when absent. */
  namespace?: string;
  /** Where the Lease lives. */
  leaseNamespace: string;
  leaderElection?: boolean | { leaseDurationMs: number; renewDeadlineMs: number; retryPeriodMs: number };
  /** 0 picks a free port. */
  port?: number;
  logLevel?: LogLevel;
  logger?: Logger;
  /**
   * Where to reach Qdrant nodes when not in the cluster: a URL with {namespace}, {name},
   * {id} and {node}. In the cluster, each node's DNS name through the headless Service.
   */
  qdrantUrlTemplate?: string;
  /** The cluster manager's base URL, for clusters with spec.clusterManager; without it they drain in-process. */
  clusterManagerUrl?: string;
  /** Epoch ms for schedules and retention; tests move it instead of waiting. */
  now?: () => number;
}

export interface RunningOperator {
  port: number;
  metrics: OperatorMetrics;
  isLeader(): boolean;
  /** `release: false` stops like a crash would: the Lease is left to expire. */
  stop(options?: { release?: boolean }): Promise<void>;
}

/**
 * The operator process: settings, apiserver client, /healthz /readyz /metrics, leader
 * election, and the cluster controller while leading.
 */
export async function startOperator(options: OperatorOptions): Promise<RunningOperator> {
  const logger = options.logger ?? createLogger({ level: options.logLevel ?? 'info', component: 'qhc-operator' });
  const settingsFile = new SettingsFile(options.settingsPath, logger);
  settingsFile.watch();
  const settings = settingsFile.settings.settings;
  const kc = loadKubeConfig({ inCluster: settings.app_environment === 'kubernetes' && !options.kubeconfigPath, kubeconfigPath: options.kubeconfigPath, context: options.context });
  const metrics = new OperatorMetrics();
  const client = createKubeClient(kc, {
    fieldManager: FIELD_MANAGER,
    onRequest: ({ verb, kind, status }) => metrics.apiRequests.inc({ verb, kind, code: String(status) }),
  });
  const identity = `${hostname()}-${randomBytes(3).toString('hex')}`;
  let controller: ClusterController | undefined;
  let backups: BackupController | undefined;
  let ready = false;

  const startController = async (signal?: AbortSignal) => {
    const qdrant = qdrantAccess(client, options.qdrantUrlTemplate);
    const clusterManager = options.clusterManagerUrl ? clusterManagerLink(options.clusterManagerUrl, qdrant) : undefined;
    controller = new ClusterController({ client, settings: () => settingsFile.settings, logger, metrics, namespace: options.namespace, identity, qdrant, clusterManager });
    backups = new BackupController({ client, settings: () => settingsFile.settings, logger, metrics, namespace: options.namespace, identity, qdrant, now: options.now });
    await controller.start();
    await backups.start();
    ready = true;
    metrics.isLeader.set({}, 1);
    signal?.addEventListener('abort', () => void stopController(), { once: true });
  };
  const stopController = async () => {
    ready = false;
    metrics.isLeader.set({}, 0);
    const running = [controller, backups];
    controller = undefined;
    backups = undefined;
    await Promise.all(running.map((c) => c?.stop()));
  };

  const server = await listen(options.port ?? 8285, (path) => {
    if (path === '/healthz') return { status: 200, body: 'ok' };
    if (path === '/readyz') return ready ? { status: 200, body: 'ok' } : { status: 503, body: 'not leading or not synced' };
    if (path === '/metrics') return { status: 200, body: metrics.render(), type: 'text/plain; version=0.0.4' };
    return { status: 404, body: 'not found' };
  });

  let elector: LeaderElector | undefined;
  if (options.leaderElection === false) {
    await startController();
  } else {
    const timing = typeof options.leaderElection === 'object' ? options.leaderElection : {};
    elector = new LeaderElector(client, {
      namespace: options.leaseNamespace,
      name: 'qhc-operator',
      identity,
      ...timing,
      logger,
      onStartedLeading: (signal) => startController(signal),
      onStoppedLeading: () => void stopController(),
    });
    elector.start();
  }
  const address = server.address();
  logger.info('operator started', { identity, port: typeof address === 'object' && address ? address.port : undefined, namespace: options.namespace ?? '(all)' });

  return {
    port: typeof address === 'object' && address ? address.port : 0,
    metrics,
    isLeader: () => ready,
    async stop(stopOptions = {}) {
      await elector?.stop(stopOptions);
      await stopController();
      settingsFile.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(port: number, handle: (path: string) => { status: number; body: string; type?: string }): Promise<Server> {
  const server = createServer((req, res) => {
    const { status, body, type } = handle(new URL(req.url ?? '/', 'http://localhost').pathname);
    res.writeHead(status, { 'content-type': type ?? 'text/plain' }).end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, process.env.QHC_OPERATOR_BIND ?? '0.0.0.0', () => resolve(server));
  });
}
