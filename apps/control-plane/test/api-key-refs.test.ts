// A cluster's API key from a Secret reference (what the console and the CLI set) against the
// keys the control plane generated or was given: the reference wins and the generated key of the
// same kind is dropped, so the agent does not point the cluster back at the generated Secret; a
// key and a reference for it in the same request are refused, naming the spec field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Body } from './support/http.ts';
import { startWithRegion, type RegionFixture } from './support/region.ts';

const spec = { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } };
const ref = (name: string, key: string) => ({ secretKeyRef: { name, key } });

describe('API key Secret references and generated keys', () => {
  let fixture: RegionFixture;
  let agent = '';
  const call: RegionFixture['call'] = (...args) => fixture.call(...args);
  const desired = async (id: string) =>
    (
      (await call('GET', '/agent/v1/desired-state', undefined, agent)).json.clusters as Array<{ id: string; apiKeys?: Record<string, string>; spec: Body }>
    ).find((c) => c.id === id);

  beforeAll(async () => {
    fixture = await startWithRegion();
    agent = fixture.agent;
  });
  afterAll(async () => {
    await fixture?.cp.stop();
  });

  it('a reference set by an update wins: the generated key of that kind is dropped, the other kept', async () => {
    expect((await call('POST', '/api/v1/regions/r/clusters', { name: 'keyed', spec, apiKey: 'generated-rw', readOnlyApiKey: 'generated-ro' })).status).toBe(
      201,
    );
    expect((await desired('keyed'))?.apiKeys).toEqual({ apiKey: 'generated-rw', readOnlyApiKey: 'generated-ro' });
    const current = (await call('GET', '/api/v1/regions/r/clusters/keyed')).json;
    const withRef = { ...current.spec, config: { service: { api_key: ref('mine', 'api-key') } } };
    // What the CLI sends on `cluster update` (and a scale after it): the spec, the stored keys along.
    const updated = await call('PUT', '/api/v1/regions/r/clusters/keyed', { spec: withRef, ...current.apiKeys });
    expect(updated.status).toBe(200);
    const state = await desired('keyed');
    expect(state?.apiKeys).toEqual({ readOnlyApiKey: 'generated-ro' });
    expect(state?.spec.config).toEqual({ service: { api_key: ref('mine', 'api-key') } });
    expect((await call('POST', '/api/v1/regions/r/clusters/keyed/scale', { size: 2 })).status).toBe(200);
    expect((await desired('keyed'))?.apiKeys).toEqual({ readOnlyApiKey: 'generated-ro' });
  });

  it('a key and a reference for it in one request: 422 naming spec.config.service.api_key', async () => {
    const created = await call('POST', '/api/v1/regions/r/clusters', {
      name: 'both',
      spec: { ...spec, config: { service: { api_key: ref('mine', 'api-key') } } },
      apiKey: 'given-key-123',
    });
    expect(created.status).toBe(422);
    expect(created.json.message).toContain('spec.config.service.api_key');
    expect((await call('GET', '/api/v1/regions/r/clusters/both')).status).toBe(404);
    const updated = await call('PUT', '/api/v1/regions/r/clusters/keyed', {
      spec: { ...spec, size: 2, config: { service: { read_only_api_key: ref('mine', 'ro') } } },
      readOnlyApiKey: 'new-read-only-key',
    });
    expect([updated.status, updated.json.message]).toEqual([422, expect.any(String)]);
    expect(updated.json.message).toContain('spec.config.service.read_only_api_key');
  });
});
