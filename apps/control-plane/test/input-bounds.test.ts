import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
