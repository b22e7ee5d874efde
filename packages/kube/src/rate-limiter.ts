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

/**
 * Client-side request throttling, like client-go's QPS/Burst: every request waits for a token,
 * in arrival order, and never fails for want of one. One timer at a time, whatever the queue.
 */
export class RequestRateLimiter {
  private readonly bucket: TokenBucket;
  private readonly clock: Clock;
  private tail: Promise<void> = Promise.resolve();
  /** Requests waiting for a token now, for metrics and tests. */
  waiting = 0;

  constructor(options: { qps: number; burst: number; clock?: Clock }) {
    this.clock = options.clock ?? systemClock;
    this.bucket = new TokenBucket({ ratePerSecond: options.qps, burst: options.burst, clock: this.clock });
  }

  /** Resolves when this request may go. */
  wait(): Promise<void> {
    if (this.waiting === 0 && this.bucket.tryTake()) return Promise.resolve();
    this.waiting++;
    const turn = this.tail.then(() => this.takeToken());
    this.tail = turn;
    return turn.finally(() => this.waiting--);
  }

  private async takeToken(): Promise<void> {
    while (!this.bucket.tryTake()) {
      const ms = this.bucket.waitMs();
      // A ref'd timer with the system clock (its timers are unref'd): a waiting request keeps the process alive.
      await new Promise<void>((resolve) => (this.clock === systemClock ? setTimeout(resolve, ms) : this.clock.setTimeout(resolve, ms)));
    }
  }
}
