import { createHash } from 'node:crypto';
import type { Db } from '../../../src/db/db.ts';
import { schemaFieldNames } from './bodies.ts';
import { bodyKindOf, type FuzzCase } from './cases.ts';
import { sqlOn } from '../sql.ts';

/**
 * A digest of every table's rows, in a fixed order: equal digests mean an unchanged database.
 * Cheap enough to take around each request (the fuzzer's data stays small).
 */
export async function databaseDigest(db: Db): Promise<string> {
  const tables = await sqlOn(db).all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  const hash = createHash('sha256');
  for (const { name } of tables) {
    hash.update(`\u0000${name}\u0000`);
    for (const row of await sqlOn(db).all(`SELECT * FROM "${name}" ORDER BY rowid`)) hash.update(JSON.stringify(row));
  }
  return hash.digest('hex');
}

/**
 * The database's digest, recomputed only when SQLite counted a write since the last look
 * (total_changes() of the control plane's one connection): a run takes one per request.
 */
export function digestTracker(db: Db): () => Promise<string> {
  let changes = -1;
  let digest = '';
  return async () => {
    const now = Number((await sqlOn(db).one<{ n: number }>('SELECT total_changes() AS n'))!.n);
    if (now !== changes) [changes, digest] = [now, await databaseDigest(db)];
    return digest;
  };
}

/** Every key of a JSON value, at any depth. */
function keysOf(value: unknown, into = new Set<string>(), depth = 0): Set<string> {
  if (depth > 50 || typeof value !== 'object' || value === null) return into;
  for (const [key, inner] of Object.entries(value)) {
    if (!Array.isArray(value)) into.add(key);
    keysOf(inner, into, depth + 1);
  }
  return into;
}

const mentions = (text: string, name: string) =>
  name.length > 0 && new RegExp(`(^|[^A-Za-z0-9_-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_-])`).test(text);

/** The parameter a refusal must name, by status; `undefined`: the body's fields decide. */
function parameterAtFault(c: FuzzCase, status: number, path: string): string[] | undefined {
  if (status === 401 || status === 403) return ['token', 'session', 'X-CSRF-Token', 'x-csrf-token', 'Origin', 'Sec-Fetch-Site', 'Authorization'];
  if (status === 405) return [c.method];
  if (status === 413) return ['body'];
  if (status === 415) return ['content-type', 'Content-Type'];
  // The agent's routes find the region by the token.
  if (status === 404) return [path, 'no such path', ...c.route.params, ...decodedSegments(path), ...(c.route.path.startsWith('/agent/') ? ['region'] : [])];
  return undefined;
}

/** The path's segments, decoded where they decode; `onlyParams`: those the route's parameters took. */
function decodedSegments(path: string, route?: FuzzCase['route']): string[] {
  const template = route?.path.split('/');
  return path
    .split('/')
    .filter((_s, i) => !template || template[i]?.startsWith(':'))
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/**
 * Whether a 4xx answer names what was wrong: the credential for 401/403, the method for 405,
 * the path or its parameter for 404; for a refused body, a problem path or the message names a
 * key of the request, a field of the route's schema, or a query parameter; a body that is not
 * an object, or not JSON, may be named as "body" (or a problem at the root).
 */
export function namesTheFault(c: FuzzCase, path: string, status: number, json: unknown): boolean {
  if (c.method === 'HEAD') return true;
  const answer = json as { message?: unknown; problems?: Array<{ path?: unknown[] }> } | undefined;
  const message = typeof answer?.message === 'string' ? answer.message : '';
  const problemPaths = Array.isArray(answer?.problems) ? answer.problems.map((p) => (Array.isArray(p.path) ? p.path.map(String) : [])) : [];
  if (!message && problemPaths.length === 0) return false;
  const parameter = parameterAtFault(c, status, path);
  if (parameter) return parameter.some((name) => mentions(message, name) || message.includes(name));
  const body = c.body && 'json' in c.body ? c.body.json : undefined;
  const notAnObject = !c.body || 'raw' in c.body || typeof body !== 'object' || body === null || Array.isArray(body);
  // The body the method takes (a POST to a GET route reaches the POST handler).
  const kind = bodyKindOf({ ...c.route, method: c.method });
  // A conflict names the thing that exists, by the name the request gave.
  const values = status === 409 && body && typeof body === 'object' ? Object.values(body).filter((v): v is string => typeof v === 'string') : [];
  const names = new Set([
    ...keysOf(body),
    ...schemaFieldNames(kind),
    ...values,
    ...c.route.params,
    ...decodedSegments(path, c.route),
    ...new URLSearchParams(c.query).keys(),
  ]);
  if (problemPaths.some((p) => p.some((segment) => names.has(segment)))) return true;
  // A bound on the whole body (too many keys, too large) is rightly named as the body.
  const wholeBodyBound = /\bbody\b.*\b(more than|larger than|deeper than)\b/.test(message);
  if ((notAnObject || wholeBodyBound) && (problemPaths.some((p) => p.length === 0) || /\bbody\b|JSON/.test(message))) return true;
  return [...names].some((name) => mentions(message, name));
}
