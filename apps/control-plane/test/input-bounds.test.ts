import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryDefaults } from '../src/index.ts';
import { startWithRegion, type RegionFixture } from './support/region.ts';

// Issue 19: every input is parsed with explicit bounds before anything is stored; a refused
// request answers 400 naming the field and leaves the database as it was.

let f: RegionFixture;
beforeAll(async () => {
  f = await startWithRegion();
});
afterAll(async () => {
  await f.cp.stop();
});

const deep = (levels: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};
const current = async () =>
  (await f.call('GET', '/api/v1/regions/r')).json as { spec: Record<string, unknown> & { advanced: Record<string, unknown> }; revision: number };
const region = async () => ((await f.call('GET', '/api/v1/regions')).json.items as Array<{ name: string; status?: unknown }>).find((r) => r.name === 'r');
const paths = (json: { problems?: Array<{ path: Array<string | number> }> }) => (json.problems ?? []).map((p) => p.path.join('.'));
const resources = { cpu: '1', memory: '1Gi', storage: '2Gi' };

describe('cluster creates run the full cluster validation', () => {
  it.each([
    ['cpu "$(id)"', { resources: { ...resources, cpu: '$(id)' } }, 'spec.resources.cpu'],
    ['cpu "-1"', { resources: { ...resources, cpu: '-1' } }, 'spec.resources.cpu'],
    ['cpu "0"', { resources: { ...resources, cpu: '0' } }, 'spec.resources.cpu'],
    ['cpu "NaN"', { resources: { ...resources, cpu: 'NaN' } }, 'spec.resources.cpu'],
    ['memory "0"', { resources: { ...resources, memory: '0' } }, 'spec.resources.memory'],
    ['storage "-20Gi"', { resources: { ...resources, storage: '-20Gi' } }, 'spec.resources.storage'],
    ['requests above limits', { resources: { ...resources, requests: { cpu: '2', memory: '512Mi' } } }, 'spec.resources.requests.cpu'],
    ['no resources', {}, 'spec.resources'],
    ['version "$(reboot)"', { resources, version: '$(reboot)' }, 'spec.version'],
  ])('refuses %s: 400 naming the field, nothing stored', async (_name, spec, field) => {
    const answer = await f.call('POST', '/api/v1/regions/r/clusters', { name: 'bad', spec: { version: 'v1.16.3', size: 1, ...spec } });
    expect(answer.status).toBe(400);
    expect(paths(answer.json)).toContain(field);
    expect((await f.call('GET', '/api/v1/regions/r/clusters/bad')).status).toBe(404);
  });

  it('takes a valid one', async () => {
    expect((await f.call('POST', '/api/v1/regions/r/clusters', { name: 'good', spec: { version: '1.16.3', size: 1, resources } })).status).toBe(201);
  });
});

describe('region updates', () => {
  it.each([
    ['containerRegistryUrl', 'https://registry.example.com/$(id)/'],
    ['containerRegistryUrl', 'https://registry.example.com/`id`/'],
    ['chartRepositoryUrl', 'oci://registry.example.com/"charts"'],
  ])('refuses %s %s: 400 naming the field, region unchanged', async (field, url) => {
    const before = await current();
    const answer = await f.call('PUT', '/api/v1/regions/r', { ...before.spec, advanced: { ...before.spec.advanced, [field]: url } });
    expect(answer.status).toBe(400);
    expect(paths(answer.json)).toEqual([`advanced.${field}`]);
    expect(await current()).toEqual(before);
  });

  it('refuses a proxy URL with shell syntax', async () => {
    const before = await current();
    const answer = await f.call('PUT', '/api/v1/regions/r', {
      ...before.spec,
      advanced: { ...before.spec.advanced, proxy: { httpsProxy: "http://proxy:3128/'$(id)'" } },
    });
    expect(answer.status).toBe(400);
    expect(paths(answer.json)).toEqual(['advanced.proxy.httpsProxy']);
    expect(await current()).toEqual(before);
  });

  it('refuses registry credentials that are not one line (they go into helm values and a dockerconfigjson)', async () => {
    const before = await current();
    for (const registryCredentials of [
      { username: 'u', password: 'p\nq' },
      { username: 'u\u0000', password: 'p' },
      { username: 'u'.repeat(257), password: 'p' },
    ]) {
      const answer = await f.call('PUT', '/api/v1/regions/r', { ...before.spec, registryCredentials });
      expect(answer.status).toBe(400);
      expect(answer.json.message).toMatch(/registryCredentials/);
    }
    expect(await current()).toEqual(before);
  });

  it('refuses a token name that is too long or not one line', async () => {
    for (const name of ['x'.repeat(500_000), 'a\nb', 'a\u0000']) {
      const answer = await f.call('POST', '/api/v1/tokens', { name });
      expect(answer.status).toBe(400);
      expect(answer.json.message).toMatch(/^name:/);
    }
  });

  it('refuses 600 KB of nested flow sequences in operatorSettings quickly, naming the field and the line', async () => {
    const before = await current();
    const depth = 300_000;
    const yaml = `settings:\n  x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    const started = performance.now();
    const answer = await f.call('PUT', '/api/v1/regions/r', { ...before.spec, operatorSettings: yaml });
    expect(answer.status).toBe(400);
    expect(answer.json.message).toMatch(/operatorSettings/);
    expect(answer.json.message).toMatch(/levels deep/);
    expect(answer.json.problems[0]).toMatchObject({ line: 2 });
    // The issue states the bound: refused at once, not after seconds of parsing (it took 1.8 s).
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await current()).toEqual(before);
  });
});

describe('agent status reports are typed and bounded', () => {
  const report = { region: { phase: 'Ready', numberOfNodes: 1 }, clusters: [] };

  it('stores a report within bounds', async () => {
    expect((await f.call('POST', '/agent/v1/status', report, f.agent)).status).toBe(204);
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
    const answer = await f.call('POST', '/agent/v1/status', body, f.agent);
    expect(answer.status).toBe(400);
    expect(answer.json.message).toMatch(message);
    expect(await region()).toEqual(before);
  });

  it('stores a report within bounds, dropping fields it does not know', async () => {
    const answer = await f.call('POST', '/agent/v1/status', { ...report, region: { phase: 'NotReady', unknown: deep(10) } }, f.agent);
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
