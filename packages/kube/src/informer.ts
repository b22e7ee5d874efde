import { exponentialBackoffMs } from './backoff.ts';
import type { KubeClient } from './client.ts';
import { sleep, systemClock } from './clock.ts';
import { resourcePath } from './discovery.ts';
import { KubeApiError } from './errors.ts';
import { silentLogger } from './logger.ts';
import { LineSplitter } from './lines.ts';
import { objectKey, type KubeObject } from './objects.ts';
import { IndexedStore, type InformerStoreOptions } from './store.ts';
import { OwnWrites } from './write-through.ts';
import { olderGeneration, startResync, startWatchdog, type InformerHandlers, type InformerOptions, type WatchEvent } from './informer-support.ts';

export type { InformerHandlers, InformerOptions } from './informer-support.ts';

/** The watch ended in a way that needs a fresh list (410 Gone, or an expired version). */
class RelistNeeded extends Error {}

/**
 * list+watch for one resource, supervised: it restarts after ANY failure with capped
 * backoff, relists on 410 Gone, restarts a watch that went silent, and re-delivers the
 * cache periodically. The cache is updated before handlers run; handlers should only
 * enqueue keys (a throwing handler is logged, never stops the informer).
 *
 * Written on the raw watch stream rather than client-node's ListWatch because ListWatch
 * stops for good on any error other than 410 and has no stall detection or resync.
 */
export class Informer<T extends KubeObject = KubeObject> {
  private readonly client: KubeClient;
  private readonly options: Required<Omit<InformerOptions, 'namespace' | 'labelSelector' | 'fieldSelector'>> &
    Pick<InformerOptions, 'namespace' | 'labelSelector' | 'fieldSelector'>;
  private readonly cache: IndexedStore<T>;
  private readonly transform: (object: T) => T;
  private readonly handlers: Array<InformerHandlers<T>> = [];
  private readonly writes: OwnWrites<T>;
  private resourceVersion = '';
  private synced = false;
  private syncWaiters: Array<() => void> = [];
  private stopController: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private lastActivity = 0;
  /** Restarts and relists since start(), for metrics and tests. */
  restarts = 0;
  relists = 0;

  constructor(client: KubeClient, options: InformerOptions & InformerStoreOptions<T>) {
    const { transform, indexers, ...rest } = options;
    this.client = client;
    const defaults = { resyncMs: 10 * 60_000, stallMs: 3 * 60_000, watchTimeoutSeconds: 300, writeThroughMs: 2 * 60_000, writeThrough: false };
    this.options = { ...defaults, clock: systemClock, logger: silentLogger, ...rest };
    this.cache = new IndexedStore<T>(indexers);
    this.transform = transform ?? ((object) => object);
    this.writes = new OwnWrites<T>(this.options, (key, watched) => {
      const written = this.cache.get(key);
      if (!written) return;
      this.cache.set(key, watched);
      this.emit('update', watched, written);
    });
  }

  /**
   * Our own write's answer (a patch, an apply, a status write of a cached object): the cache
   * holds it at once, ahead of the watch, which is then not taken for that object until the
   * write's own event arrives (./write-through.ts). Handlers are not called: the writer knows.
   * An object the cache does not have yet is left to the watch, and so is every write once the
   * informer is stopped (no timer outlives it). An answer of a lower generation than the cache's
   * is older than its spec, whatever the versions: a spec change is never lost.
   */
  wrote(object: T): void {
    const key = objectKey(object);
    const current = this.cache.get(key);
    const version = object.metadata.resourceVersion;
    if (this.stopController?.signal.aborted !== false) return;
    if (!current || !version || current.metadata.resourceVersion === version) return;
    if (olderGeneration(object, current)) return;
    if (this.writes.wrote(key, version, current)) this.cache.set(key, this.transform(structuredClone(object)));
  }

  on(handlers: InformerHandlers<T>): this {
    this.handlers.push(handlers);
    return this;
  }

  hasSynced(): boolean {
    return this.synced;
  }
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  get(key: string): T | undefined {
    return this.cache.get(key);
  }
  list(): T[] {
    return [...this.cache.values()];
  }

  keys(): string[] {
    return [...this.cache.keys()];
  }

  /** The cached objects filed under `key` by the indexer `name` (InformerStoreOptions.indexers); countByIndex, how many. */
  byIndex(name: string, key: string): T[] {
    return this.cache.byIndex(name, key);
  }
  countByIndex(name: string, key: string): number {
    return this.cache.countByIndex(name, key);
  }

  start(): void {
    if (this.loop) return;
    this.stopController = new AbortController();
    this.loop = this.run(this.stopController.signal);
  }

  async stop(): Promise<void> {
    this.stopController?.abort();
    await this.loop;
    this.writes.stop();
    this.loop = undefined;
  }

  private async run(stop: AbortSignal): Promise<void> {
    const log = this.options.logger.with({ kind: this.options.kind, namespace: this.options.namespace });
    let failures = 0;
    const resync = this.options.resyncMs > 0 ? startResync(this.options.clock, this.options.resyncMs, stop, () => this.resync()) : undefined;
    while (!stop.aborted) {
      try {
        if (!this.resourceVersion) await this.relist(stop);
        failures = 0;
        await this.watch(stop);
      } catch (error) {
        if (stop.aborted) break;
        if (error instanceof RelistNeeded || (error instanceof KubeApiError && error.isGone)) {
          log.info('watch expired; relisting', { resourceVersion: this.resourceVersion });
          this.resourceVersion = '';
          continue;
        }
        failures++;
        this.restarts++;
        const delay = exponentialBackoffMs(failures, { baseMs: 250, maxMs: 30_000 });
        log.warn('informer failed; restarting', { error: error instanceof Error ? error.message : String(error), attempt: failures, retryInMs: delay });
        await sleep(delay, this.options.clock, stop);
      }
    }
    resync?.cancel();
  }

  private async collectionPath(): Promise<string> {
    const info = await this.client.resource(this.options.apiVersion, this.options.kind);
    return resourcePath(info, this.options.namespace);
  }

  /**
   * Makes the cache equal to a fresh list, telling handlers what changed meanwhile: filled page
   * by page (each object replacing its old version), never holding a kind twice (the old store
   * and the whole new list); what the list did not have is deleted at the end.
   */
  private async relist(stop: AbortSignal): Promise<void> {
    const seen = new Set<string>();
    this.writes.reset();
    const list = await this.client.list<T>(
      { apiVersion: this.options.apiVersion, kind: this.options.kind },
      {
        namespace: this.options.namespace,
        labelSelector: this.options.labelSelector,
        fieldSelector: this.options.fieldSelector,
        signal: stop,
        // A list's items carry no apiVersion/kind; handlers expect whole objects.
        map: (item) => this.transform(Object.assign(item, { apiVersion: this.options.apiVersion, kind: this.options.kind })),
        each: (object) => this.relisted(object, seen),
      },
    );
    for (const [key, old] of this.cache.entries()) if (!seen.has(key)) this.forget(key, old);
    this.relists++;
    this.resourceVersion = list.metadata.resourceVersion ?? '';
    if (!this.synced) {
      this.synced = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
  }

  private forget(key: string, old: T): void {
    this.writes.forget(key);
    this.cache.delete(key);
    this.emit('delete', old);
  }

  private relisted(object: T, seen: Set<string>): void {
    const key = objectKey(object);
    seen.add(key);
    const { hold, watched } = this.writes.saw(key, object.metadata.resourceVersion, object);
    const old = watched ?? this.cache.get(key);
    if (!hold) this.cache.set(key, object);
    if (!old) this.emit('add', object);
    else if (old.metadata.resourceVersion !== object.metadata.resourceVersion) this.emit('update', object, old);
  }

  private async watch(stop: AbortSignal): Promise<void> {
    const path = await this.collectionPath();
    const abort = new AbortController();
    const onStop = () => abort.abort();
    stop.addEventListener('abort', onStop, { once: true });
    this.lastActivity = this.options.clock.now();
    let stalled = false;
    const watchdog = startWatchdog(
      this.options.clock,
      this.options.stallMs,
      () => this.lastActivity,
      () => {
        stalled = true;
        abort.abort();
      },
    );
    try {
      const { status, response } = await this.client.transport.raw('GET', path, {
        query: {
          watch: 1,
          resourceVersion: this.resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: this.options.watchTimeoutSeconds,
          labelSelector: this.options.labelSelector,
          fieldSelector: this.options.fieldSelector,
        },
        timeoutMs: 0,
        signal: abort.signal,
      });
      if (status === 410) throw new RelistNeeded();
      if (status !== 200) {
        let body: unknown;
        try {
          body = await response.json();
        } catch {
          body = undefined;
        }
        throw new KubeApiError({ method: 'WATCH', path, status, body });
      }
      if (!response.body) throw new Error('the watch response has no body');
      const lines = new LineSplitter();
      const decoder = new TextDecoder();
      for await (const chunk of response.body) {
        this.lastActivity = this.options.clock.now();
        for (const line of lines.push(decoder.decode(chunk as Uint8Array, { stream: true }))) this.handle(JSON.parse(line) as WatchEvent<T>);
      }
    } catch (error) {
      if (stop.aborted) return;
      if (stalled) throw new Error(`the watch was silent for ${this.options.stallMs} ms`, { cause: error });
      throw error;
    } finally {
      watchdog.cancel();
      stop.removeEventListener('abort', onStop);
    }
  }

  private handle(event: WatchEvent<T>): void {
    const { type, object } = event;
    if (type === 'ERROR') {
      if (object.code === 410 || object.reason === 'Expired' || object.reason === 'Gone') throw new RelistNeeded(object.message);
      throw new KubeApiError({ method: 'WATCH', path: this.options.kind, status: object.code ?? 500, body: object });
    }
    if (object.metadata?.resourceVersion) this.resourceVersion = object.metadata.resourceVersion;
    if (type === 'BOOKMARK') return;
    const key = objectKey(object);
    const stored = this.transform(object);
    if (type === 'DELETED') {
      this.writes.forget(key);
      this.cache.delete(key);
      this.emit('delete', stored);
      return;
    }
    // Handlers see the watch as it is, each event against the one before it; the cache skips
    // what is older than a write of ours.
    const { hold, watched } = this.writes.saw(key, object.metadata.resourceVersion, stored);
    const old = watched ?? this.cache.get(key);
    if (!hold) this.cache.set(key, stored);
    if (old) this.emit('update', stored, old);
    else this.emit('add', stored);
  }

  /** Every cached object re-delivered as it is (a safety net for missed events). */
  private resync(): void {
    if (this.synced) for (const object of this.cache.values()) this.emit('update', object, object);
  }

  private emit(type: 'add' | 'update' | 'delete', object: T, old?: T): void {
    for (const handlers of this.handlers) {
      try {
        if (type === 'add') handlers.add?.(object);
        else if (type === 'update') handlers.update?.(object, old ?? object);
        else handlers.delete?.(object);
      } catch (error) {
        this.options.logger.error('informer handler threw', {
          event: type,
          object: objectKey(object),
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
}
