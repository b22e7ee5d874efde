import type { BackOffSettings } from '@qhc/schemas';
import { incrementalBackoffMs } from './backoff.ts';
import { systemClock, type Clock } from './clock.ts';
import { TokenBucket } from './rate-limiter.ts';

/** What a reconcile may ask for: nothing (done), or to run again after a while. */
export type ReconcileResult = void | { requeueAfterMs: number };

export interface WorkQueueOptions {
  /** Retry delays after a failed run (the operator settings' backOff, in seconds); a function is read at each failure, so reloaded settings apply. */
  backoff: BackOffSettings | (() => BackOffSettings);
  /** Keys processed at the same time; one key is never processed twice at once. */
  concurrency?: number;
  /** Starts per second across all keys, with a burst: protects the apiserver from a storm. */
  ratePerSecond?: number;
  burst?: number;
  clock?: Clock;
  /** Called when a run throws, with the attempt number and the delay before the retry. */
  onError?: (key: string, error: unknown, attempt: number, retryInMs: number) => void;
}

/**
 * A per-key work queue with client-go's guarantees: a key is queued at most once, at most
 * one run per key is in flight (a key added during its run runs again afterwards, so no
 * change is lost), failures retry with the configured backoff, and successes reset it.
 * It holds keys, never objects: a run reads the latest state itself.
 */
export class WorkQueue {
  private readonly handler: (key: string) => Promise<ReconcileResult>;
  private readonly options: Required<Omit<WorkQueueOptions, 'onError'>> & Pick<WorkQueueOptions, 'onError'>;
  private readonly bucket: TokenBucket;
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly delayed = new Map<string, { at: number; cancel(): void }>();
  private readonly failures = new Map<string, number>();
  private pumpTimer: { cancel(): void } | undefined;
  private shuttingDown = false;
  private idleWaiters: Array<() => void> = [];

  constructor(handler: (key: string) => Promise<ReconcileResult>, options: WorkQueueOptions) {
    this.handler = handler;
    this.options = { concurrency: 4, ratePerSecond: 50, burst: 100, clock: systemClock, ...options };
    this.bucket = new TokenBucket({ ratePerSecond: this.options.ratePerSecond, burst: this.options.burst, clock: this.options.clock });
  }

  /** Keys waiting to run (not counting delayed or in-flight ones). */
  get depth(): number {
    return this.queue.length;
  }

  get inFlight(): number {
    return this.processing.size;
  }

  /** Delayed keys, by the time they are due. */
  get pendingDelayed(): number {
    return this.delayed.size;
  }

  attempts(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  add(key: string): void {
    if (this.shuttingDown) return;
    const timer = this.delayed.get(key);
    if (timer) {
      timer.cancel();
      this.delayed.delete(key);
    }
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.pump();
  }

  /** Adds the key after `ms`; an earlier pending schedule for it wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = this.options.clock.now() + ms;
    const existing = this.delayed.get(key);
    if (existing && existing.at <= at) return;
    existing?.cancel();
    const timer = this.options.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, cancel: () => timer.cancel() });
  }

  /** Forgets a key's failures (its next failure waits minDelay again). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Stops taking keys, drops queued and delayed ones, and waits for runs in flight. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    this.pumpTimer?.cancel();
    for (const timer of this.delayed.values()) timer.cancel();
    this.delayed.clear();
    this.queue.length = 0;
    this.queued.clear();
    this.dirty.clear();
    await this.idle();
  }

  /** Resolves when nothing is queued or running (delayed keys do not count). */
  idle(): Promise<void> {
    if (this.processing.size === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.processing.size < this.options.concurrency && this.queue.length > 0) {
      if (!this.bucket.tryTake()) {
        if (!this.pumpTimer) {
          this.pumpTimer = this.options.clock.setTimeout(() => {
            this.pumpTimer = undefined;
            this.pump();
          }, this.bucket.waitMs());
        }
        return;
      }
      const key = this.queue.shift()!;
      this.queued.delete(key);
      this.processing.add(key);
      void this.run(key);
    }
    this.notifyIdle();
  }

  private async run(key: string): Promise<void> {
    try {
      const result = await this.handler(key);
      this.failures.delete(key);
      if (result && result.requeueAfterMs >= 0) this.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      const attempt = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, attempt);
      const backoff = typeof this.options.backoff === 'function' ? this.options.backoff() : this.options.backoff;
      const delay = incrementalBackoffMs(backoff, attempt);
      this.options.onError?.(key, error, attempt, delay);
      this.addAfter(key, delay);
    } finally {
      this.processing.delete(key);
      if (this.dirty.delete(key)) this.add(key);
      this.pump();
    }
  }

  private notifyIdle(): void {
    if (this.processing.size > 0 || this.queue.length > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
