import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, BusyError } from '../errors.ts';
import { checkBodyDepth } from './json-limits.ts';
import { requestFields, requestIdOf } from './request-log.ts';

export interface Request {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body(): Promise<unknown>;
  signal: AbortSignal;
}

/** `headers`: a list sends the header once per value (several Set-Cookie). */
export type Reply = { status: number; json?: unknown; text?: string; type?: string; headers?: Record<string, string | string[]> };
export type Handler = (req: Request) => Promise<Reply>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/** Where refused and failed requests are told: warn for 401/403, error for every 5xx. */
export interface RouterLog {
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface HandleOptions {
  limitBytes?: number;
  /** Set by the server so its own log lines and this one agree; else read from the request. */
  requestId?: string;
}

/** `/agent/v1/desired-state`, `/install/:token` style routes; the first match wins. */
export class Router {
  private readonly routes: Route[] = [];
  private readonly log: RouterLog | undefined;

  constructor(log?: RouterLog) {
    this.log = log;
  }

  on(method: string, path: string, handler: Handler): this {
    const names: string[] = [];
    const pattern = new RegExp(`^${path.replace(/:(\w+)/g, (_m, name: string) => (names.push(name), '([^/]+)'))}$`);
    this.routes.push({ method, pattern, names, handler });
    return this;
  }

  async handle(req: IncomingMessage, res: ServerResponse, options: HandleOptions = {}): Promise<void> {
    const requestId = options.requestId ?? requestIdOf(req);
    const aborted = new AbortController();
    res.once('close', () => aborted.abort());
    let reply: Reply;
    try {
      reply = await this.dispatch(req, aborted.signal, options.limitBytes ?? 1_048_576);
    } catch (error) {
      reply = this.errorReply(error, req, requestId);
    }
    writeReply(res, reply, requestId);
  }

  private async dispatch(req: IncomingMessage, signal: AbortSignal, limitBytes: number): Promise<Reply> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const matching = this.routes.filter((r) => r.pattern.test(url.pathname));
    const route = matching.find((r) => r.method === req.method);
    if (!route)
      throw matching.length > 0
        ? new ApiError(
            405,
            'MethodNotAllowed',
            `${req.method} is not allowed on ${url.pathname}; use ${[...new Set(matching.map((r) => r.method))].join(', ')}`,
          )
        : new ApiError(404, 'NotFound', `no such path: ${url.pathname}`);
    const match = route.pattern.exec(url.pathname)!;
    const params = Object.fromEntries(route.names.map((n, i) => [n, decodePathSegment(n, match[i + 1]!)]));
    return route.handler({
      method: req.method ?? 'GET',
      path: url.pathname,
      params,
      query: url.searchParams,
      headers: req.headers,
      body: () => readJson(req, limitBytes),
      signal,
    });
  }

  /**
   * A client's mistake is answered as it is; anything else is a 500 that tells the client only
   * the request id (the message may name internals), while the log gets the whole story.
   */
  private errorReply(error: unknown, req: IncomingMessage, requestId: string): Reply {
    if (error instanceof BusyError) return busyReply(error);
    if (error instanceof ApiError) {
      if (error.status === 401 || error.status === 403)
        this.log?.warn('request refused', { ...requestFields(req, requestId), status: error.status, reason: error.message });
      else if (error.status >= 500) this.log?.error('request failed', { ...requestFields(req, requestId), status: error.status, error: error.message });
      return { status: error.status, json: { error: error.code, message: error.message, ...(error.problems ? { problems: error.problems } : {}) } };
    }
    this.log?.error('request failed', {
      ...requestFields(req, requestId),
      status: 500,
      error: error instanceof Error ? error.message : String(error),
      ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
    });
    return { status: 500, json: { error: 'Internal', message: 'internal error', requestId } };
  }
}

/** A request refused because the database's line is full: 503, and when to try again. */
export const busyReply = (error: BusyError): Reply => ({
  status: 503,
  json: { error: error.code, message: error.message },
  headers: { 'retry-after': String(error.retryAfterSeconds) },
});

/** The API's answer on `res` (nothing once the client left). */
export function writeReply(res: ServerResponse, reply: Reply, requestId: string): void {
  if (res.destroyed) return;
  // API answers are per caller and never to be sniffed into something else.
  const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'x-request-id': requestId, ...reply.headers };
  if (reply.json !== undefined) res.writeHead(reply.status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(reply.json));
  else
    res.writeHead(reply.status, reply.text !== undefined ? { ...headers, 'content-type': reply.type ?? 'text/plain; charset=utf-8' } : headers).end(reply.text);
}

/** `%E0%A4%A` is not a path a client meant: a 400 naming the parameter, not decodeURIComponent's URIError. */
function decodePathSegment(name: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ApiError(400, 'InvalidPath', `${name}: the path segment ${JSON.stringify(raw.slice(0, 80))} is not valid percent-encoding (UTF-8)`, [
      { path: [name], code: 'encoding', message: 'not valid percent-encoding' },
    ]);
  }
}

/** A body is JSON, said so by its content type; `text/plain` is not parsed as JSON on a guess. */
function checkJsonContentType(req: IncomingMessage): void {
  const type = req.headers['content-type'];
  const media = (type ?? '').split(';')[0]!.trim().toLowerCase();
  if (media !== 'application/json')
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `content-type: the body must be application/json, got ${type ? JSON.stringify(type.slice(0, 100)) : 'none'}`,
    );
}

async function readJson(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new ApiError(413, 'TooLarge', `the request body is larger than ${limitBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  checkJsonContentType(req);
  checkBodyDepth(text);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, 'InvalidJson', `the request body is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
