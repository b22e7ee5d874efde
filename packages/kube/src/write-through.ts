import type { Clock } from './clock.ts';

// An informer's own writes, ahead of its watch (client-go's mutation cache): a controller that
// writes an object and reads it back from the cache on its next pass must not find the version
// before its write there, or it computes against a stale status (a redundant write, a repeated
// event). Unlike client-go this never orders resourceVersions: they are opaque strings. What
// it relies on instead is the watch's order: once our write's own version comes through, every
// event before it was older than the write, and every event after it is newer.

/** A write whose own watch event has not come yet. */
interface Pending<T> {
  /** The resourceVersion the write was answered with. */
  version: string;
  since: number;
  /** The last version the watch delivered, what the cache goes back to if the write's event never comes. */
  watched: T;
}

/**
 * Versions per key the watch is remembered to have delivered: a write answered after its own
 * event (and maybe another's) came through the watch is already in, or behind, the cache.
 */
const RECENT = 8;

/**
 * Which watch events the cache takes while a write is pending: none for that key until the
 * one carrying the write's version (the watch is ordered: anything before it is older), a
 * delete always, and a relist clears every mark (the list is newer than anything). A relist
 * keeps the versions seen: a write answered after it may be older than what it listed.
 *
 * A mark whose event never comes (the write's event delivered, and pushed out of `RECENT` or
 * come before tracking began, before the answer was read; or a watch that lags more
 * than `boundMs`) must not hide others' changes
 * for good: after `boundMs`, `onExpired` gets the last version the watch delivered (newer than
 * the write in the first case, and in the second the lagging watch's event will still come).
 */
export class OwnWrites<T> {
  private readonly pending = new Map<string, Pending<T>>();
  private readonly recent = new Map<string, string[]>();
  private timer: { cancel(): void } | undefined;
  /**
   * Versions are remembered once the informer is written through at all (most never are: pods,
   * …), or from the start for an informer that says it will be (`writeThrough`).
   */
  private tracking: boolean;
  private readonly clock: Clock;
  private readonly boundMs: number;
  private readonly onExpired: (key: string, watched: T) => void;

  /** `writeThroughMs` is the bound; `writeThrough` turns tracking on from the start. */
  constructor(options: { clock: Clock; writeThroughMs: number; writeThrough: boolean }, onExpired: (key: string, watched: T) => void) {
    this.clock = options.clock;
    this.boundMs = options.writeThroughMs;
    this.onExpired = onExpired;
    this.tracking = options.writeThrough;
  }

  /** Our write of `key` was answered with `version`; false when the watch delivered it already (the cache has it or newer). */
  wrote(key: string, version: string, watched: T): boolean {
    this.tracking = true;
    if (this.recent.get(key)?.includes(version)) return false;
    const previous = this.pending.get(key);
    this.pending.set(key, { version, since: this.clock.now(), watched: previous?.watched ?? watched });
    this.schedule();
    return true;
  }

  /**
   * The watch (or a list) delivered `object` at `version`: `hold` when a write of ours is newer
   * (the cache keeps the write), and the version the watch had delivered before, when a write
   * stood in for it in the cache (handlers see the watch's own sequence).
   */
  saw(key: string, version: string | undefined, object: T): { hold: boolean; watched: T | undefined } {
    if (version && this.tracking) {
      const versions = this.recent.get(key) ?? [];
      versions.push(version);
      if (versions.length > RECENT) versions.shift();
      this.recent.set(key, versions);
    }
    const pending = this.pending.get(key);
    if (!pending) return { hold: false, watched: undefined };
    const before = pending.watched;
    if (pending.version === version || this.expired(pending)) {
      this.pending.delete(key);
      return { hold: false, watched: before };
    }
    pending.watched = object;
    return { hold: true, watched: before };
  }

  /** The object is gone: a delete applies whatever was pending. */
  forget(key: string): void {
    this.pending.delete(key);
    this.recent.delete(key);
  }

  /**
   * A relist: what it lists is newer than any write answered before it. The versions seen are
   * kept (bounded per key, dropped with the key): a write answered after the relist that the
   * watch had delivered before it must still be found older than the cache.
   */
  reset(): void {
    this.pending.clear();
  }

  isPending(key: string): boolean {
    return this.pending.has(key);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private expired(pending: Pending<T>): boolean {
    return this.clock.now() - pending.since >= this.boundMs;
  }

  private schedule(): void {
    if (this.timer) return;
    let oldest = Infinity;
    for (const pending of this.pending.values()) oldest = Math.min(oldest, pending.since);
    if (oldest === Infinity) return;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.sweep();
      },
      Math.max(0, oldest + this.boundMs - this.clock.now()),
    );
  }

  private sweep(): void {
    for (const [key, pending] of this.pending) {
      if (!this.expired(pending)) continue;
      this.pending.delete(key);
      this.onExpired(key, pending.watched);
    }
    this.schedule();
  }
}
