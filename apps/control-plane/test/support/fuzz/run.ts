import { Agent } from 'node:http';
import type { FuzzCase } from './cases.ts';
import { digestTracker, namesTheFault } from './checks.ts';
import { send, type Answer, type Sent } from './send.ts';
import { toJsonText } from './values.ts';
import type { World } from './world.ts';

export type Check = 'no-answer' | '5xx' | 'unnamed-4xx' | 'db-changed';

/** One broken promise, with the request that broke it. */
export interface Failure {
  check: Check;
  method: string;
  route: string;
  status: number;
  path: string;
  error: string;
  message: string;
  request: { headers: Record<string, string>; body?: string };
}

export interface RunResult {
  requests: number;
  refused: number;
  statuses: Record<string, number>;
  /** How many requests each registered route received (by `METHOD path`). */
  perRoute: Map<string, number>;
  failures: Failure[];
  /** The slowest answers (route, status, ms): what holds the event loop. */
  slowest: Array<{ route: string; status: number; ms: number; path: string }>;
}

// The agent's long-poll can wait; it runs beside the sequential requests (it only reads).
const LONG_POLL = '/agent/v1/desired-state';

function toSent(world: World, c: FuzzCase): Sent {
  const headers = world.headers(c.credential);
  const body = c.body === undefined ? undefined : 'raw' in c.body ? c.body.raw : toJsonText(c.body.json);
  const type = c.contentType ?? (body === undefined ? undefined : 'application/json');
  return {
    method: c.method,
    path: `${world.path(c)}${c.query ? `?${c.query}` : ''}`,
    headers: { ...headers, ...(type !== undefined ? { 'content-type': type } : {}) },
    ...(body !== undefined ? { body } : {}),
  };
}

const short = (text: string | undefined) => (text && text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text);

function failure(check: Check, c: FuzzCase, sent: Sent, answer: Answer): Failure {
  const json = answer.json as { error?: unknown; message?: unknown } | undefined;
  return {
    check,
    method: c.method,
    route: c.route.path,
    status: answer.status,
    path: short(sent.path)!,
    error: String(json?.error ?? ''),
    message: short(typeof json?.message === 'string' ? json.message : answer.text) ?? '',
    request: { headers: sent.headers, ...(sent.body !== undefined ? { body: short(sent.body) } : {}) },
  };
}

/** What the answer broke, if anything; `changed`: the digest moved across a refused request. */
function checksOf(c: FuzzCase, sent: Sent, answer: Answer): Check[] {
  if (answer.status === 0) return ['no-answer'];
  if (answer.status >= 500) return ['5xx'];
  if (answer.status >= 400 && !namesTheFault(c, sent.path.split('?')[0]!, answer.status, answer.json)) return ['unnamed-4xx'];
  return [];
}

/** Sends every case, one at a time, with a database digest after each; stops at `deadline`. */
export async function runCases(world: World, cases: FuzzCase[], deadline: number): Promise<RunResult> {
  const base = new URL(world.cp.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const pollAgent = new Agent({ keepAlive: true, maxSockets: 64 });
  const result: RunResult = { requests: 0, refused: 0, statuses: {}, perRoute: new Map(), failures: [], slowest: [] };
  const polls: Array<Promise<void>> = [];
  const record = (c: FuzzCase, sent: Sent, answer: Answer, extra: Check[] = []) => {
    if (answer.status === -1) return;
    result.requests++;
    result.statuses[answer.status] = (result.statuses[answer.status] ?? 0) + 1;
    const key = `${c.route.method} ${c.route.path}`;
    result.perRoute.set(key, (result.perRoute.get(key) ?? 0) + 1);
    if (c.route.path !== LONG_POLL && (result.slowest.length < 20 || answer.ms > result.slowest.at(-1)!.ms)) {
      result.slowest = [
        ...result.slowest,
        { route: `${c.method} ${c.route.path}`, status: answer.status, ms: Math.round(answer.ms), path: short(sent.path)!.slice(0, 120) },
      ]
        .toSorted((a, b) => b.ms - a.ms)
        .slice(0, 20);
    }
    for (const check of [...checksOf(c, sent, answer), ...extra]) result.failures.push(failure(check, c, sent, answer));
  };
  const digestNow = digestTracker(world.cp.store.db);
  let digest = await digestNow();
  for (const c of cases) {
    if (Date.now() > deadline) break;
    const sent = toSent(world, c);
    if (c.route.path === LONG_POLL && c.method === 'GET') {
      polls.push(send(base, pollAgent, sent, 3_000).then((answer) => record(c, sent, answer)));
      continue;
    }
    const answer = await send(base, agent, sent, 10_000);
    const after = await digestNow();
    const refused = answer.status >= 400 || answer.status === 0;
    if (refused) result.refused++;
    record(c, sent, answer, refused && after !== digest ? ['db-changed'] : []);
    digest = after;
    if (!refused && answer.status > 0 && c.method !== 'GET') {
      world.learn(c, answer.status, answer.json, sent.headers.authorization);
      await world.repair();
      digest = await digestNow();
    }
  }
  await Promise.all(polls);
  agent.destroy();
  pollAgent.destroy();
  return result;
}
