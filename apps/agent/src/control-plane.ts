import { rootCertificates } from 'node:tls';
import { EnvHttpProxyAgent, fetch, type Dispatcher } from 'undici';
import { DesiredState, type AgentReportInput, type AgentRegionStatus, type ClusterStatusReport, type RegionHealth } from '@qhc/schemas';
import { fitReport } from './report-fit.ts';

/**
 * The status report: @qhc/schemas' AgentReport, the contract the control plane parses with
 * (typed and bounded); `health` is a RegionHealth, which the control plane parses on its own.
 */
export type StatusReport = Omit<AgentReportInput, 'health' | 'clusters' | 'region'> & {
  health?: RegionHealth;
  region: AgentRegionStatus;
  clusters: ClusterStatusReport[];
};

/** The desired state, as @qhc/schemas' contract parses it. */
export type { DesiredState } from '@qhc/schemas';

/** The control plane answered with a desired state this agent cannot read: none of it is applied. */
export class InvalidDesiredState extends Error {
  override readonly name = 'InvalidDesiredState';
  /** The problems alone (field paths and the schema's words), bounded: what the region's status reports. */
  readonly issues: string;
  constructor(issues: string) {
    super(`desired state not applied: ${issues}`);
    this.issues = issues;
  }
}

/** A path segment or problem may be a key of the answer itself (1 MiB of it): logs and reports get a bounded piece. */
const SEGMENT_MAX = 64;
const PROBLEM_MAX = 256;
const ISSUES_MAX = 2048;
const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** `path: message` for each problem, so an error names the fields; each part and the whole bounded. */
export const issuesOf = (error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }) =>
  cut(
    error.issues
      .slice(0, 10)
      .map((i) => `${i.path.map((segment) => cut(String(segment), SEGMENT_MAX)).join('.')}: ${cut(i.message, PROBLEM_MAX)}`)
      .join('; '),
    ISSUES_MAX,
  );

/** The control plane's answer, parsed with the contract (never cast): a bad one is refused whole, naming the field. */
export function parseDesiredState(body: unknown): DesiredState {
  const parsed = DesiredState.safeParse(body);
  if (!parsed.success) throw new InvalidDesiredState(issuesOf(parsed.error));
  return parsed.data;
}

/** The control plane refused the credential: a new one is needed. */
export class Unauthorized extends Error {
  override readonly name = 'Unauthorized';
}

export interface ControlPlaneOptions {
  /** https:// only: the agent makes TLS connections and nothing else. */
  url: string;
  /** PEM: trusted in addition to the system's roots (a private CA of the control plane or of a TLS-inspecting proxy). */
  ca?: string;
  /** Proxy settings; default from HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
  proxy?: { httpsProxy?: string; httpProxy?: string; noProxy?: string };
  timeoutMs?: number;
}

/**
 * The agent's only way out: HTTPS requests to the control plane, through a proxy when one
 * is configured. Failures say what went wrong in words (an untrusted certificate, a refused
 * connection, a proxy that said no), not just an error code.
 */
export class ControlPlaneClient {
  private readonly base: URL;
  private readonly dispatcher: Dispatcher;
  private readonly timeoutMs: number;
  token: string | undefined;

  constructor(options: ControlPlaneOptions) {
    this.base = new URL(options.url);
    if (this.base.protocol !== 'https:') throw new Error(`the control plane URL must be https:// (got ${options.url}): the agent only makes TLS connections`);
    const ca = options.ca ? [...rootCertificates, options.ca] : undefined;
    this.dispatcher = new EnvHttpProxyAgent({
      ...options.proxy,
      connect: ca ? { ca } : {},
      // A CONNECT proxy's own TLS, when it is https://, trusts the same roots.
      ...(ca ? { proxyTls: { ca }, requestTls: { ca } } : {}),
    } as ConstructorParameters<typeof EnvHttpProxyAgent>[0]);
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  async register(bootstrapToken: string): Promise<{ token: string; region: string }> {
    return (await this.call('POST', '/agent/v1/register', undefined, bootstrapToken)) as { token: string; region: string };
  }

  async rotate(): Promise<string> {
    return ((await this.call('POST', '/agent/v1/rotate')) as { token: string }).token;
  }

  /** Waits up to `waitSeconds` for a revision after `after`; undefined when nothing changed. */
  async desiredState(after: number, waitSeconds: number, signal?: AbortSignal): Promise<DesiredState | undefined> {
    const body = await this.call(
      'GET',
      `/agent/v1/desired-state?after=${after}&waitSeconds=${waitSeconds}`,
      undefined,
      undefined,
      waitSeconds * 1000 + this.timeoutMs,
      signal,
    );
    return body === undefined ? undefined : parseDesiredState(body);
  }

  /** Sends what parses with the control plane's contract; a report that does not is refused here, naming the field. */
  async report(status: StatusReport): Promise<void> {
    const parsed = fitReport(status);
    if (!parsed.success) throw new Error(`status report: ${issuesOf(parsed.error)}`);
    await this.call('POST', '/agent/v1/status', parsed.data);
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private async call(method: string, path: string, body?: unknown, token = this.token, timeoutMs = this.timeoutMs, signal?: AbortSignal): Promise<unknown> {
    const url = new URL(path, this.base);
    let res;
    try {
      res = await fetch(url, {
        method,
        dispatcher: this.dispatcher,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new Error(`${method} ${url.origin}${path.replace(/\?.*$/, '')}: ${explain(error)}`, { cause: error });
    }
    const text = await res.text();
    if (res.status === 401 || res.status === 403) throw new Unauthorized(`${method} ${path.replace(/\?.*$/, '')}: HTTP ${res.status} ${text.slice(0, 300)}`);
    if (res.status === 204) return undefined;
    if (!res.ok) throw new Error(`${method} ${path.replace(/\?.*$/, '')}: HTTP ${res.status} ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : undefined;
  }
}

const TLS_CODES: Record<string, string> = {
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in a CA the agent does not trust',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed and not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate was issued by a CA the agent does not trust',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate was issued by a CA the agent does not trust',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not name this host',
};

/** One sentence for a failed request: TLS trust, connection, proxy, or timeout. */
export function explain(error: unknown): string {
  let e = error as { name?: string; message?: string; code?: string; cause?: unknown } | undefined;
  // undici wraps the cause ("fetch failed"); the useful code is further down.
  for (let depth = 0; depth < 4 && e?.cause && !e.code; depth++) e = e.cause as typeof e;
  const code = e?.code ?? '';
  if (TLS_CODES[code])
    return `TLS: ${TLS_CODES[code]} (${code}); give the agent the control plane's CA certificate (the region's advanced.caCertificate, or --ca-file)`;
  if (code === 'ECONNREFUSED') return `connection refused (${e?.message ?? code})`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host name does not resolve (${code})`;
  if (code === 'UND_ERR_ABORTED' || (error as { name?: string })?.name === 'TimeoutError' || e?.name === 'TimeoutError') return 'no answer in time';
  if (/Proxy response/.test(e?.message ?? '')) return `the proxy refused the tunnel: ${e?.message}`;
  return `${e?.message ?? String(error)}${code ? ` (${code})` : ''}`;
}
