import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open.ts';
import { bodyKindOf, type FuzzCase } from './support/fuzz/cases.ts';
import { digestTracker, namesTheFault } from './support/fuzz/checks.ts';
import { registeredRoutes } from './support/fuzz/routes.ts';
import { toJsonText } from './support/fuzz/values.ts';
import { sqlOn } from './support/sql.ts';

// The fuzz test's own checks, shown to catch what they must: a fuzzer whose checks pass
// everything proves nothing.

const routes = registeredRoutes();
const route = (method: string, path: string) => routes.find((r) => r.method === method && r.path === path)!;
const caseOf = (method: string, path: string, json?: unknown): FuzzCase => {
  const r = route(method, path);
  return {
    route: r,
    method,
    params: [],
    query: '',
    credential: 'admin',
    contentType: undefined,
    body: json === undefined ? undefined : { json, mutated: 'field' },
    bodyKind: bodyKindOf(r),
  };
};

describe('the fuzz harness', () => {
  it('reads the routes from the router, parameters included', () => {
    expect(route('DELETE', '/api/v1/regions/:region/backups/:name').params).toEqual(['region', 'name']);
    expect(routes.filter((r) => r.path === '/healthz')).toHaveLength(1);
  });

  it('sees any write in the database digest, and none when nothing was written', async () => {
    const db = await openDatabase(':memory:');
    const digest = digestTracker(db);
    const before = await digest();
    expect(await digest()).toBe(before);
    await sqlOn(db).run("INSERT INTO tokens (id, kind, name, hash, created_at) VALUES ('t', 'user', 'x', 'h', 'now')");
    const after = await digest();
    expect(after).not.toBe(before);
    await sqlOn(db).run("UPDATE tokens SET name = 'x' WHERE id = 't'");
    expect(await digest()).toBe(after);
    await db.close();
  });

  it('accepts a refusal that names a field of the request or the schema, and no other', () => {
    const post = (json: unknown) => caseOf('POST', '/api/v1/regions/:region/clusters', json);
    expect(namesTheFault(post({ spec: { size: 0 } }), '/api/v1/regions/r/clusters', 400, { message: 'x', problems: [{ path: ['spec', 'size'] }] })).toBe(true);
    expect(namesTheFault(post({}), '/api/v1/regions/r/clusters', 400, { message: 'cluster is invalid: name: is required' })).toBe(true);
    expect(namesTheFault(post({ spec: {} }), '/api/v1/regions/r/clusters', 400, { message: 'something is wrong' })).toBe(false);
    expect(namesTheFault(post({ spec: {} }), '/api/v1/regions/r/clusters', 400, { error: 'Invalid' })).toBe(false);
    expect(namesTheFault(post(42), '/api/v1/regions/r/clusters', 400, { message: 'x', problems: [{ path: [] }] })).toBe(true);
    const status = caseOf('POST', '/agent/v1/status', 42);
    expect(namesTheFault(status, '/agent/v1/status', 400, { message: 'status report: : Invalid input: expected object, received number' })).toBe(false);
    expect(namesTheFault(caseOf('GET', '/api/v1/regions/:region'), '/api/v1/regions/zz', 404, { message: 'region zz does not exist' })).toBe(true);
    expect(namesTheFault(caseOf('GET', '/api/v1/regions'), '/api/v1/regions', 401, { message: 'something is wrong' })).toBe(false);
  });

  it('sends nesting thousands deep without overflowing its own stack', () => {
    const text = toJsonText({ a: '\u0001deep:5000:1:a' });
    expect(text.length).toBe('{"a":}'.length + 10_001);
    expect(text.startsWith('{"a":[[[')).toBe(true);
  });
});
