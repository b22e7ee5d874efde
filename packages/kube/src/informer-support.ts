import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';
import type { KubeObject } from './objects.ts';

// The informer's options and the timers that watch over it (./informer.ts).

export interface InformerOptions {
  apiVersion: string;
  kind: string;
  /** Watch one namespace; all namespaces when absent. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Re-deliver every cached object as an update this often (a safety net); 0 turns it off. Default 10 min. */
  resyncMs?: number;
  /** Restart the watch when it has been silent this long (bookmarks count). Default 3 min. */
  stallMs?: number;
  /** Server-side watch timeout; the watch is then renewed from the last version. Default 5 min. */
  watchTimeoutSeconds?: number;
  /** How long a write recorded by wrote() may wait for its own watch event before the watch's versions count again (./write-through.ts). Default 2 min. */
  writeThroughMs?: number;
  /**
   * This informer's objects will be written through (wrote()): remember the versions the watch
   * delivers from the start, so that even the first write answered late is found older. Default false.
   */
  writeThrough?: boolean;
  clock?: Clock;
  logger?: Logger;
}

export type InformerHandlers<T> = { add?: (object: T) => void; update?: (object: T, old: T) => void; delete?: (object: T) => void };

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T & { code?: number; message?: string; reason?: string };
}

/** Calls onStall once the watch has been silent (lastActivity) for stallMs. */
export function startWatchdog(clock: Clock, stallMs: number, lastActivity: () => number, onStall: () => void): { cancel(): void } {
  let timer: { cancel(): void } | undefined;
  const check = () => {
    const silentFor = clock.now() - lastActivity();
    if (silentFor >= stallMs) return onStall();
    timer = clock.setTimeout(check, stallMs - silentFor);
  };
  timer = clock.setTimeout(check, stallMs);
  return { cancel: () => timer?.cancel() };
}

/** Calls tick every resyncMs until stopped. */
export function startResync(clock: Clock, resyncMs: number, stop: AbortSignal, tick: () => void): { cancel(): void } {
  let timer: { cancel(): void } | undefined;
  const next = () => {
    if (stop.aborted) return;
    tick();
    timer = clock.setTimeout(next, resyncMs);
  };
  timer = clock.setTimeout(next, resyncMs);
  return { cancel: () => timer?.cancel() };
}

/** `object`'s metadata.generation (a documented integer, unlike resourceVersion) is lower than `other`'s. */
export function olderGeneration(object: KubeObject, other: KubeObject): boolean {
  const [mine, theirs] = [object.metadata.generation, other.metadata.generation];
  return typeof mine === 'number' && typeof theirs === 'number' && mine < theirs;
}
