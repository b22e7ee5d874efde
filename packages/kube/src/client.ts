import { Discovery, resourcePath, type ResourceInfo } from './discovery.ts';
import { KubeApiError } from './errors.ts';
import type { KubeList, KubeObject, ResourceRef } from './objects.ts';
import type { KubeConfig } from './kubeconfig.ts';
import { KubeTransport, type RequestOptions } from './transport.ts';

export interface KubeClientOptions {
  /** The field manager of apply calls that name none. */
  fieldManager: string;
  /** Per-request timeout; default 30 s. */
  requestTimeoutMs?: number;
  /**
   * Client-side throttling of every request to the apiserver, as client-go's QPS/Burst:
   * `qps` requests a second, bursts of `burst`; a request waits for its turn, never fails.
   * None when absent.
   */
  rateLimit?: { qps: number; burst: number };
  /**
   * Observes every request (metrics): verb, resource kind, status code, how long the apiserver
   * took (durationMs, without the wait for the rate limiter) and how long it waited for the
   * rate limiter (throttledMs): a slow apiserver and a client throttling itself look different.
   */
  onRequest?: (event: { verb: string; kind: string; status: number; durationMs: number; throttledMs: number }) => void;
}

export interface ApplyOptions {
  fieldManager?: string;
  /** Take over fields another manager owns. Default true: a controller owns what it applies. */
  force?: boolean;
  dryRun?: boolean;
  signal?: AbortSignal;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  signal?: AbortSignal;
}

export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  /** Only delete this exact version of the object. */
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
  signal?: AbortSignal;
}

/** The few calls a controller needs, each done once: apply, applyStatus, get, list, patch, delete. */
export class KubeClient {
  readonly transport: KubeTransport;
  readonly discovery: Discovery;
  private readonly options: KubeClientOptions;

  constructor(kubeConfig: KubeConfig, options: KubeClientOptions) {
    if (!options.fieldManager) throw new Error('a fieldManager is required: server-side apply needs a stable owner name');
    this.transport = new KubeTransport(kubeConfig, { timeoutMs: options.requestTimeoutMs, rateLimit: options.rateLimit });
    this.discovery = new Discovery(this.transport);
    this.options = options;
  }

  get fieldManager(): string {
    return this.options.fieldManager;
  }

  resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    return this.discovery.resource(apiVersion, kind);
  }

  /** Server-side apply of any object; the body goes on the wire exactly as given. */
  async apply<T extends KubeObject>(object: T, options: ApplyOptions = {}): Promise<T> {
    return this.applyTo(object, undefined, options.fieldManager ?? this.options.fieldManager, options);
  }

  /** Server-side apply to the status subresource, under its own field manager. */
  async applyStatus<T extends KubeObject>(object: T, options: ApplyOptions & { fieldManager: string }): Promise<T> {
    return this.applyTo(object, 'status', options.fieldManager, options);
  }

  private async applyTo<T extends KubeObject>(object: T, subresource: string | undefined, fieldManager: string, options: ApplyOptions): Promise<T> {
    const { apiVersion, kind, metadata } = object;
    if (!metadata?.name) throw new Error(`cannot apply a ${kind} without metadata.name`);
    const info = await this.resource(apiVersion, kind);
    const path = resourcePath(info, metadata.namespace, metadata.name, subresource);
    const query = { fieldManager, force: options.force ?? true, dryRun: options.dryRun ? 'All' : undefined };
    return this.call<T>('PATCH', path, kind, {
      query,
      body: object,
      contentType: 'application/apply-patch+yaml',
      signal: options.signal,
      ref: { apiVersion, kind, name: metadata.name, namespace: metadata.namespace },
    });
  }

  /** The object, or undefined when it does not exist. */
  async get<T extends KubeObject = KubeObject>(ref: ResourceRef & { name: string }, options: { signal?: AbortSignal } = {}): Promise<T | undefined> {
    const info = await this.resource(ref.apiVersion, ref.kind);
    try {
      return await this.call<T>('GET', resourcePath(info, ref.namespace, ref.name), ref.kind, { signal: options.signal, ref });
    } catch (error) {
      if (error instanceof KubeApiError && error.isNotFound) return undefined;
      throw error;
    }
  }

  /**
   * Every page of the collection. `map`, when given, turns each item into what is kept as the
   * page arrives, so a large list is never held whole in its wire form (informers' transforms).
   * `each`, when given, is handed every item as its page arrives and nothing is kept: the
   * list returned has no items (an informer fills its store page by page).
   */
  async list<T extends KubeObject = KubeObject>(
    ref: Pick<ResourceRef, 'apiVersion' | 'kind'>,
    options: ListOptions & { map?: (item: T) => T; each?: (item: T) => void } = {},
  ): Promise<KubeList<T>> {
    const info = await this.resource(ref.apiVersion, ref.kind);
    const items: T[] = [];
    let continueToken: string | undefined;
    let last: KubeList<T>;
    // Paged, so a large namespace does not arrive as one huge response.
    do {
      last = await this.call<KubeList<T>>('GET', resourcePath(info, options.namespace), ref.kind, {
        query: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, limit: 500, continue: continueToken },
        signal: options.signal,
        ref: { ...ref, namespace: options.namespace },
      });
      for (const item of last.items) {
        const kept = options.map ? options.map(item) : item;
        if (options.each) options.each(kept);
        else items.push(kept);
      }
      last.items = [];
      continueToken = last.metadata.continue || undefined;
    } while (continueToken);
    return { ...last, items };
  }

  /** JSON merge patch (or JSON patch with `contentType`) of one object. */
  async patch<T extends KubeObject = KubeObject>(
    ref: ResourceRef & { name: string },
    patch: unknown,
    options: { contentType?: 'application/merge-patch+json' | 'application/json-patch+json'; subresource?: string; signal?: AbortSignal } = {},
  ): Promise<T> {
    const info = await this.resource(ref.apiVersion, ref.kind);
    return this.call<T>('PATCH', resourcePath(info, ref.namespace, ref.name, options.subresource), ref.kind, {
      body: patch,
      contentType: options.contentType ?? 'application/merge-patch+json',
      query: { fieldManager: this.options.fieldManager },
      signal: options.signal,
      ref,
    });
  }

  /** true when this call deleted it (or started to), false when it did not exist. */
  async delete(ref: ResourceRef & { name: string }, options: DeleteOptions = {}): Promise<boolean> {
    const info = await this.resource(ref.apiVersion, ref.kind);
    const body: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions' };
    if (options.propagationPolicy) body.propagationPolicy = options.propagationPolicy;
    if (options.preconditions) body.preconditions = options.preconditions;
    if (options.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = options.gracePeriodSeconds;
    try {
      await this.call('DELETE', resourcePath(info, ref.namespace, ref.name), ref.kind, { body, signal: options.signal, ref });
      return true;
    } catch (error) {
      if (error instanceof KubeApiError && error.isNotFound) return false;
      throw error;
    }
  }

  /** POST a new object; fails with 409 when it exists. */
  async create<T extends KubeObject>(object: T, options: { signal?: AbortSignal } = {}): Promise<T> {
    const info = await this.resource(object.apiVersion, object.kind);
    return this.call<T>('POST', resourcePath(info, object.metadata.namespace), object.kind, {
      body: object,
      query: { fieldManager: this.options.fieldManager },
      signal: options.signal,
      ref: { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace },
    });
  }

  /** PUT (replace) with optimistic concurrency on metadata.resourceVersion. */
  async replace<T extends KubeObject>(object: T, options: { subresource?: string; signal?: AbortSignal } = {}): Promise<T> {
    const info = await this.resource(object.apiVersion, object.kind);
    return this.call<T>('PUT', resourcePath(info, object.metadata.namespace, object.metadata.name, options.subresource), object.kind, {
      body: object,
      query: { fieldManager: this.options.fieldManager },
      signal: options.signal,
      ref: { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace },
    });
  }

  private async call<T>(verb: string, path: string, kind: string, options: RequestOptions): Promise<T> {
    const started = performance.now();
    let status = 0;
    let throttledMs = 0;
    try {
      const response = await this.transport.request<T>(verb, path, { ...options, onThrottled: (ms) => (throttledMs = ms) });
      status = response.status;
      return response.body;
    } catch (error) {
      status = error instanceof KubeApiError ? error.status : 0;
      throw error;
    } finally {
      this.options.onRequest?.({ verb, kind, status, durationMs: performance.now() - started - throttledMs, throttledMs });
    }
  }
}

export function createKubeClient(kubeConfig: KubeConfig, options: KubeClientOptions): KubeClient {
  return new KubeClient(kubeConfig, options);
}
