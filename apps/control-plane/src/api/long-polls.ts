import { EventEmitter, once } from 'node:events';
import { isTokensNotice, type FeedNotice, type RevisionFeed } from '../db/revision-feed.ts';

/**
 * One long-poll's watch on its region, opened before its first look at the revision: a notice
 * that arrives between a look and the wait is kept, so the wait ends at once instead of missing it.
 */
export interface Watch {
  /** Waits up to `ms` for a notice of the region (at once if one came since the last wait), or until the request ends; true when a notice ended it. */
  wait(ms: number, signal: AbortSignal): Promise<boolean>;
  close(): void;
}

class RegionWatch implements Watch {
  private woken = false;
  private wake: (() => void) | undefined;
  private readonly polls: LongPolls;
  readonly regionId: string;
  constructor(polls: LongPolls, regionId: string) {
    this.polls = polls;
    this.regionId = regionId;
  }

  notify(): void {
    this.woken = true;
    this.wake?.();
  }

  async wait(ms: number, signal: AbortSignal): Promise<boolean> {
    if (!this.woken && !signal.aborted) {
      const done = this.polls.parking(this.regionId);
      try {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(end, ms);
          signal.addEventListener('abort', end, { once: true });
          this.wake = end;
          function end() {
            clearTimeout(timer);
            signal.removeEventListener('abort', end);
            resolve();
          }
        });
      } finally {
        this.wake = undefined;
        done();
      }
    }
    const woken = this.woken;
    this.woken = false;
    return woken;
  }

  close(): void {
    this.polls.forget(this);
  }
}

/**
 * The agents' long-polls waiting for their region's revision to move: woken by the database's
 * notices (LISTEN/NOTIFY on PostgreSQL, in-process on SQLite), not by looking again and again.
 * Counted per region, and announced: a test waits until a long-poll is parked instead of sleeping.
 */
export class LongPolls {
  private readonly counts = new Map<string, number>();
  private readonly watches = new Map<string, Set<RegionWatch>>();
  private readonly events = new EventEmitter().setMaxListeners(0);

  /** Woken by `feed`'s notices (they stop when the database closes); without one, only by `notify`. */
  constructor(feed?: RevisionFeed) {
    feed?.subscribe((notice) => this.notify(notice));
  }

  /** A notice wakes the region's long-polls; 'all' (notices may have been missed) wakes every one. */
  notify(notice: FeedNotice): void {
    if (isTokensNotice(notice)) return;
    const woken = notice === 'all' ? [...this.watches.values()].flatMap((set) => [...set]) : [...(this.watches.get(notice.regionId) ?? [])];
    for (const watch of woken) watch.notify();
  }

  /** Opens a long-poll's watch on the region; close it when the long-poll answers. */
  watch(regionId: string): Watch {
    const watch = new RegionWatch(this, regionId);
    const set = this.watches.get(regionId) ?? new Set();
    this.watches.set(regionId, set.add(watch));
    return watch;
  }

  /** @internal */
  forget(watch: RegionWatch): void {
    const set = this.watches.get(watch.regionId);
    set?.delete(watch);
    if (set?.size === 0) this.watches.delete(watch.regionId);
  }

  /** @internal A watch of the region starts waiting; call the answer when it stops. */
  parking(regionId: string): () => void {
    this.counts.set(regionId, this.waiting(regionId) + 1);
    this.events.emit(`parked:${regionId}`);
    return () => {
      const left = this.waiting(regionId) - 1;
      if (left > 0) this.counts.set(regionId, left);
      else this.counts.delete(regionId);
    };
  }

  /** Long-polls of every region parked now. */
  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  /** Long-polls of the region parked now. */
  waiting(regionId: string): number {
    return this.counts.get(regionId) ?? 0;
  }

  /** Resolves once a long-poll of the region is parked (at once if one is). */
  async parked(regionId: string): Promise<void> {
    if (this.waiting(regionId) > 0) return;
    await this.nextPark(regionId);
  }

  /** Resolves when a long-poll of the region next parks (not at once): after it was woken and looked again. */
  async nextPark(regionId: string): Promise<void> {
    await once(this.events, `parked:${regionId}`);
  }

  /** Parks a long-poll of the region for `ms`, until a notice of the region, or until the request ends. */
  async park(regionId: string, ms: number, signal: AbortSignal): Promise<void> {
    const watch = this.watch(regionId);
    try {
      await watch.wait(ms, signal);
    } finally {
      watch.close();
    }
  }
}
