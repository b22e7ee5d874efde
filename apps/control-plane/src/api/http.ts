import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../errors.ts';
import { checkBodyDepth } from './json-limits.ts';

export interface Request {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body(): Promise<unknown>;
  signal: AbortSignal;
}

export type Reply = { status: number; json?: unknown; text?: string; type?: string; headers?: Record<string, string> };
export type Handler = (req: Request) => Promise<Reply>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/** `/api/v1/regions/:region` style routes; the first match wins. */
export class Router {
  private readonly routes: Route[] = [];

  on(method: string, path: string, handler: Handler): this {
    const names: string[] = [];
    const pattern = new RegExp(`^${path.replace(/:(\w+)/g, (_m, name: string) => (names.push(name), '([^/]+)'))}$`);
    this.routes.push({ method, pattern, names, handler });
    return this;
  }

  async handle(req: IncomingMessage, res: ServerResponse, limitBytes = 1_048_576): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const aborted = new AbortController();
    res.once('close', () => aborted.abort());
    let reply: Reply;
    try {
      const matching = this.routes.filter((r) => r.pattern.test(url.pathname));
      const route = matching.find((r) => r.method === req.method);
      if (!route) throw matching.length > 0 ? new ApiError(405, 'MethodNotAllowed', `${req.method} is not allowed on ${url.pathname}; use ${[...new Set(matching.map((r) => r.method))].join(', ')}`) : new ApiError(404, 'NotFound', `no such path: ${url.pathname}`);
      const match = route.pattern.exec(url.pathname)!;
      const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(match[i + 1]!)]));
      reply = await route.handler({ method: req.method ?? 'GET', path: url.pathname, params, query: url.searchParams, headers: req.headers, body: () => readJson(req, limitBytes), signal: aborted.signal });
    } catch (error) {
      reply = error instanceof ApiError
        ? { status: error.status, json: { error: error.code, message: error.message, ...(error.problems ? { problems: error.problems } : {}) } }
        : { status: 500, json: { error: 'Internal', message: error instanceof Error ? error.message : String(error) } };
    }
    if (res.destroyed) return;
    // API answers are per caller and never to be sniffed into something else.
    const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...reply.headers };
    if (reply.json !== undefined) res.writeHead(reply.status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(reply.json));
    else res.writeHead(reply.status, reply.text !== undefined ? { ...headers, 'content-type': reply.type ?? 'text/plain; charset=utf-8' } : headers).end(reply.text);
  }
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
  checkBodyDepth(text);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, 'InvalidJson', `the request body is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
