import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import {
  EventRecorder,
  LeaderElector,
  createKubeClient,
  createLogger,
  loadKubeConfig,
  type Clock,
  type KubeClient,
  type KubeClientOptions,
  type KubeConfig,
  type LogLevel,
  type Logger,
} from '@qhc/kube';
import { OPERATOR_SETTINGS_CONFIGMAP } from '@qhc/manifests';
import { ClusterController } from './controller.ts';
import { BackupController } from './backup/controller.ts';
import { OperatorMetrics } from './metrics.ts';
import { clusterManagerLink } from './cluster-manager.ts';
import { qdrantAccess } from './qdrant/access.ts';
import { FIELD_MANAGER } from './reconcile/cluster.ts';
import { createServer } from './http-server.ts';
import { heapFit } from './memory-limit.ts';
import { SettingsFile, type SettingsCheck } from './settings-file.ts';
import { SettingsStatusPublisher } from './settings-status.ts';
import { Leadership } from './leadership.ts';

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
  /**
   * A server main started listening before the operator's modules were loaded, so the kubelet's
   * first probe finds it; the operator takes its requests over. Without it, one on `port`.
   */
  server?: Server;
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
  /** Clusters reconciled at the same time (one cluster never twice at once). Default 16. */
  workers?: number;
  /** Client-side throttling of apiserver requests (client-go's QPS/Burst), Events on a budget of their own. Default 100/200. */
  kubeApiRateLimit?: { qps: number; burst: number };
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

type RequestHook = NonNullable<KubeClientOptions['onRequest']>;

const DEFAULT_RATE_LIMIT = { qps: 200, burst: 400 };

interface Wiring {
  options: OperatorOptions;
  client: KubeClient;
  leaseClient: KubeClient;
  recorder: EventRecorder;
  settingsFile: SettingsFile;
  logger: Logger;
  metrics: OperatorMetrics;
  identity: string;
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
  const onRequest = requestHook(metrics, { throttle: true });
  const client = createKubeClient(kc, { fieldManager: FIELD_MANAGER, rateLimit: options.kubeApiRateLimit ?? DEFAULT_RATE_LIMIT, onRequest });
  // The Lease on a client of its own, outside the rate limit: a renewal must never queue
  // behind reconcile traffic, or a busy leader misses its renew deadline and steps down.
  const leaseClient = createKubeClient(kc, { fieldManager: FIELD_MANAGER, onRequest });
  const identity = `${hostname()}-${randomBytes(3).toString('hex')}`;
  const recorder = eventRecorder(kc, options, logger, metrics, identity);
  const wiring: Wiring = { options, client, leaseClient, recorder, settingsFile, logger, metrics, identity };
  const leading = leadership(wiring);
  watchSettings(wiring, leading);
  const handle = (path: string) => route(path, leading, metrics);
  const server = options.server ? serve(options.server, handle) : await listen(options.port ?? 8285, handle);
  const elector = await lead(wiring, leading);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const memory = heapFit();
  logger.info('operator started', { identity: wiring.identity, port, namespace: options.namespace ?? '(all)', ...memory });
  if (memory.tooBig)
    logger.warn(
      'the V8 heap may grow past the container memory limit: the process would be killed rather than collect garbage; size it from the limit (NODE_OPTIONS=--max-old-space-size-percentage=50)',
      { ...memory },
    );

  return {
    port,
    metrics,
    settings: settingsFile,
    isLeader: () => leading.ready,
    async stop(stopOptions = {}) {
      await elector?.stop(stopOptions);
      await leading.stop();
      await recorder.stop();
      settingsFile.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * New settings change what every cluster and backup should look like: all are queued again.
 * A refused file changes nothing in the cluster; it shows as an event and a status the agent reports.
 */
function watchSettings({ options, settingsFile, logger }: Wiring, leading: Leadership): void {
  settingsFile.watch({
    ...options.settingsWatch,
    onChange: () => {
      logger.info('settings changed: every cluster and backup queued', leading.requeueAll());
    },
    onStatus: (status) => leading.publish(status),
  });
}

function route(path: string, leading: Leadership, metrics: OperatorMetrics): { status: number; body: string; type?: string } {
  if (path === '/healthz') return { status: 200, body: 'ok' };
  // Ready means the process is up and serving, as controller-runtime's default readyz (a ping):
  // nothing sends traffic to an operator, so a standby, a leader still syncing or one shutting
  // down is not unready; a 503 would only fail the kubelet's probes in every rollout.
  if (path === '/readyz') return { status: 200, body: leading.ready ? 'ok: leading' : 'ok: standby' };
  if (path === '/metrics') return { status: 200, body: metrics.render(), type: 'text/plain; version=0.0.4' };
  return { status: 404, body: 'not found' };
}

/** Starts leading at once without leader election, else when elected; returns the elector. */
async function lead(wiring: Wiring, leading: Leadership): Promise<LeaderElector | undefined> {
  const { options, leaseClient, logger, identity } = wiring;
  if (options.leaderElection === false) {
    await leading.start();
    return undefined;
  }
  const timing = typeof options.leaderElection === 'object' ? options.leaderElection : {};
  const elector = new LeaderElector(leaseClient, {
    namespace: options.leaseNamespace,
    name: 'qhc-operator',
    identity,
    ...timing,
    logger,
    onStartedLeading: (signal) => leading.start(signal),
    onStoppedLeading: () => void leading.stop(),
  });
  elector.start();
  return elector;
}

/** The controllers and settings-status publisher of each term of leadership. */
function leadership(wiring: Wiring): Leadership {
  const { options, client, recorder, settingsFile, logger, metrics, identity } = wiring;
  return new Leadership({
    controllers: () => {
      const qdrant = qdrantAccess(client, options.qdrantUrlTemplate);
      const clusterManager = options.clusterManagerUrl ? clusterManagerLink(options.clusterManagerUrl, qdrant) : undefined;
      const shared = { client, recorder, settings: () => settingsFile.settings, logger, metrics, namespace: options.namespace, identity, qdrant };
      return {
        controller: new ClusterController({ ...shared, clusterManager, concurrency: options.workers }),
        backups: new BackupController({ ...shared, now: options.now }),
      };
    },
    publisher: () =>
      new SettingsStatusPublisher({
        client,
        recorder,
        logger,
        namespace: options.leaseNamespace,
        configMapName: options.settingsConfigMap ?? OPERATOR_SETTINGS_CONFIGMAP,
      }),
    settingsStatus: () => settingsFile.status,
    logger,
    metrics,
  });
}

type Handle = (path: string) => { status: number; body: string; type?: string };

function respond(handle: Handle): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const { status, body, type } = handle(new URL(req.url ?? '/', 'http://localhost').pathname);
    res.writeHead(status, { 'content-type': type ?? 'text/plain' }).end(body);
  };
}

/** Takes over a listening server's requests from whatever answered them while the operator loaded. */
function serve(server: Server, handle: Handle): Server {
  server.removeAllListeners('request');
  server.on('request', respond(handle));
  return server;
}

function listen(port: number, handle: Handle): Promise<Server> {
  const server = createServer(respond(handle));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, process.env.QHC_OPERATOR_BIND ?? '0.0.0.0', () => resolve(server));
  });
}

/**
 * The operator's one event recorder, on a client of its own as client-go's event broadcaster
 * is: with its own rate limiter, a creation's burst of Events does not delay the applies and
 * status writes that converge clusters, and the Events still have a limit of their own.
 */
function eventRecorder(kc: KubeConfig, options: OperatorOptions, logger: Logger, metrics: OperatorMetrics, identity: string): EventRecorder {
  // Its waits for its own limit are left out of the throttle metric: that one tells whether
  // reconciles wait for theirs.
  const onRequest = requestHook(metrics, { throttle: false });
  const client = createKubeClient(kc, { fieldManager: FIELD_MANAGER, rateLimit: options.kubeApiRateLimit ?? DEFAULT_RATE_LIMIT, onRequest });
  return new EventRecorder(client, {
    controller: 'qhc.dev/operator',
    instance: identity,
    onUnsent: (input, why, regarding) => {
      metrics.eventsUnsent.inc({ why: why instanceof Error ? 'failed' : why.replace('-', '_') });
      logger.warn('event not recorded', { ...regarding, reason: input.reason, why: why instanceof Error ? why.message : why });
    },
  });
}

/** Counts a client's requests in the operator's metrics. */
function requestHook(metrics: OperatorMetrics, { throttle }: { throttle: boolean }): RequestHook {
  return ({ verb, kind, status, durationMs, throttledMs }) => {
    metrics.apiRequests.inc({ verb, kind, code: String(status) });
    metrics.apiRequestSeconds.observe({ verb }, durationMs / 1000);
    if (throttle) metrics.apiThrottleSeconds.observe({ verb }, throttledMs / 1000);
  };
}
