// Sends the fuzz cases to the REST gateway one at a time, with a database digest around each
// refused one, and checks every answer: an answer at all, no 5xx, an InvalidArgument naming a
// field of the request (or the body, a parameter), nothing written by a refusal.
import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { Db } from '../../../src/db/db.ts';
import { sqlOn } from '../sql.ts';
import type { CloudCase } from './cases.ts';
import { fieldNames } from './values.ts';

export type Check = 'no-answer' | '5xx' | 'unnamed-invalid-argument' | 'db-changed';

export interface Failure {
  check: Check;
  route: string;
  status: number;
  message: string;
  request: { path: string; body?: string };
}

export interface RunResult {
  requests: number;
  refused: number;
  statuses: Record<string, number>;
  perRoute: Map<string, number>;
  failures: Failure[];
}

export interface Answer {
  /** 0: no answer within the timeout; -1: node:http refused to send it (not the server's doing). */
  status: number;
  json: { code?: number; message?: string } | undefined;
  ms: number;
}

/** One request over loopback with node:http (fetch would normalise the path). */
export function send(
  base: URL,
  agent: Agent,
  sent: { method: string; path: string; headers: Record<string, string>; body?: string },
  timeoutMs: number,
): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const body = sent.body === undefined ? undefined : Buffer.from(sent.body, 'utf8');
    let req: ReturnType<typeof request>;
    try {
      req = request(
        {
          host: base.hostname,
          port: base.port,
          method: sent.method,
          path: sent.path,
          headers: { ...sent.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            clearTimeout(timer);
            let json: Answer['json'];
            try {
              json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer['json'];
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, json, ms: performance.now() - started });
          });
        },
      );
    } catch {
      resolve({ status: -1, json: undefined, ms: 0 });
      return;
    }
    const timer = setTimeout(() => req.destroy(new Error('timeout')), timeoutMs);
    req.on('error', () => (clearTimeout(timer), resolve({ status: 0, json: undefined, ms: performance.now() - started })));
    req.end(body);
  });
}

/** What a refused request writes by design: a failed password sign-in counts towards its email's lockout. */
const WRITTEN_BY_REFUSALS = new Set(['sign_in_failures']);
/** Rows a refused request writes by design, in a table other writes go to too: the audit trail's failed sign-ins. */
const ROWS_WRITTEN_BY_REFUSALS: Record<string, string> = { audit_events: "WHERE method <> 'sign_in_failed'" };

/** Every table's rows (but WRITTEN_BY_REFUSALS'), recomputed only when SQLite counted a write since the last look. */
export function digestTracker(db: Db): () => Promise<string> {
  let changes = -1;
  let digest = '';
  return async () => {
    const sql = sqlOn(db);
    const now = Number((await sql.one<{ n: number }>('SELECT total_changes() AS n'))!.n);
    if (now === changes) return digest;
    const hash = createHash('sha256');
    for (const { name } of await sql.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
      if (WRITTEN_BY_REFUSALS.has(name)) continue;
      hash.update(`\u0000${name}\u0000`);
      for (const row of await sql.all(`SELECT * FROM "${name}" ${ROWS_WRITTEN_BY_REFUSALS[name] ?? ''} ORDER BY rowid`)) hash.update(JSON.stringify(row));
    }
    [changes, digest] = [now, hash.digest('hex')];
    return digest;
  };
}

const mentions = (text: string, name: string) => new RegExp(`(^|[^A-Za-z0-9_])${name}($|[^A-Za-z0-9_])`).test(text);

/**
 * An InvalidArgument names what is wrong: a field of the request (any depth), the body, or a
 * parameter. A path with dot segments is resolved (RFC 3986) to another route: `others` holds
 * the field names of every route's request.
 */
export function namesTheFault(c: CloudCase, answer: Answer, others: ReadonlySet<string>): boolean {
  if (answer.status !== 400 || answer.json?.code !== 3) return true;
  const message = answer.json.message ?? '';
  if (/body|JSON|query parameter|path|header/i.test(message)) return true;
  const names = /\/\.\.?(\/|$)/.test(c.path) ? others : fieldNames(c.route.method.input);
  return [...names].some((name) => mentions(message, name));
}

/** Unimplemented (501) is the answer for an rpc qhc does not serve: not a failure of the server. */
const unimplemented = (answer: Answer) => answer.status === 501 && answer.json?.code === 12;

function checksOf(c: CloudCase, answer: Answer, others: ReadonlySet<string>): Check[] {
  if (answer.status === 0) return ['no-answer'];
  if (answer.status >= 500 && !unimplemented(answer)) return ['5xx'];
  return namesTheFault(c, answer, others) ? [] : ['unnamed-invalid-argument'];
}

const CREDENTIALS: Record<CloudCase['credential'], Record<string, string>> = {
  key: {},
  none: {},
  unknown: { authorization: 'apikey qhc_m_unknown-key-000000000000000000' },
  malformed: { authorization: 'Bearer x y' },
};

/**
 * Sends every case, one at a time. No time budget: a loaded machine takes longer, it does not
 * send fewer (the test's hook timeout catches a hang).
 */
export async function runCases(url: string, db: Db, key: string, cases: CloudCase[]): Promise<RunResult> {
  const base = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const result: RunResult = { requests: 0, refused: 0, statuses: {}, perRoute: new Map(), failures: [] };
  const others = new Set(cases.flatMap((c) => [...fieldNames(c.route.method.input)]));
  const digestNow = digestTracker(db);
  let digest = await digestNow();
  for (const c of cases) {
    const headers = {
      ...(c.credential === 'key' ? { authorization: `apikey ${key}` } : CREDENTIALS[c.credential]),
      ...(c.body !== undefined ? { 'content-type': 'application/json' } : {}),
    };
    const path = `${c.path}${c.query ? `?${c.query}` : ''}`;
    const answer = await send(base, agent, { method: c.route.verb, path, headers, ...(c.body !== undefined ? { body: c.body } : {}) }, 10_000);
    if (answer.status === -1) continue;
    const after = await digestNow();
    const refused = answer.status >= 400 || answer.status === 0;
    result.requests++;
    if (refused) result.refused++;
    result.statuses[answer.status] = (result.statuses[answer.status] ?? 0) + 1;
    const key2 = `${c.route.verb} ${c.route.template}`;
    result.perRoute.set(key2, (result.perRoute.get(key2) ?? 0) + 1);
    const checks = [...checksOf(c, answer, others), ...(refused && after !== digest ? (['db-changed'] as const) : [])];
    for (const check of checks)
      result.failures.push({
        check,
        route: key2,
        status: answer.status,
        message: (answer.json?.message ?? '').slice(0, 300),
        request: { path: path.slice(0, 300), ...(c.body !== undefined ? { body: c.body.slice(0, 300) } : {}) },
      });
    digest = after;
  }
  agent.destroy();
  return result;
}

/** `/healthz` every `everyMs` until stopped: the latencies, for the p99. */
export function probeHealth(base: URL, everyMs: number): { stop(): Promise<number[]> } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  const state = { running: true };
  const loop = (async () => {
    while (state.running) {
      const answer = await send(base, agent, { method: 'GET', path: '/healthz', headers: {} }, 5_000);
      latencies.push(answer.status === 200 ? answer.ms : Number.POSITIVE_INFINITY);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      state.running = false;
      await loop;
      agent.destroy();
      return latencies;
    },
  };
}

export function percentile(values: number[], p: number): number {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
