import { HttpMethod, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { fetch, type Dispatcher } from 'undici';
import { KubeApiError, KubeConnectionError, type ObjectRef } from './errors.ts';
import { RequestRateLimiter } from './rate-limiter.ts';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** Defaults to the transport's timeout; 0 disables it (watches). */
  timeoutMs?: number;
  signal?: AbortSignal;
  ref?: ObjectRef;
}

export interface KubeResponse<T> {
  status: number;
  body: T;
  /** The apiserver's `Warning` headers (deprecations, unknown CRD formats, …), their text only. */
  warnings: string[];
}

/** `299 - "text"` warn-agents (RFC 7234 §5.5), as the apiserver sends them, possibly folded into one header. */
export function parseWarnings(header: string | null): string[] {
  if (!header) return [];
  return [...header.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
}

const METHODS: Record<string, HttpMethod> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PUT: HttpMethod.PUT,
  PATCH: HttpMethod.PATCH,
  DELETE: HttpMethod.DELETE,
};

/**
 * Authenticated HTTP to the apiserver, with bodies sent as the caller wrote them.
 * client-node's typed APIs run objects through its ObjectSerializer, which drops fields
 * its models do not know and renames x-kubernetes-* keys of CRD schemas; going through
 * its authentication (certs, tokens, exec plugins, proxies) but not its serializer keeps
 * server-side apply exact. Every request has a timeout: client-node sets none.
 */
export class KubeTransport {
  readonly kubeConfig: KubeConfig;
  readonly server: string;
  private readonly timeoutMs: number;
  /** Every request (watches and discovery too, as in client-go) waits for a token. */
  readonly rateLimiter: RequestRateLimiter | undefined;
  private shared: { cluster: unknown; user: unknown; dispatcher: Dispatcher } | undefined;

  constructor(kubeConfig: KubeConfig, options: { timeoutMs?: number; rateLimit?: { qps: number; burst: number } } = {}) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    this.kubeConfig = kubeConfig;
    this.server = cluster.server.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.rateLimiter = options.rateLimit ? new RequestRateLimiter(options.rateLimit) : undefined;
  }

  url(path: string, query: RequestOptions['query'] = {}): URL {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    return url;
  }

  /** Sends a request; any status is returned, network failures throw KubeConnectionError. */
  async raw(method: string, path: string, options: RequestOptions = {}): Promise<{ status: number; response: Awaited<ReturnType<typeof fetch>> }> {
    const url = this.url(path, options.query);
    await this.rateLimiter?.wait();
    const ctx = new RequestContext(url.toString(), METHODS[method] ?? HttpMethod.GET);
    await this.kubeConfig.applySecurityAuthentication(ctx);
    const dispatcher = this.dispatcherFor(ctx.getDispatcher() as Dispatcher | undefined);
    const headers: Record<string, string> = { ...ctx.getHeaders(), accept: 'application/json' };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const signals = [options.signal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined].filter((s): s is AbortSignal => s !== undefined);
    try {
      const response = await fetch(url, {
        method,
        headers,
        body,
        dispatcher: dispatcher as never,
        signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
      });
      return { status: response.status, response };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : describeNetworkError(error);
      throw new KubeConnectionError(`${method} ${url.origin}${url.pathname}: ${reason}`, { cause: error });
    }
  }

  /**
   * client-node builds a new undici Agent (a new connection pool) for every request it
   * authenticates: each request would open its own TLS connection and leave a pool behind for
   * the GC, which at thousands of requests is most of the process's memory and CPU. One pool
   * serves every request while the kubeconfig's cluster and user stay the same objects; the
   * per-request Agent, which never connected, is closed. Headers (tokens) are still applied
   * per request.
   */
  private dispatcherFor(fresh: Dispatcher | undefined): Dispatcher | undefined {
    if (!fresh) return undefined;
    const cluster = this.kubeConfig.getCurrentCluster();
    const user = this.kubeConfig.getCurrentUser();
    if (this.shared && this.shared.cluster === cluster && this.shared.user === user) {
      void fresh.close().catch(() => undefined);
      return this.shared.dispatcher;
    }
    // A changed kubeconfig: requests in flight finish on the old pool, which then closes.
    void this.shared?.dispatcher.close().catch(() => undefined);
    this.shared = { cluster, user, dispatcher: fresh };
    return fresh;
  }

  /** A request whose non-2xx answers become KubeApiError. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<KubeResponse<T>> {
    const { status, response } = await this.raw(method, path, options);
    const text = await response.text();
    let body: unknown = text;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        // Some endpoints (/readyz) answer in plain text.
      }
    }
    if (status < 200 || status >= 300) throw new KubeApiError({ method, path, status, body, ref: options.ref });
    return { status, body: body as T, warnings: parseWarnings(response.headers.get('warning')) };
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return "connection refused (is the apiserver running and the kubeconfig's server right?)";
  if (cause?.code) return `${cause.code}: ${cause.message ?? ''}`.trim();
  return error instanceof Error ? error.message : String(error);
}
