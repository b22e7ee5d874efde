import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type * as Undici from 'undici';
import { collectPages, MAX_PAGE_LIMIT, pageQueryString, type PageOf } from '@qhc/schemas';
import { rememberAnswer } from './answers.ts';
import { CliError, EXIT } from './exit.ts';
import type { Context } from './config.ts';

/**
 * What parses an answer: one of @qhc/schemas' zod schemas (only `safeParse` is used, so this
 * module loads no schema itself: `qhc --help` stays fast).
 */
export interface Parser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } };
}

/**
 * `value` parsed with the contract: an answer this qhc cannot read is an error naming the field,
 * never a cast. The answer as sent stays with the result (answers.ts) for printing and writing back.
 */
export function parseAnswer<T>(schema: Parser<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return rememberAnswer(parsed.data, value);
  const issues = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(answer)'}: ${i.message}`)
    .join('; ');
  throw new CliError(`the control plane's answer to ${what} does not parse: ${issues}`, {
    hint: "the control plane may be of another release: use the qhc of the control plane's release",
  });
}

/** The control plane's HTTP API, with errors that say what to do. */
export class ControlPlane {
  private readonly context: Context & { name: string };
  private dispatcher: unknown;

  constructor(context: Context & { name: string }) {
    this.context = context;
  }

  get url(): string {
    return this.context.url;
  }

  /** The body as text (a script), not JSON. */
  async text(path: string): Promise<string> {
    return this.request<string>('GET', path, undefined, true);
  }

  /**
   * A list, page after page (the API's `nextPageToken`): every item, or the first `max`, each
   * parsed with `schema`. Pages are as large as the API allows, so a long list costs few requests.
   */
  async list<T>(path: string, schema: Parser<T>, max?: number): Promise<T[]> {
    const items = await collectPages((query) => this.request<PageOf<unknown>>('GET', `${path}${pageQueryString(query)}`), {
      ...(max !== undefined ? { max } : {}),
      pageSize: MAX_PAGE_LIMIT,
    });
    return items.map((item, i) => parseAnswer(schema, item, `GET ${path} (item ${i})`));
  }

  /** A record (GET, or what a POST or PUT answers with), parsed with `schema`. */
  async record<T>(schema: Parser<T>, method: string, path: string, body?: unknown): Promise<T> {
    return parseAnswer(schema, await this.request(method, path, body), `${method} ${path}`);
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, raw = false): Promise<T> {
    // Bundled, undici is CommonJS: its exports may sit on `default`.
    const loaded = (await import('undici')) as typeof Undici & { default?: typeof Undici };
    const { Agent, fetch } = loaded.default ?? loaded;
    if (!this.dispatcher) {
      const ca = this.context.caFile ? [...rootCertificates, readFileSync(this.context.caFile, 'utf8')] : undefined;
      this.dispatcher = new Agent({ connect: ca ? { ca } : {} });
    }
    const url = new URL(path, this.context.url);
    let res;
    try {
      res = await fetch(url, {
        method,
        dispatcher: this.dispatcher as Undici.Agent,
        headers: { authorization: `Bearer ${this.context.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        `cannot reach the control plane at ${this.context.url}: ${cause?.message ?? (error instanceof Error ? error.message : String(error))}`,
        {
          hint:
            cause?.code && /CERT|SELF_SIGNED|UNABLE_TO/.test(cause.code)
              ? 'its certificate is not trusted: add the CA with `qhc context add … --ca-file <file>`'
              : 'check the URL (`qhc context list`) and that the control plane runs',
        },
      );
    }
    // The control plane's warnings (a class that cannot expand, a region without snapshots), as kubectl shows the apiserver's.
    for (const warning of parseWarnings(res.headers.get('warning'))) process.stderr.write(`Warning: ${warning}\n`);
    const text = await res.text();
    if (res.ok && raw) return text as T;
    const json = text ? safeJson(text) : undefined;
    if (res.ok) return json as T;
    const message = (json as { message?: string } | undefined)?.message ?? (text || `HTTP ${res.status}`);
    if (res.status === 401)
      throw new CliError(`the control plane refused the token of context "${this.context.name}": ${message}`, {
        hint: 'the token is wrong, revoked or expired: run `qhc login` again',
      });
    if (res.status === 403) throw new CliError(`not allowed: ${message}`, { hint: 'use a user token (qhc_u_…), not an agent or bootstrap token' });
    if (res.status === 404) throw new CliError(message, { code: EXIT.notFound });
    const problems = (json as { problems?: Array<{ path: Array<string | number>; message: string }> } | undefined)?.problems;
    throw new CliError(
      problems?.length ? `${message.split('\n')[0]}\n${problems.map((p) => `  ${p.path.join('.') || '(document)'}: ${p.message}`).join('\n')}` : message,
      { code: res.status === 400 || res.status === 422 ? EXIT.usage : EXIT.error },
    );
  }
}

/** The texts of a `Warning: 299 - "…", 299 - "…"` header. */
export function parseWarnings(header: string | null): string[] {
  if (!header) return [];
  return [...header.matchAll(/\d{3} [^ ]+ "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replaceAll(/\\(.)/g, '$1'));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
