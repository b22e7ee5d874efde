import { Agent, fetch, type Dispatcher } from 'undici';
import { KubeApiError, KubeConnectionError, type ObjectRef } from './errors.ts';
import type { KubeConfig } from './kubeconfig.ts';
import { pluginCredentials } from './plugin-auth.ts';
import { RequestRateLimiter } from './rate-limiter.ts';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** Defaults to the transport's timeout; 0 disables it (watches). */
  timeoutMs?: number;
  signal?: AbortSignal;
  ref?: ObjectRef;
  /** Told how long the request waited for the client-side rate limiter (ms), before it is sent. */
  onThrottled?: (waitedMs: number) => void;
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

/**
 * Authenticated HTTP to the apiserver, with bodies sent as the caller wrote them (client-node's
 * typed APIs drop fields their models do not know and rename x-kubernetes-* keys of CRD
 * schemas; server-side apply must be exact). Every request has a timeout.
 */
export class KubeTransport {
  readonly kubeConfig: KubeConfig;
  readonly server: string;
  private readonly timeoutMs: number;
  /** Every request (watches and discovery too, as in client-go) waits for a token. */
  readonly rateLimiter: RequestRateLimiter | undefined;
  /** The connection pool, and the digest of the TLS material it was made with. */
  private shared: { digest: string; dispatcher: Dispatcher } | undefined;

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

  /**
   * Sends a request; any status is returned, network failures throw KubeConnectionError. The
   * timeout (an AbortSignal.timeout) also covers reading the body, which the caller does; its
   * timer stays armed, holding the signals, until it fires, whether the exchange ended or not.
   * `deadline` replaces it (request(), which disarms its own once the body is read).
   */
  async raw(
    method: string,
    path: string,
    options: RequestOptions = {},
    deadline?: Deadline,
  ): Promise<{ status: number; response: Awaited<ReturnType<typeof fetch>> }> {
    const url = this.url(path, options.query);
    // The caller's signal also ends the wait for a token: an aborted pass does not hold a place in line.
    if (this.rateLimiter) options.onThrottled?.(await this.rateLimiter.wait(options.signal));
    const auth = this.kubeConfig.needsPlugin() ? await pluginCredentials(this.kubeConfig, url, method) : undefined;
    const { headers: authHeaders, dispatcher } = auth ?? this.pooled();
    const headers: Record<string, string> = { ...authHeaders, accept: 'application/json' };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    const timeoutMs = deadline?.ms ?? options.timeoutMs ?? this.timeoutMs;
    const timeout = deadline ? deadline.signal : timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
    const signals = [options.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
    try {
      const response = await fetch(url, {
        method,
        headers,
        body,
        dispatcher: dispatcher as never,
        signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
      });
      // A plugin's one-request dispatcher closes once this request is done (close() waits for it).
      if (auth) void auth.dispatcher?.close().catch(() => undefined);
      return { status: response.status, response };
    } catch (error) {
      if (auth) void auth.dispatcher?.close().catch(() => undefined);
      if (options.signal?.aborted) throw error;
      const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : describeNetworkError(error);
      throw new KubeConnectionError(`${method} ${url.origin}${url.pathname}: ${reason}`, { cause: error });
    }
  }

  /**
   * One connection pool for every request while the TLS material stays the same; a rotated
   * CA or client certificate (files re-read once a minute) gets a new pool, and requests in
   * flight finish on the old one, which then closes. Headers (a rotating token) are read per request.
   */
  private pooled(): { headers: Record<string, string>; dispatcher: Dispatcher } {
    const { headers, tls, tlsDigest } = this.kubeConfig.credentials();
    if (this.shared?.digest !== tlsDigest) {
      void this.shared?.dispatcher.close().catch(() => undefined);
      this.shared = { digest: tlsDigest, dispatcher: new Agent({ connect: tls }) };
    }
    return { headers, dispatcher: this.shared.dispatcher };
  }

  /** A request whose non-2xx answers become KubeApiError. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<KubeResponse<T>> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const deadline = timeoutMs > 0 ? armDeadline(timeoutMs) : undefined;
    let status: number;
    let text: string;
    let warning: string | null;
    try {
      const sent = await this.raw(method, path, options, deadline);
      ({ status } = sent);
      text = await sent.response.text();
      warning = sent.response.headers.get('warning');
    } finally {
      deadline?.disarm();
    }
    let body: unknown = text;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        // Some endpoints (/readyz) answer in plain text.
      }
    }
    if (status < 200 || status >= 300) throw new KubeApiError({ method, path, status, body, ref: options.ref });
    return { status, body: body as T, warnings: parseWarnings(warning) };
  }
}

/** A request's timeout, disarmed when it is done. */
export interface Deadline {
  ms: number;
  signal: AbortSignal;
  disarm(): void;
}

/**
 * A timeout whose timer goes when the request is done: an AbortSignal.timeout's stays for
 * its whole length, and at a few hundred requests a second, thousands of timers, signals and
 * the weak references AbortSignal.any adds to the caller's signal were held at once.
 */
function armDeadline(ms: number): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms);
  timer.unref();
  return { ms, signal: controller.signal, disarm: () => clearTimeout(timer) };
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return "connection refused (is the apiserver running and the kubeconfig's server right?)";
  if (cause?.code) return `${cause.code}: ${cause.message ?? ''}`.trim();
  return error instanceof Error ? error.message : String(error);
}
