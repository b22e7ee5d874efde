import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, exponentialBackoffMs, renderMetrics, type KubeClient, type Logger } from '@qhc/kube';
import { applyDesiredState } from './apply.ts';
import type { InstallationStatus } from './installation.ts';
import { ControlPlaneClient, Unauthorized, type ControlPlaneOptions, type DesiredState } from './control-plane.ts';
import { CredentialStore } from './credentials.ts';
import { collectStatus } from './status.ts';

/** This package's version (from src/ or dist/ alike: package.json is one level up). */
const PACKAGE_VERSION = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

export interface AgentOptions {
  client: KubeClient;
  namespace: string;
  region: string;
  controlPlane: ControlPlaneOptions;
  /** From the installation's Secret when not given. */
  bootstrapToken?: string;
  logger: Logger;
  agentVersion?: string;
  /** Longest long-poll. */
  pollSeconds?: number;
  /** How often the status is looked at; it is sent when it changed, and at least every minute. */
  statusIntervalMs?: number;
  /** Health and metrics, on 127.0.0.1 only (0: a free port; undefined: none). */
  healthPort?: number;
  backoff?: { baseMs?: number; maxMs?: number };
}

export interface RunningAgent {
  /** Where /healthz and /metrics are, when served. */
  healthUrl?: string;
  appliedRevision(): number | undefined;
  connected(): boolean;
  stop(): Promise<void>;
}

/**
 * The agent's loop: hold a credential (exchange the bootstrap token once, keep the result in
 * the installation's Secret), long-poll the desired state, apply it, report status. Every
 * connection is outgoing. While the control plane cannot be reached, nothing in the cluster
 * is touched; the loop retries with capped, jittered backoff and reports as soon as it is back.
 */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const { client, namespace, region, logger } = options;
  const log = logger.with({ namespace, name: region });
  const cp = new ControlPlaneClient(options.controlPlane);
  const credentials = new CredentialStore(client, namespace);
  const metrics = {
    polls: new Counter('qhc_agent_polls_total', 'Desired-state requests, by result (changed, unchanged, error).'),
    applied: new Gauge('qhc_agent_applied_revision', 'The last desired-state revision applied.'),
    connected: new Gauge('qhc_agent_connected', '1 while the last request to the control plane succeeded.'),
    reports: new Counter('qhc_agent_status_reports_total', 'Status reports, by result.'),
  };
  const state = {
    stopped: false,
    applied: undefined as number | undefined,
    connected: false,
    failures: 0,
    installation: undefined as InstallationStatus | undefined,
  };
  const stop = new AbortController();
  const pollSeconds = options.pollSeconds ?? 25;

  const ensureToken = async () => {
    if (cp.token) return;
    const stored = await credentials.read();
    if (stored.agentToken) {
      cp.token = stored.agentToken;
      return;
    }
    // The Secret's first: a re-run installation writes a new token there before the pod's env changes.
    const bootstrap = stored.bootstrapToken ?? options.bootstrapToken;
    if (!bootstrap) throw new Error('no agent credential and no bootstrap token: re-run the installation command');
    const registered = await cp.register(bootstrap);
    await credentials.saveAgentToken(registered.token);
    cp.token = registered.token;
    log.info('registered with the control plane', { region: registered.region });
  };

  let lastSent = '';
  let lastSentAt = 0;
  const report = async (force = false) => {
    const status = await collectStatus(client, namespace, region, state.applied, options.agentVersion ?? PACKAGE_VERSION);
    // Whether the installation is current (a Helm one says how to upgrade it): the console shows it.
    if (state.installation) status.region = { ...status.region, installation: state.installation };
    const text = JSON.stringify(status);
    if (!force && text === lastSent && Date.now() - lastSentAt < 60_000) return;
    await cp.report(status);
    lastSent = text;
    lastSentAt = Date.now();
    metrics.reports.inc({ result: 'sent' });
  };

  // Status on its own beat: a cluster becoming Healthy is no change to the desired state.
  const statusLoop = async () => {
    while (!state.stopped) {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, options.statusIntervalMs ?? 10_000);
        stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve(undefined)), { once: true });
      });
      if (state.stopped || !cp.token || !state.connected) continue;
      await report().catch((error: unknown) => {
        metrics.reports.inc({ result: 'error' });
        log.warn('status report failed', { error: error instanceof Error ? error.message : String(error) });
      });
    }
  };

  const loop = async () => {
    while (!state.stopped) {
      try {
        await ensureToken();
        const desired: DesiredState | undefined = await cp.desiredState(state.applied ?? -1, state.applied === undefined ? 0 : pollSeconds, stop.signal);
        const reconnected = !state.connected;
        if (reconnected) log.info('connected to the control plane', { url: options.controlPlane.url });
        state.connected = true;
        state.failures = 0;
        metrics.connected.set({}, 1);
        metrics.polls.inc({ result: desired ? 'changed' : 'unchanged' });
        if (desired) {
          const result = await applyDesiredState(client, namespace, desired, log);
          state.applied = desired.revision;
          state.installation = result.installation;
          metrics.applied.set({}, desired.revision);
          log.info('desired state applied', { revision: desired.revision, applied: result.applied.length, deleted: result.deleted });
        }
        // After an apply, and after a reconnection: what was missed while away goes now.
        if (desired || reconnected) await report(true);
      } catch (error) {
        if (state.stopped) return;
        state.connected = false;
        metrics.connected.set({}, 0);
        metrics.polls.inc({ result: 'error' });
        if (error instanceof Unauthorized) {
          // A revoked or replaced credential: forget it; a new bootstrap token (a re-run installation) may be waiting.
          cp.token = undefined;
          const stored = await credentials.read().catch(() => ({ agentToken: undefined }));
          if (stored.agentToken) await credentials.saveAgentToken('').catch(() => undefined);
        }
        state.failures++;
        const delay = exponentialBackoffMs(state.failures, options.backoff);
        log.warn('control plane request failed; clusters keep running untouched', {
          error: error instanceof Error ? error.message : String(error),
          retryInMs: delay,
          attempt: state.failures,
        });
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, delay);
          stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve(undefined)), { once: true });
        });
      }
    }
  };
  const running = Promise.all([loop(), statusLoop()]);

  let server: Server | undefined;
  if (options.healthPort !== undefined) {
    server = createServer((req, res) => {
      if (req.url === '/healthz') res.writeHead(200).end('ok');
      else if (req.url === '/metrics') res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(renderMetrics(Object.values(metrics)));
      else res.writeHead(404).end();
    });
    // Loopback only: nothing outside the pod may connect to the agent.
    await new Promise<void>((resolve) => server!.listen(options.healthPort, '127.0.0.1', resolve));
  }
  log.info('agent started', { controlPlane: options.controlPlane.url });
  return {
    ...(server ? { healthUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } : {}),
    appliedRevision: () => state.applied,
    connected: () => state.connected,
    async stop() {
      state.stopped = true;
      stop.abort();
      await running;
      await cp.close();
      if (server) await new Promise((resolve) => server!.close(resolve));
    },
  };
}
