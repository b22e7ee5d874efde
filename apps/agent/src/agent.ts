import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, exponentialBackoffMs, renderMetrics, type KubeClient, type Logger } from '@qhc/kube';
import { applyDesiredState } from './apply.ts';
import type { InstallationStatus } from './installation.ts';
import { ControlPlaneClient, InvalidDesiredState, Unauthorized, type ControlPlaneOptions } from './control-plane.ts';
import { CredentialStore } from './credentials.ts';
import { collectStatus } from './status.ts';
import { conditionChanged, desiredStateCondition, withCondition } from './desired-state-condition.ts';
import { loadSealingKey, openDatabaseApiKeys, withUnreadableKeys, type UnreadableKey } from './database-keys.ts';
import type { SealingKeyPair } from '@qhc/schemas/sealing';

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
  /** Independent clusters applied at once; default 8. */
  applyConcurrency?: number;
}

export interface RunningAgent {
  /** Where /healthz and /metrics are, when served. */
  healthUrl?: string;
  appliedRevision(): number | undefined;
  connected(): boolean;
  stop(): Promise<void>;
}

/** The agent's metrics, served on /metrics. */
function agentMetrics() {
  return {
    polls: new Counter('qhc_agent_polls_total', 'Desired-state requests, by result (changed, unchanged, invalid, error).'),
    applied: new Gauge('qhc_agent_applied_revision', 'The last desired-state revision applied.'),
    connected: new Gauge('qhc_agent_connected', '1 while the last request to the control plane succeeded.'),
    reports: new Counter('qhc_agent_status_reports_total', 'Status reports, by result.'),
  };
}
type Metrics = ReturnType<typeof agentMetrics>;

interface LoopState {
  stopped: boolean;
  applied: number | undefined;
  connected: boolean;
  failures: number;
  installation: InstallationStatus | undefined;
  /** DesiredStateApplied: whether the last answer applied or was refused (and why). */
  desiredState: ReturnType<typeof desiredStateCondition> | undefined;
  /** Database API keys of the last answer this agent's key pair could not open. */
  unreadableKeys: UnreadableKey[];
}

/** What the loops share: the options, the control plane, the state, and the stop signal. */
interface Loop {
  options: AgentOptions;
  log: Logger;
  cp: ControlPlaneClient;
  credentials: CredentialStore;
  metrics: Metrics;
  state: LoopState;
  /** The key pair database API keys are sealed for: loaded (or made) before the first poll. */
  sealing?: SealingKeyPair;
  stop: AbortController;
  report: (force?: boolean) => Promise<void>;
}

/** Resolves after `ms`, or at once when the agent stops. */
function pause(stop: AbortController, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/**
 * The agent's loop: hold a credential (exchange the bootstrap token once, keep the result in
 * the installation's Secret), long-poll the desired state, apply it, report status. Every
 * connection is outgoing. While the control plane cannot be reached, nothing in the cluster
 * is touched; the loop retries with capped, jittered backoff and reports as soon as it is back.
 */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const { client, namespace, region, logger } = options;
  const loop: Loop = {
    options,
    log: logger.with({ namespace, name: region }),
    cp: new ControlPlaneClient(options.controlPlane),
    credentials: new CredentialStore(client, namespace),
    metrics: agentMetrics(),
    state: { stopped: false, applied: undefined, connected: false, failures: 0, installation: undefined, desiredState: undefined, unreadableKeys: [] },
    stop: new AbortController(),
    report: async () => undefined,
  };
  loop.report = reporter(loop);
  const running = Promise.all([pollLoop(loop), statusLoop(loop)]);
  const server = options.healthPort === undefined ? undefined : await healthServer(options.healthPort, loop.metrics);
  loop.log.info('agent started', { controlPlane: options.controlPlane.url });
  return {
    ...(server ? { healthUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } : {}),
    appliedRevision: () => loop.state.applied,
    connected: () => loop.state.connected,
    async stop() {
      loop.state.stopped = true;
      loop.stop.abort();
      await running;
      await loop.cp.close();
      if (server) await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function ensureToken({ cp, credentials, options, log }: Loop): Promise<void> {
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
}

/** Sends the status when it changed, at least every minute, and always when forced. */
function reporter(loop: Loop): (force?: boolean) => Promise<void> {
  const { options, cp, state, metrics } = loop;
  let lastSent = '';
  let lastSentAt = 0;
  return async (force = false) => {
    const { client, namespace, region } = options;
    const status = await collectStatus(client, namespace, region, state.applied, options.agentVersion ?? PACKAGE_VERSION);
    // Whether the installation is current (a Helm one says how to upgrade it): the console shows it.
    if (state.installation) status.region = { ...status.region, installation: state.installation };
    status.region = withCondition(status.region, state.desiredState);
    status.clusters = withUnreadableKeys(status.clusters ?? [], state.unreadableKeys);
    if (loop.sealing) status.agentPublicKey = loop.sealing.publicKey;
    const text = JSON.stringify(status);
    if (!force && text === lastSent && Date.now() - lastSentAt < 60_000) return;
    await cp.report(status);
    lastSent = text;
    lastSentAt = Date.now();
    metrics.reports.inc({ result: 'sent' });
  };
}

/** Status on its own beat: a cluster becoming Healthy is no change to the desired state. */
async function statusLoop(loop: Loop): Promise<void> {
  const { state, cp, metrics, log } = loop;
  while (!state.stopped) {
    await pause(loop.stop, loop.options.statusIntervalMs ?? 10_000);
    if (state.stopped || !cp.token || !state.connected) continue;
    await loop.report().catch((error: unknown) => {
      metrics.reports.inc({ result: 'error' });
      log.warn('status report failed', { error: error instanceof Error ? error.message : String(error) });
    });
  }
}

async function pollLoop(loop: Loop): Promise<void> {
  while (!loop.state.stopped) {
    try {
      await pollOnce(loop);
    } catch (error) {
      if (loop.state.stopped) return;
      await onPollFailure(loop, error);
    }
  }
}

/** One long-poll: apply a new desired state; report after it, and after a reconnection. */
async function pollOnce(loop: Loop): Promise<void> {
  const { state, cp, metrics, log, options, stop } = loop;
  await ensureToken(loop);
  loop.sealing ??= await loadSealingKey(options.client, options.namespace);
  const pollSeconds = options.pollSeconds ?? 25;
  const desired = await cp.desiredState(state.applied ?? -1, state.applied === undefined ? 0 : pollSeconds, stop.signal);
  const reconnected = !state.connected;
  if (reconnected) log.info('connected to the control plane', { url: options.controlPlane.url });
  state.connected = true;
  state.failures = 0;
  metrics.connected.set({}, 1);
  metrics.polls.inc({ result: desired ? 'changed' : 'unchanged' });
  if (desired) {
    const opened = openDatabaseApiKeys(desired, loop.sealing.privateKeyPem);
    state.unreadableKeys = opened.unreadable;
    // The key ids only: never what they seal.
    if (opened.unreadable.length > 0) log.warn('database API keys this agent cannot open', { keys: opened.unreadable.map((k) => k.keyId) });
    const concurrency = options.applyConcurrency === undefined ? {} : { concurrency: options.applyConcurrency };
    const result = await applyDesiredState(options.client, options.namespace, opened.state, log, concurrency);
    state.applied = desired.revision;
    state.installation = result.installation;
    state.desiredState = desiredStateCondition(state.desiredState, { applied: desired.revision });
    metrics.applied.set({}, desired.revision);
    log.info('desired state applied', {
      revision: desired.revision,
      applied: result.applied.length,
      unchanged: result.unchanged.length,
      deleted: result.deleted,
    });
  }
  // What was missed while away goes now.
  if (desired || reconnected) await loop.report(true);
}

/**
 * A failed poll: backoff, then again. An answer this agent cannot read is the control plane's
 * (it stays connected, nothing of the answer is applied); a refused credential is forgotten.
 */
async function onPollFailure(loop: Loop, error: unknown): Promise<void> {
  const { state, metrics, log } = loop;
  const message = error instanceof Error ? error.message : String(error);
  state.failures++;
  const delay = exponentialBackoffMs(state.failures, loop.options.backoff);
  if (error instanceof InvalidDesiredState) {
    state.connected = true;
    metrics.connected.set({}, 1);
    metrics.polls.inc({ result: 'invalid' });
    log.warn('the control plane sent a desired state this agent cannot read; clusters keep running untouched', { error: message, retryInMs: delay });
    await reportRefusal(loop, error);
    return pause(loop.stop, delay);
  }
  state.connected = false;
  metrics.connected.set({}, 0);
  metrics.polls.inc({ result: 'error' });
  if (error instanceof Unauthorized) {
    // A revoked or replaced credential: forget it; a new bootstrap token (a re-run installation) may be waiting.
    loop.cp.token = undefined;
    const stored = await loop.credentials.read().catch(() => ({ agentToken: undefined }));
    if (stored.agentToken) await loop.credentials.saveAgentToken('').catch(() => undefined);
  }
  log.warn('control plane request failed; clusters keep running untouched', { error: message, retryInMs: delay, attempt: state.failures });
  return pause(loop.stop, delay);
}

/** The region's status says the answer was refused, and why: at once when that is news, else on the status beat. */
async function reportRefusal(loop: Loop, error: InvalidDesiredState): Promise<void> {
  const before = loop.state.desiredState;
  loop.state.desiredState = desiredStateCondition(before, { refused: error.issues });
  if (!conditionChanged(before, loop.state.desiredState)) return;
  await loop.report(true).catch((failure: unknown) => {
    loop.metrics.reports.inc({ result: 'error' });
    loop.log.warn('status report failed', { error: failure instanceof Error ? failure.message : String(failure) });
  });
}

/** /healthz and /metrics, on loopback only: nothing outside the pod may connect to the agent. */
async function healthServer(port: number, metrics: Metrics): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/healthz') res.writeHead(200).end('ok');
    else if (req.url === '/metrics') res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(renderMetrics(Object.values(metrics)));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}
