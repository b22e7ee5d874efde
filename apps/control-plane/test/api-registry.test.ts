// Registry credentials and the default registry.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@qhc/kube';
import { installationHash } from '@qhc/manifests';
import type { KyselyPlugin } from 'kysely';
import { registryDefaults, startControlPlane } from '../src/index.ts';
import type { Db } from '../src/db/db.ts';
import { desiredState } from '../src/repositories/desired-state.ts';
import { ADMIN, apiSuite, region } from './support/api-suite.ts';
import { callApi, type Body } from './support/http.ts';

describe.each(['sqlite', 'postgres'] as const)('registry credentials on %s', (dialect) => {
  const suite = apiSuite(dialect);
  const { call } = suite;

  it('registry credentials: write-only, in the installation commands and the desired state, never in a read', async () => {
    const password = 'pull-S3cret-do-not-leak';
    const body = {
      ...region('reg-1'),
      advanced: { containerRegistryUrl: 'https://registry.internal:5000/qhc/', chartRepositoryUrl: 'oci://registry.internal:5000/qhc/charts' },
      registryCredentials: { username: 'puller', password },
    };
    const created = await call('POST', '/api/v1/regions', body);
    expect(created.status).toBe(201);
    expect(created.json.registryCredentials).toEqual({ username: 'puller' });
    for (const read of [created, await call('GET', '/api/v1/regions/reg-1'), await call('GET', '/api/v1/regions')])
      expect(JSON.stringify(read.json)).not.toContain(password);
    expect((await call('POST', '/api/v1/regions', { ...region('reg-bad'), registryCredentials: { password: 'x' } })).json.message).toMatch(
      /^registryCredentials: username/,
    );

    const install = await call('POST', '/api/v1/regions/reg-1/installation');
    const script = await (await fetch(`${suite.cp.url}/install/${install.json.bootstrapToken}`)).text();
    // The filled pull Secret, on kubectl's standard input.
    const secret = script.split('\n').find((l) => l.includes('.dockerconfigjson'))!;
    expect(secret).toContain(`{"auths":{"registry.internal:5000":{"auth":"${Buffer.from(`puller:${password}`).toString('base64')}"}}}`);
    const helmScript = await (await fetch(`${suite.cp.url}/install/${install.json.bootstrapToken}/helm`)).text();
    expect(helmScript).toContain(
      `helm registry login registry.internal:5000 --username puller --password-stdin <<'QHC_PASSWORD_END'\n${password}\nQHC_PASSWORD_END\n`,
    );
    const stored = (await call('GET', '/api/v1/regions/reg-1')).json;
    expect(helmScript).toContain(`installationHash: ${installationHash(stored.spec, { username: 'puller', password })}`);

    const agent = (await call('POST', '/agent/v1/register', undefined, install.json.bootstrapToken)).json.token;
    const state = (await call('GET', '/agent/v1/desired-state', undefined, agent)).json;
    expect(state.registryCredentials).toEqual({ username: 'puller', password });
    expect(state.crds.map((c: { metadata: { name: string } }) => c.metadata.name)).toContain('qdrantclusters.qdrant.io');

    // An update without them keeps them; null removes them.
    await call('PUT', '/api/v1/regions/reg-1', { ...stored.spec, advanced: { ...stored.spec.advanced, logLevel: { operator: 'DEBUG' } } });
    expect((await call('GET', '/agent/v1/desired-state', undefined, agent)).json.registryCredentials).toEqual({ username: 'puller', password });
    // The new revision and the new credentials in one write: an agent reading right after any
    // statement of the update never sees the new revision with the old credentials.
    const db = suite.cp.store.db;
    const reads: Array<Promise<{ revision: number; registryCredentials?: unknown }>> = [];
    // After each statement, before the next: the read queues on the connection the statement still holds.
    const afterEachStatement: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => (reads.push(desiredState(db, stored.id)), args.result),
    };
    const store = suite.cp.store as { db: Db };
    store.db = { ...db, q: db.q.withPlugin(afterEachStatement) };
    try {
      await call('PUT', '/api/v1/regions/reg-1', { ...stored.spec, registryCredentials: { username: 'puller2', password: 'p2' } });
    } finally {
      store.db = db;
    }
    const seen = (await Promise.all(reads)).map(({ revision, registryCredentials }) => ({ revision, ...(registryCredentials ? { registryCredentials } : {}) }));
    const last = seen.at(-1)!;
    expect(last.registryCredentials).toEqual({ username: 'puller2', password: 'p2' });
    for (const s of seen) if (s.revision === last.revision) expect(s.registryCredentials).toEqual(last.registryCredentials);
    const removed = await call('PUT', '/api/v1/regions/reg-1', { ...stored.spec, registryCredentials: null });
    expect(removed.json.registryCredentials).toBeUndefined();
    expect((await call('GET', '/agent/v1/desired-state', undefined, agent)).json.registryCredentials).toBeUndefined();
  });
});

describe("the control plane operator's default registry", () => {
  it('fills a region that names no registry (--default-registry), leaving one that does alone', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'qhc-cp-registry-')), 'control-plane.db');
    const cp = await startControlPlane({
      database,
      port: 0,
      adminToken: ADMIN,
      logger: createLogger({ level: 'error' }),
      publicUrl: 'https://cp.example.test',
      defaultRegistry: registryDefaults('registry.corp:5000/qhc', undefined),
    });
    try {
      const call = async (method: string, path: string, body?: unknown) =>
        (await callApi(cp.url, method, path, { body, headers: { authorization: `Bearer ${ADMIN}` } })).json as Body;
      expect((await call('POST', '/api/v1/regions', region('defaulted'))).spec.advanced).toMatchObject({
        containerRegistryUrl: 'https://registry.corp:5000/qhc/',
        chartRepositoryUrl: 'oci://registry.corp:5000/qhc/charts',
      });
      const own = await call('POST', '/api/v1/regions', { ...region('own'), advanced: { containerRegistryUrl: 'https://mirror.example.com/x/' } });
      expect(own.spec.advanced).toMatchObject({
        containerRegistryUrl: 'https://mirror.example.com/x/',
        chartRepositoryUrl: 'oci://registry.corp:5000/qhc/charts',
      });
    } finally {
      await cp.stop();
    }
    expect(registryDefaults(undefined, undefined)).toBeUndefined();
    expect(registryDefaults('http://10.0.0.5:5000/qhc/', 'oci://10.0.0.5:5000/charts')).toEqual({
      containerRegistryUrl: 'http://10.0.0.5:5000/qhc/',
      chartRepositoryUrl: 'oci://10.0.0.5:5000/charts',
    });
  });
});
