import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryDefaults } from '../src/index.ts';
import { startWithEnvironment, type EnvironmentFixture } from './support/cloud-region.ts';
import { callApi } from './support/http.ts';

// Issue 19: every input is parsed with explicit bounds before anything is stored; a refused
// request answers 400 naming the field and leaves the database as it was. (The Cloud API's own
// bounds: cloud-cluster-refusals, cloud-port-bounds, cloud-hybrid-errors.)

let f: EnvironmentFixture;
beforeAll(async () => {
  f = await startWithEnvironment();
});
afterAll(async () => {
  await f.cp.stop();
});

const deep = (levels: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};
const region = () => f.cp.store.regionById(f.environmentId);
const agentCall = (body: unknown) => callApi(f.cp.url, 'POST', '/agent/v1/status', { body, headers: { authorization: `Bearer ${f.agent}` } });

describe('agent status reports are typed and bounded', () => {
  const report = { region: { phase: 'Ready', numberOfNodes: 1 }, clusters: [] };

  it('stores a report within bounds', async () => {
    expect((await agentCall(report)).status).toBe(204);
  });

  it.each([
    [
      'a 4,000-deep resource status',
      { ...report, resources: [{ kind: 'QdrantClusterSnapshot', name: 'b', status: deep(4000) }] },
      /resources\.0\.status\.a\.a.* more than 64 levels deep/,
    ],
    [
      'a 40-deep resource status',
      { ...report, resources: [{ kind: 'QdrantClusterSnapshot', name: 'b', status: deep(40) }] },
      /resources\.0\.status(\.a)+: nests objects or arrays more than 32 levels deep/,
    ],
    ['a 4,000-deep region status', { ...report, region: { phase: 'Ready', message: deep(4000) } }, /region\.message/],
    ['a region status of the wrong type', { ...report, region: { phase: 'Ready', message: { nested: true } } }, /region\.message: .*expected string/],
    [
      'a cluster spec of 2,000 keys',
      { ...report, clusters: [{ id: 'c', spec: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i])) }] },
      /clusters\.0\.spec: has 2000 keys, more than/,
    ],
    [
      'an overlong condition message',
      { ...report, region: { phase: 'Ready', conditions: [{ type: 'T', status: 'True', message: 'x'.repeat(40_000) }] } },
      /region\.conditions\.0\.message/,
    ],
  ])('refuses %s: 400 naming the field, nothing stored', async (_name, body, message) => {
    const before = await region();
    const answer = await agentCall(body);
    expect(answer.status).toBe(400);
    expect(answer.json.message).toMatch(message);
    expect(await region()).toEqual(before);
  });

  it('stores a report within bounds, dropping fields it does not know', async () => {
    const answer = await agentCall({ ...report, region: { phase: 'NotReady', unknown: deep(10) } });
    expect(answer.status).toBe(204);
    expect((await region())?.status).toEqual({ phase: 'NotReady' });
  });
});

describe("the control plane's default registry", () => {
  it('is checked at start, naming the flag', () => {
    expect(() => registryDefaults('registry.corp/$(id)', undefined)).toThrow(
      /--default-registry "https:\/\/registry.corp\/\$\(id\)\/": must be an https:\/\/ registry URL/,
    );
    expect(() => registryDefaults(undefined, 'oci://charts.corp/`id`')).toThrow(/--default-chart-repository/);
    expect(registryDefaults('registry.corp:5000/qhc', undefined)).toEqual({
      containerRegistryUrl: 'https://registry.corp:5000/qhc/',
      chartRepositoryUrl: 'oci://registry.corp:5000/qhc/charts',
    });
  });
});
