import { EventEmitter, once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The agents' long-polls parked between two looks at their region's revision (the database is
 * the only channel between replicas, so a waiter looks again every poll interval). Counted per
 * region, and announced: a test waits until a long-poll is parked instead of sleeping.
 */
export class LongPolls {
  private readonly counts = new Map<string, number>();
  private readonly events = new EventEmitter();

  /** Long-polls of the region parked now. */
  waiting(regionId: string): number {
    return this.counts.get(regionId) ?? 0;
  }

  /** Resolves once a long-poll of the region is parked (at once if one is). */
  async parked(regionId: string): Promise<void> {
    if (this.waiting(regionId) > 0) return;
    await once(this.events, `parked:${regionId}`);
  }

  /** Parks a long-poll of the region for `ms`, or until the request ends. */
  async park(regionId: string, ms: number, signal: AbortSignal): Promise<void> {
    this.counts.set(regionId, this.waiting(regionId) + 1);
    this.events.emit(`parked:${regionId}`);
    try {
      await sleep(ms, undefined, { signal }).catch(() => undefined);
    } finally {
      const left = this.waiting(regionId) - 1;
      if (left > 0) this.counts.set(regionId, left);
      else this.counts.delete(regionId);
    }
  }
}
