import { systemClock, type Clock } from './clock.ts';

/** A token bucket: `ratePerSecond` tokens a second, at most `burst` saved up. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly rate: number;
  private readonly burst: number;
  private readonly clock: Clock;

  constructor(options: { ratePerSecond: number; burst: number; clock?: Clock }) {
    if (options.ratePerSecond <= 0 || options.burst < 1) throw new Error('a token bucket needs ratePerSecond > 0 and burst >= 1');
    this.rate = options.ratePerSecond;
    this.burst = options.burst;
    this.clock = options.clock ?? systemClock;
    this.tokens = options.burst;
    this.last = this.clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }

  /** Takes a token if one is there. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until a token will be there (0 when one is). */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.rate) * 1000);
  }
}

interface Waiter {
  resolve: (waitedMs: number) => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
  since: number;
}

/**
 * Client-side request throttling, like client-go's QPS/Burst: every request waits for a token,
 * in arrival order, and never fails for want of one; a request whose signal aborts while it
 * waits leaves the line at once (its caller gave up: a token spent on it would be wasted). One
 * timer at a time, whatever the queue.
 */
export class RequestRateLimiter {
  private readonly bucket: TokenBucket;
  private readonly clock: Clock;
  private readonly line: Waiter[] = [];
  private timer: { cancel(): void } | undefined;

  constructor(options: { qps: number; burst: number; clock?: Clock }) {
    this.clock = options.clock ?? systemClock;
    this.bucket = new TokenBucket({ ratePerSecond: options.qps, burst: options.burst, clock: this.clock });
  }

  /** Requests waiting for a token now, for metrics and tests. */
  get waiting(): number {
    return this.line.length;
  }

  /** Resolves with the milliseconds waited when this request may go; rejects with the signal's reason if it aborts first. */
  wait(signal?: AbortSignal): Promise<number> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.line.length === 0 && this.bucket.tryTake()) return Promise.resolve(0);
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, since: this.clock.now() };
      if (signal) {
        waiter.onAbort = () => {
          const at = this.line.indexOf(waiter);
          if (at >= 0) this.line.splice(at, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.line.push(waiter);
      this.schedule();
    });
  }

  /** Lets through the head of the line while there are tokens, then sleeps until the next one. */
  private pump(): void {
    this.timer = undefined;
    while (this.line.length > 0 && this.bucket.tryTake()) {
      const waiter = this.line.shift()!;
      if (waiter.onAbort) waiter.signal!.removeEventListener('abort', waiter.onAbort);
      waiter.resolve(this.clock.now() - waiter.since);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.line.length === 0) return;
    const ms = this.bucket.waitMs();
    // A ref'd timer with the system clock (its timers are unref'd): a waiting request keeps the process alive.
    if (this.clock === systemClock) {
      const handle = setTimeout(() => this.pump(), ms);
      this.timer = { cancel: () => clearTimeout(handle) };
    } else {
      this.timer = this.clock.setTimeout(() => this.pump(), ms);
    }
  }
}
