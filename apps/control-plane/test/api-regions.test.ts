// The control plane API's regions, its document and its database across restarts, on SQLite and on PostgreSQL.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTAINER_REGISTRY_URL } from '@qhc/schemas';
import { MIGRATIONS } from '../src/index.ts';
import { ADMIN, apiSuite, region } from './support/api-suite.ts';
import { sqlOn } from './support/sql.ts';

describe.each(['sqlite', 'postgres'] as const)('regions on %s', (dialect) => {
  const suite = apiSuite(dialect);
  const { call } = suite;

  it('creates, reads, updates and deletes regions; the namespace cannot change', async () => {
    const created = await call('POST', '/api/v1/regions', region('eu-1'));
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'eu-1',
      revision: 1,
      spec: { namespace: 'ns-eu-1', advanced: { containerRegistryUrl: DEFAULT_CONTAINER_REGISTRY_URL } },
    });
    expect((await call('POST', '/api/v1/regions', region('eu-1'))).json).toEqual({ error: 'Conflict', message: 'region eu-1 already exists' });
    const updated = await call('PUT', '/api/v1/regions/eu-1', { ...region('eu-1'), operatorVersion: '0.2.0', advanced: { logLevel: { agent: 'DEBUG' } } });
    expect(updated.json).toMatchObject({ revision: 2, spec: { operatorVersion: '0.2.0', advanced: { logLevel: { agent: 'DEBUG', operator: 'INFO' } } } });
    const moved = await call('PUT', '/api/v1/regions/eu-1', { ...region('eu-1'), namespace: 'elsewhere' });
    expect(moved.status).toBe(422);
    expect(moved.json.message).toBe('region eu-1: namespace cannot change after the region is created (was "ns-eu-1", got "elsewhere")');
    expect((await call('GET', '/api/v1/regions')).json.items.map((r: { name: string }) => r.name)).toEqual(['eu-1']);
    await call('POST', '/api/v1/regions', region('gone'));
    expect((await call('DELETE', '/api/v1/regions/gone')).status).toBe(204);
    expect((await call('GET', '/api/v1/regions/gone')).json).toEqual({ error: 'NotFound', message: 'region gone does not exist' });
  });

  it('refuses an invalid region, naming every field', async () => {
    const bad = await call('POST', '/api/v1/regions', {
      name: 'Bad_Name',
      namespace: 'ok',
      agentVersion: 'latest',
      operatorVersion: '0.1.0',
      operatorSettings: { settings: { backOff: { minDelay: -1 } } },
      advanced: { proxy: { httpsProxy: 'socks://x' } },
    });
    expect(bad.status).toBe(400);
    const paths = bad.json.problems.map((p: { path: Array<string | number> }) => p.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'agentVersion', 'operatorSettings.settings.backOff.minDelay', 'advanced.proxy.httpsProxy']));
    expect((await call('POST', '/api/v1/regions', undefined)).status).toBe(400);
    const notJson = await fetch(`${suite.cp.url}/api/v1/regions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(await notJson.json()).toMatchObject({ error: 'InvalidJson' });
  });

  it('takes the operator settings as YAML text, reporting problems at their line', async () => {
    const yaml = 'settings:\n  backupTimeout: 600\n  backOff:\n    minDelay: -5\n';
    const bad = await call('POST', '/api/v1/regions', { ...region('yaml-1'), operatorSettings: yaml });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('operatorSettings');
    expect(bad.json.problems[0]).toMatchObject({ path: ['settings', 'backOff', 'minDelay'], line: 4 });
    const good = await call('POST', '/api/v1/regions', { ...region('yaml-1'), operatorSettings: 'settings:\n  backupTimeout: 600\n' });
    expect(good.json.spec.operatorSettings.settings.backupTimeout).toBe(600);
    await call('DELETE', '/api/v1/regions/yaml-1');
  });

  it('serves its OpenAPI document', async () => {
    const doc = (await call('GET', '/openapi.json', undefined, null)).json;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/regions', '/agent/v1/desired-state', '/install/{bootstrapToken}']));
    expect(doc.components.schemas.Region.properties.namespace).toBeDefined();
  });

  it('restarted on the same database, it has lost nothing; migrations run once', async () => {
    const regions = (await call('GET', '/api/v1/regions')).json.items;
    await suite.restart();
    expect((await call('GET', '/api/v1/regions')).json.items).toEqual(regions);
    const versions = await sqlOn(suite.cp.store.db).all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.map((v) => Number(v.version))).toEqual(MIGRATIONS.map((m) => m.version));
  });
});
