// fuzz-harness.test.ts for the Cloud API fuzz test: its own checks, shown to catch what they
// must (a fuzzer whose checks pass everything proves nothing), and its cases, shown to reach
// every route with the path variables filled.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open.ts';
import { restRoutes, type RestRoute } from '../src/cloud/rest/routes.ts';
import { CLOUD_SERVICES } from '../src/cloud/services.ts';
import { cloudCase, type CloudCase } from './support/cloud-fuzz/cases.ts';
import { digestTracker, namesTheFault, type Answer } from './support/cloud-fuzz/run.ts';
import { known } from './support/cloud-fuzz/values.ts';
import { sqlOn } from './support/sql.ts';

const routes = restRoutes(CLOUD_SERVICES.map((s) => s.service));
const route = (verb: string, template: string) => routes.find((r) => r.verb === verb && r.template === template)!;
const caseOf = (r: RestRoute, path = r.template): CloudCase => ({ route: r, path, query: '', credential: 'key' });
const invalid = (message: string): Answer => ({ status: 400, json: { code: 3, message }, ms: 1 });
const NONE = new Set<string>();

describe('the Cloud API fuzz harness', () => {
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

  it('accepts an InvalidArgument that names a field of the request, the body or a parameter, and no other', () => {
    const create = caseOf(route('POST', '/api/cluster/v1/accounts/{cluster.account_id}/clusters'));
    expect(namesTheFault(create, invalid('cluster.configuration.number_of_nodes: must be between 1 and 100'), NONE)).toBe(true);
    expect(namesTheFault(create, invalid('the request body is not JSON'), NONE)).toBe(true);
    expect(namesTheFault(create, invalid('something is wrong'), NONE)).toBe(false);
    expect(namesTheFault(create, invalid('backup_id: not a UUID'), NONE)).toBe(false);
    // Other codes are not its concern; a path resolved to another route may name that route's fields.
    expect(namesTheFault(create, { status: 404, json: { code: 5, message: 'cluster x does not exist' }, ms: 1 }, NONE)).toBe(true);
    expect(namesTheFault(caseOf(create.route, '/api/x/../clusters'), invalid('backup_id: not a UUID'), new Set(['backup_id']))).toBe(true);
  });

  it('makes cases for every route, with every path variable filled', () => {
    Object.assign(known, { accountId: '00000000-0000-4000-8000-000000000000', ids: ['11111111-1111-4111-8111-111111111111'] });
    const cases = fc.sample(cloudCase(routes), { seed: 1, numRuns: 3000 });
    const reached = new Set(cases.map((c) => `${c.route.verb} ${c.route.template}`));
    expect(routes.filter((r) => !reached.has(`${r.verb} ${r.template}`))).toEqual([]);
    expect(cases.filter((c) => c.path.includes('{'))).toEqual([]);
    expect(cases.some((c) => c.body !== undefined && c.body.startsWith('[[[['))).toBe(true);
  });
});
