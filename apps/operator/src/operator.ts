import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { EventRecorder, LeaderElector, createKubeClient, createLogger, loadKubeConfig, type Clock, type LogLevel, type Logger } from '@qhc/kube';
import { OPERATOR_SETTINGS_CONFIGMAP } from '@qhc/manifests';
import { ClusterController } from './controller.ts';
import { BackupController } from './backup/controller.ts';
import { OperatorMetrics } from './metrics.ts';
import { clusterManagerLink } from './cluster-manager.ts';
import { qdrantAccess } from './qdrant/access.ts';
import { FIELD_MANAGER } from './reconcile/cluster.ts';
import { SettingsFile, type SettingsCheck } from './settings-file.ts';
import { SettingsStatusPublisher } from './settings-status.ts';

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
  /**
   * The ConfigMap mounted as the settings file, in leaseNamespace (the operator's own): events
   * about the file are recorded on it, and its status goes to `qhc-operator-settings-status`
   * next to it. Default `qhc-operator-settings`, as the installation names it.
   */
  settingsConfigMap?: string;
  /** How the settings file is watched: the periodic look's interval, the debounce, a clock; onCheck for tests. */
  settingsWatch?: { pollMs?: number; debounceMs?: number; clock?: Clock; onCheck?: (result: SettingsCheck) => void };
}

export interface RunningOperator {
  port: number;
  metrics: OperatorMetrics;
  /** The settings file: the settings in force and whether the file on disk was accepted. */
  settings: SettingsFile;
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
  const settingsFile = new SettingsFile(options.settingsPath, logger, options.settingsWatch?.clock);
  const settings = settingsFile.settings.settings;
  const kc = loadKubeConfig({
    inCluster: settings.app_environment === 'kubernetes' && !options.kubeconfigPath,
    kubeconfigPath: options.kubeconfigPath,
    context: options.context,
  });
  const metrics = new OperatorMetrics();
  const client = createKubeClient(kc, {
    fieldManager: FIELD_MANAGER,
    onRequest: ({ verb, kind, status }) => metrics.apiRequests.inc({ verb, kind, code: String(status) }),
  });
  const identity = `${hostname()}-${randomBytes(3).toString('hex')}`;
  let controller: ClusterController | undefined;
  let backups: BackupController | undefined;
  let ready = false;
  let publisher: SettingsStatusPublisher | undefined;

  // New settings change what every cluster and backup should look like: all are queued again.
  // A refused file changes nothing in the cluster; it shows as an event and a status the agent reports.
  settingsFile.watch({
    ...options.settingsWatch,
    onChange: () => {
      const clusters = controller?.requeueAll() ?? 0;
      const others = backups?.requeueAll() ?? 0;
      logger.info('settings changed: every cluster and backup queued', { clusters, backups: others });
    },
    onStatus: (status) => publisher?.publish(status),
  });

  const startController = async (signal?: AbortSignal) => {
    const qdrant = qdrantAccess(client, options.qdrantUrlTemplate);
    const clusterManager = options.clusterManagerUrl ? clusterManagerLink(options.clusterManagerUrl, qdrant) : undefined;
    controller = new ClusterController({
      client,
      settings: () => settingsFile.settings,
      logger,
      metrics,
      namespace: options.namespace,
      identity,
      qdrant,
      clusterManager,
    });
    backups = new BackupController({
      client,
      settings: () => settingsFile.settings,
      logger,
      metrics,
      namespace: options.namespace,
      identity,
      qdrant,
      now: options.now,
    });
    await controller.start();
    await backups.start();
    // The leader speaks for the settings: whatever an earlier leader last wrote is replaced.
    publisher = new SettingsStatusPublisher({
      client,
      recorder: new EventRecorder(client, { controller: 'qhc.dev/operator', instance: identity }),
      logger,
      namespace: options.leaseNamespace,
      configMapName: options.settingsConfigMap ?? OPERATOR_SETTINGS_CONFIGMAP,
    });
    publisher.publish(settingsFile.status);
    ready = true;
    metrics.isLeader.set({}, 1);
    signal?.addEventListener('abort', () => void stopController(), { once: true });
  };
  const stopController = async () => {
    ready = false;
    metrics.isLeader.set({}, 0);
    const running = [controller, backups, publisher];
    controller = undefined;
    backups = undefined;
    publisher = undefined;
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
  logger.info('operator started', {
    identity,
    port: typeof address === 'object' && address ? address.port : undefined,
    namespace: options.namespace ?? '(all)',
  });

  return {
    port: typeof address === 'object' && address ? address.port : 0,
    metrics,
    settings: settingsFile,
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
