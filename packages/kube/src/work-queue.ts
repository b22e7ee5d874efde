import type { BackOffSettings } from '@qhc/schemas';
import { incrementalBackoffMs } from './backoff.ts';
import { systemClock, type Clock } from './clock.ts';
import { PRIORITY, PriorityFifo } from './priority-fifo.ts';
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
 *
 * Keys carry a priority (PRIORITY), as in controller-runtime's priority queue: at a start or a
 * resync every object is queued at once, and a change arriving then (a pod turned ready) would
 * otherwise wait behind all of them. A run's retry and requeue keep the priority it ran at.
 */
export class WorkQueue {
  private readonly handler: (key: string) => Promise<ReconcileResult>;
  private readonly options: Required<Omit<WorkQueueOptions, 'onError'>> & Pick<WorkQueueOptions, 'onError'>;
  private readonly bucket: TokenBucket;
  private readonly queue = new PriorityFifo();
  private readonly processing = new Set<string>();
  /** Keys added during their run, with the highest priority they were added at. */
  private readonly dirty = new Map<string, number>();
  private readonly delayed = new Map<string, { at: number; priority: number; cancel(): void }>();
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
    return this.queue.size;
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

  /** Queues the key now, at `priority` (or the higher one it was already given). */
  add(key: string, priority: number = PRIORITY.normal): void {
    if (this.shuttingDown) return;
    const timer = this.delayed.get(key);
    if (timer) {
      timer.cancel();
      this.delayed.delete(key);
      priority = Math.max(priority, timer.priority);
    }
    if (this.processing.has(key)) {
      this.dirty.set(key, Math.max(priority, this.dirty.get(key) ?? -Infinity));
      return;
    }
    if (this.queue.push(key, priority)) this.pump();
  }

  /** Adds the key after `ms`; an earlier pending schedule for it wins, at the higher of the two priorities. */
  addAfter(key: string, ms: number, priority: number = PRIORITY.normal): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key, priority);
    const at = this.options.clock.now() + ms;
    const existing = this.delayed.get(key);
    if (existing && existing.at <= at) {
      existing.priority = Math.max(existing.priority, priority);
      return;
    }
    existing?.cancel();
    const entry = { at, priority: Math.max(priority, existing?.priority ?? -Infinity), cancel: () => timer.cancel() };
    const timer = this.options.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key, entry.priority);
    }, ms);
    this.delayed.set(key, entry);
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
    this.queue.clear();
    this.dirty.clear();
    await this.idle();
  }

  /** Resolves when nothing is queued or running (delayed keys do not count). */
  idle(): Promise<void> {
    if (this.processing.size === 0 && this.queue.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.processing.size < this.options.concurrency && this.queue.size > 0) {
      if (!this.bucket.tryTake()) {
        if (!this.pumpTimer) {
          this.pumpTimer = this.options.clock.setTimeout(() => {
            this.pumpTimer = undefined;
            this.pump();
          }, this.bucket.waitMs());
        }
        return;
      }
      const { key, priority } = this.queue.shift()!;
      this.processing.add(key);
      void this.run(key, priority);
    }
    this.notifyIdle();
  }

  private async run(key: string, priority: number): Promise<void> {
    try {
      const result = await this.handler(key);
      this.failures.delete(key);
      if (result && result.requeueAfterMs >= 0) this.addAfter(key, result.requeueAfterMs, priority);
    } catch (error) {
      const attempt = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, attempt);
      const backoff = typeof this.options.backoff === 'function' ? this.options.backoff() : this.options.backoff;
      const delay = incrementalBackoffMs(backoff, attempt);
      this.options.onError?.(key, error, attempt, delay);
      this.addAfter(key, delay, priority);
    } finally {
      this.processing.delete(key);
      const again = this.dirty.get(key);
      if (again !== undefined) {
        this.dirty.delete(key);
        this.add(key, again);
      }
      this.pump();
    }
  }

  private notifyIdle(): void {
    if (this.processing.size > 0 || this.queue.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
