import type { KubeClient } from './client.ts';
import { sleep, systemClock, type Clock } from './clock.ts';
import { KubeApiError } from './errors.ts';
import { silentLogger, type Logger } from './logger.ts';
import { formatMicroTime } from './micro-time.ts';

export interface LeaderElectionOptions {
  /** The Lease object: one per controller, in the controller's namespace. */
  namespace: string;
  name: string;
  /** This candidate's identity (the pod name and a random suffix). */
  identity: string;
  /** How long a lease is valid after its last renewal. Default 15 s. */
  leaseDurationMs?: number;
  /** The leader gives up if it cannot renew for this long. Default 10 s. */
  renewDeadlineMs?: number;
  /** How often candidates try, and the leader renews. Default 2 s. */
  retryPeriodMs?: number;
  onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  onStoppedLeading?: () => void;
  onNewLeader?: (identity: string) => void;
  clock?: Clock;
  logger?: Logger;
}

interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: { holderIdentity?: string; leaseDurationSeconds?: number; acquireTime?: string; renewTime?: string; leaseTransitions?: number };
}

/**
 * Lease-based leader election with client-go's semantics: a candidate takes the Lease
 * when it is free or expired (renewTime + leaseDuration in the past, by its own clock),
 * using the Lease's resourceVersion for optimistic concurrency; the leader renews every
 * retryPeriod and steps down when renewals keep failing for renewDeadline. On stop the
 * leader releases the Lease so a successor need not wait for it to expire.
 */
export class LeaderElector {
  private readonly client: KubeClient;
  private readonly options: Required<Omit<LeaderElectionOptions, 'onStoppedLeading' | 'onNewLeader'>> &
    Pick<LeaderElectionOptions, 'onStoppedLeading' | 'onNewLeader'>;
  private leading = false;
  private observedHolder: string | undefined;
  /** When this candidate last saw the Lease change (its own clock, as client-go does). */
  private observedAt = 0;
  private observedRecord: Lease | undefined;
  private stopController: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private releaseOnStop = true;

  constructor(client: KubeClient, options: LeaderElectionOptions) {
    this.client = client;
    this.options = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, clock: systemClock, logger: silentLogger, ...options };
    if (this.options.leaseDurationMs <= this.options.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.options.renewDeadlineMs <= this.options.retryPeriodMs) throw new Error('renewDeadline must be greater than retryPeriod');
  }

  get isLeader(): boolean {
    return this.leading;
  }

  get leader(): string | undefined {
    return this.observedHolder;
  }

  start(): void {
    if (this.loop) return;
    this.stopController = new AbortController();
    this.loop = this.run(this.stopController.signal);
  }

  /**
   * Stops campaigning; a leader releases the Lease first unless `release: false` (what a
   * crashed leader amounts to: the others wait for the Lease to expire).
   */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    this.releaseOnStop = options.release ?? true;
    this.stopController?.abort();
    await this.loop;
    this.loop = undefined;
  }

  private get path() {
    return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: this.options.namespace, name: this.options.name };
  }

  private async run(stop: AbortSignal): Promise<void> {
    const { clock, retryPeriodMs, renewDeadlineMs, logger } = this.options;
    while (!stop.aborted) {
      // Campaign until acquired.
      // Each attempt bounded too: stop() must not wait on a request the network swallowed.
      // The Lease's renewTime is written at some moment during the request: count from its start,
      // so this replica never believes it leads longer than the others were told it would.
      let attemptStart = clock.now();
      const attempt = () => ((attemptStart = clock.now()), this.tryAcquireOrRenew(AbortSignal.any([stop, AbortSignal.timeout(renewDeadlineMs)])));
      while (!stop.aborted && !(await attempt())) await sleep(retryPeriodMs, clock, stop);
      if (stop.aborted) break;

      this.leading = true;
      logger.info('became leader', { lease: `${this.options.namespace}/${this.options.name}`, identity: this.options.identity });
      const leadership = new AbortController();
      const onStop = () => leadership.abort();
      stop.addEventListener('abort', onStop, { once: true });
      void Promise.resolve()
        .then(() => this.options.onStartedLeading(leadership.signal))
        .catch((error: unknown) => logger.error('onStartedLeading failed', { error: error instanceof Error ? error.message : String(error) }));

      // Renew until a renewal deadline passes without success, or we stop.
      let lastRenew = attemptStart;
      while (!stop.aborted) {
        await sleep(retryPeriodMs, clock, stop);
        if (stop.aborted) break;
        // A renewal that hangs (a stalled network) must not outlive the deadline: past it another
        // candidate may hold the Lease while this one still believes it leads.
        const started = clock.now();
        const budget = AbortSignal.timeout(Math.max(1, renewDeadlineMs - (started - lastRenew)));
        if (await this.tryAcquireOrRenew(AbortSignal.any([stop, budget]))) {
          lastRenew = started;
        } else if (budget.aborted || clock.now() - lastRenew >= renewDeadlineMs || (this.observedHolder && this.observedHolder !== this.options.identity)) {
          logger.warn('lost leadership', { holder: this.observedHolder });
          break;
        }
      }
      this.leading = false;
      leadership.abort();
      stop.removeEventListener('abort', onStop);
      this.options.onStoppedLeading?.();
      if (stop.aborted && this.releaseOnStop) await this.release();
    }
  }

  /** One attempt, as client-go's tryAcquireOrRenew: true when we hold the Lease afterwards. */
  private async tryAcquireOrRenew(signal?: AbortSignal): Promise<boolean> {
    const { clock, identity, leaseDurationMs } = this.options;
    const now = clock.now();
    const nowTime = formatMicroTime(new Date(now));
    let current: Lease | undefined;
    try {
      current = await this.client.get<Lease & { [key: string]: unknown }>(this.path, { signal });
    } catch (error) {
      this.options.logger.warn('reading the lease failed', { error: error instanceof Error ? error.message : String(error) });
      return false;
    }

    if (!current) {
      const lease: Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.options.name, namespace: this.options.namespace },
        spec: {
          holderIdentity: identity,
          leaseDurationSeconds: Math.ceil(leaseDurationMs / 1000),
          acquireTime: nowTime,
          renewTime: nowTime,
          leaseTransitions: 0,
        },
      };
      try {
        await this.client.create(lease as Lease & { [key: string]: unknown }, { signal });
        this.observe(lease, now);
        return true;
      } catch (error) {
        if (error instanceof KubeApiError && error.isConflict) return false;
        this.options.logger.warn('creating the lease failed', { error: error instanceof Error ? error.message : String(error) });
        return false;
      }
    }

    if (this.observedRecord?.metadata.resourceVersion !== current.metadata.resourceVersion) this.observe(current, now);
    const holder = current.spec.holderIdentity;
    const durationMs = (current.spec.leaseDurationSeconds ?? Math.ceil(leaseDurationMs / 1000)) * 1000;
    const held = holder !== undefined && holder !== '';
    if (held && holder !== identity && this.observedAt + durationMs > now) return false;

    const spec = { ...current.spec };
    if (holder === identity) {
      spec.renewTime = nowTime;
    } else {
      spec.holderIdentity = identity;
      spec.acquireTime = nowTime;
      spec.renewTime = nowTime;
      spec.leaseDurationSeconds = Math.ceil(leaseDurationMs / 1000);
      spec.leaseTransitions = (current.spec.leaseTransitions ?? 0) + 1;
    }
    try {
      const updated = await this.client.replace({ ...current, spec } as Lease & { [key: string]: unknown }, { signal });
      this.observe(updated as unknown as Lease, now);
      return true;
    } catch (error) {
      if (!(error instanceof KubeApiError && error.isConflict)) {
        this.options.logger.warn('updating the lease failed', { error: error instanceof Error ? error.message : String(error) });
      }
      return false;
    }
  }

  private observe(lease: Lease, now: number): void {
    const holder = lease.spec.holderIdentity;
    if (holder && holder !== this.observedHolder) this.options.onNewLeader?.(holder);
    this.observedHolder = holder || undefined;
    this.observedRecord = lease;
    this.observedAt = now;
  }

  /** Gives the Lease up (holder cleared, short duration) so another candidate takes it at once. */
  private async release(): Promise<void> {
    try {
      const current = await this.client.get<Lease & { [key: string]: unknown }>(this.path);
      if (!current || current.spec.holderIdentity !== this.options.identity) return;
      const now = formatMicroTime(new Date(this.options.clock.now()));
      await this.client.replace({ ...current, spec: { ...current.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now, acquireTime: now } });
    } catch (error) {
      this.options.logger.warn('releasing the lease failed', { error: error instanceof Error ? error.message : String(error) });
    }
  }
}
