import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '@qhc/kube';
import { ClusterRecord, DEFAULT_CHART_REPOSITORY_URL, DEFAULT_CONTAINER_REGISTRY_URL, RegionRecord } from '@qhc/schemas';
import { installationHash } from '@qhc/manifests';
import { MIGRATIONS, registryDefaults, startControlPlane, type RunningControlPlane } from '../src/index.ts';
import { callApi, type Body } from './support/http.ts';
import { createTestDatabase } from './support/postgres.ts';
import { sqlOn } from './support/sql.ts';
import type { KyselyPlugin } from 'kysely';
import type { Db } from '../src/db/db.ts';
import { desiredState } from '../src/repositories/desired-state.ts';

const ADMIN = 'qhc_u_test-admin-token-0123456789';
const region = (name: string, namespace = `ns-${name}`) => ({ name, namespace, agentVersion: '0.1.0', operatorVersion: '0.1.0' });
const cluster = (name: string, size = 1) => ({ name, spec: { version: 'v1.16.2', size, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } } });
// Response bodies, read loosely: the assertions say what they must hold.
let counter = 0;

// The same tests, on SQLite and on PostgreSQL.
describe.each(['sqlite', 'postgres'] as const)('the control plane API on %s', (dialect) => {
  let cp: RunningControlPlane;
  let database = '';

  const start = async () =>
    startControlPlane({
      database,
      port: 0,
      adminToken: ADMIN,
      logger: createLogger({ level: 'error' }),
      publicUrl: 'https://cp.example.test',
      pollIntervalMs: 50,
    });
  const call = async (method: string, path: string, body?: unknown, token: string | null = ADMIN) => {
    const { status, json } = await callApi(cp.url, method, path, { body, headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status, json: json as Body };
  };
  async function installAgent(regionName: string): Promise<string> {
    const install = await call('POST', `/api/v1/regions/${regionName}/installation`);
    const registered = await call('POST', '/agent/v1/register', undefined, install.json.bootstrapToken);
    expect(registered.status).toBe(201);
    return registered.json.token;
  }

  beforeAll(async () => {
    database =
      dialect === 'sqlite'
        ? join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'control-plane.db')
        : await createTestDatabase(inject('postgresUrl'), `api_${process.pid}_${counter++}`);
    cp = await start();
  });
  afterAll(async () => {
    await cp?.stop();
  });

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
    const notJson = await fetch(`${cp.url}/api/v1/regions`, {
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

  it('authenticates: no token, an unknown or revoked one is 401; a token of another kind is 403', async () => {
    expect((await call('GET', '/api/v1/regions', undefined, null)).status).toBe(401);
    expect((await call('GET', '/api/v1/regions', undefined, 'qhc_u_nope')).json).toMatchObject({ error: 'Unauthenticated' });
    const issued = await call('POST', '/api/v1/tokens', { name: 'ci' });
    expect((await call('GET', '/api/v1/regions', undefined, issued.json.token)).status).toBe(200);
    expect((await call('DELETE', `/api/v1/tokens/${issued.json.id}`)).status).toBe(204);
    expect((await call('GET', '/api/v1/regions', undefined, issued.json.token)).status).toBe(401);
    const agent = await installAgent('eu-1');
    const forbidden = await call('GET', '/api/v1/regions', undefined, agent);
    expect([forbidden.status, forbidden.json.message]).toEqual([403, 'a agent token cannot do this; it needs a user token']);
    // Tokens are stored hashed: the database holds no token text.
    const rows = await sqlOn(cp.store.db).all<{ hash: string }>('SELECT hash FROM tokens');
    expect(rows.some((r) => r.hash === ADMIN || r.hash === agent)).toBe(false);
  });

  it('the installation command: a one-time bootstrap token, the script, and one exchange for the agent credential', async () => {
    const install = await call('POST', '/api/v1/regions/eu-1/installation');
    expect(install.status).toBe(201);
    expect(install.json.command).toBe(`curl -fsSL https://cp.example.test/install/${install.json.bootstrapToken} | bash`);
    const script = await fetch(`${cp.url}/install/${install.json.bootstrapToken}`);
    const text = await script.text();
    expect(script.headers.get('content-type')).toMatch(/^text\/x-shellscript/);
    expect(text).toContain('namespace "ns-eu-1"');
    expect(text).toContain(install.json.bootstrapToken);
    // The Helm way: the region's chart at the operator's version, the token only in the values on stdin.
    expect(install.json.helmCommand).toBe(`curl -fsSL https://cp.example.test/install/${install.json.bootstrapToken}/helm | bash`);
    const helmScript = await (await fetch(`${cp.url}/install/${install.json.bootstrapToken}/helm`)).text();
    const helmLine = helmScript.split('\n').find((l) => l.startsWith('helm upgrade --install'))!;
    expect(helmLine.startsWith(`helm upgrade --install qhc ${DEFAULT_CHART_REPOSITORY_URL}/qhc --version `)).toBe(true);
    expect(helmScript).toContain(`bootstrapToken: ${install.json.bootstrapToken}`);
    expect(helmScript).toContain('--namespace ns-eu-1 --create-namespace');
    // A newer command makes the older unused one invalid.
    const newer = await call('POST', '/api/v1/regions/eu-1/installation');
    expect((await call('POST', '/agent/v1/register', undefined, install.json.bootstrapToken)).status).toBe(401);
    const first = await call('POST', '/agent/v1/register', undefined, newer.json.bootstrapToken);
    expect(first.json).toMatchObject({ region: 'eu-1', token: expect.stringMatching(/^qhc_a_/) });
    expect((await call('POST', '/agent/v1/register', undefined, newer.json.bootstrapToken)).status).toBe(401);
    expect((await fetch(`${cp.url}/install/${newer.json.bootstrapToken}`)).status).toBe(401);
    expect((await fetch(`${cp.url}/install/${newer.json.bootstrapToken}/helm`)).status).toBe(401);
    // Rotation: the new credential works, the old one no longer does.
    const rotated = await call('POST', '/agent/v1/rotate', undefined, first.json.token);
    expect((await call('GET', '/agent/v1/desired-state', undefined, rotated.json.token)).status).toBe(200);
    expect((await call('GET', '/agent/v1/desired-state', undefined, first.json.token)).status).toBe(401);
  });

  it('clusters: create, update, scale, delete; the desired state follows with a new revision each time', async () => {
    const agent = await installAgent('eu-1');
    const before = (await call('GET', '/agent/v1/desired-state', undefined, agent)).json.revision;
    const created = await call('POST', '/api/v1/regions/eu-1/clusters', cluster('search', 3));
    expect(created.status).toBe(201);
    // The answers keep the contract the console and the CLI read them by (@qhc/schemas).
    expect(() => ClusterRecord.parse(created.json)).not.toThrow();
    const stored = (await call('GET', '/api/v1/regions/eu-1')).json;
    expect(() => RegionRecord.parse(stored)).not.toThrow();
    expect(
      (await call('POST', '/api/v1/regions/eu-1/clusters', { name: 'bad', spec: { size: 0 } })).json.problems.map((p: { path: string[] }) => p.path.join('.')),
    ).toEqual(expect.arrayContaining(['spec.version', 'spec.size']));
    await call('POST', '/api/v1/regions/eu-1/clusters/search/scale', { size: 5 });
    const desired = (await call('GET', `/agent/v1/desired-state?after=${before}`, undefined, agent)).json;
    expect(desired.revision).toBe(before + 2);
    expect(desired.clusters).toEqual([{ id: 'search', spec: expect.objectContaining({ id: 'search', size: 5, version: 'v1.16.2' }) }]);
    expect(desired.region).toMatchObject({ name: 'eu-1', namespace: 'ns-eu-1' });
    expect((await call('POST', '/api/v1/regions/eu-1/clusters/search/scale', { size: 'many' })).status).toBe(400);
    const restarted = await call('POST', '/api/v1/regions/eu-1/clusters/search/restart');
    expect(restarted.json.annotations.restartedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const withRestart = (await call('GET', `/agent/v1/desired-state?after=${desired.revision}`, undefined, agent)).json;
    expect(withRestart.clusters[0].annotations).toEqual({ restartedAt: restarted.json.annotations.restartedAt });

    expect((await call('DELETE', '/api/v1/regions/eu-1/clusters/search')).status).toBe(202);
    const afterDelete = (await call('GET', '/agent/v1/desired-state', undefined, agent)).json;
    expect([afterDelete.clusters, afterDelete.deletions]).toEqual([[], ['search']]);
    // Reported gone by an agent that has not applied the deletion yet: kept.
    await call('POST', '/agent/v1/status', { appliedRevision: before, clusters: [] }, agent);
    expect((await call('GET', '/api/v1/regions/eu-1/clusters/search')).status).toBe(200);
    await call('POST', '/agent/v1/status', { appliedRevision: afterDelete.revision, clusters: [] }, agent);
    expect((await call('GET', '/api/v1/regions/eu-1/clusters/search')).status).toBe(404);
  });

  it('backups, schedules and restores: validated, handed to the agent, their status and the ones found in the region listed', async () => {
    const agent = await installAgent('eu-1');
    expect((await call('POST', '/api/v1/regions/eu-1/clusters', cluster('search'))).status).toBe(201);
    const bad = await call('POST', '/api/v1/regions/eu-1/backup-schedules', {
      name: 's1',
      clusterId: 'search',
      spec: { 'cluster-id': 'search', scheduleShortId: 's1', schedule: '61 * * * *', retention: '1h' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.problems[0]).toMatchObject({ path: ['spec', 'schedule'] });
    expect(
      (await call('POST', '/api/v1/regions/eu-1/backups', { name: 'b1', clusterId: 'search', spec: { 'cluster-id': 'search', retention: '72h' } })).status,
    ).toBe(201);
    expect((await call('POST', '/api/v1/regions/eu-1/backups', { name: 'b1', clusterId: 'search', spec: { 'cluster-id': 'search' } })).status).toBe(409);
    const state = (await call('GET', '/agent/v1/desired-state', undefined, agent)).json;
    expect(state.resources).toEqual([{ kind: 'QdrantClusterSnapshot', name: 'b1', clusterId: 'search', spec: { 'cluster-id': 'search', retention: '72h' } }]);
    await call(
      'POST',
      '/agent/v1/status',
      {
        appliedRevision: state.revision,
        clusters: [],
        resources: [
          { kind: 'QdrantClusterSnapshot', name: 'b1', spec: { 'cluster-id': 'search' }, status: { phase: 'Succeeded' } },
          {
            kind: 'QdrantClusterSnapshot',
            name: 'nightly-1796119200',
            spec: { 'cluster-id': 'search', scheduleShortId: 'n1' },
            status: { phase: 'Succeeded' },
            created: '2026-12-01T02:00:00Z',
          },
        ],
      },
      agent,
    );
    const listed = (await call('GET', '/api/v1/regions/eu-1/backups')).json.items;
    expect(listed.map((b: { name: string; origin: string; status?: { phase?: string } }) => [b.name, b.origin, b.status?.phase])).toEqual([
      ['b1', 'control-plane', 'Succeeded'],
      ['nightly-1796119200', 'region', 'Succeeded'],
    ]);
    // A backup found in the region is deleted there through the same list.
    expect((await call('DELETE', '/api/v1/regions/eu-1/backups/nightly-1796119200')).status).toBe(202);
    const after = (await call('GET', '/agent/v1/desired-state', undefined, agent)).json;
    expect(after.resourceDeletions).toEqual([{ kind: 'QdrantClusterSnapshot', name: 'nightly-1796119200' }]);
    await call(
      'POST',
      '/agent/v1/status',
      {
        appliedRevision: after.revision,
        clusters: [],
        resources: [{ kind: 'QdrantClusterSnapshot', name: 'b1', spec: { 'cluster-id': 'search' }, status: { phase: 'Succeeded' } }],
      },
      agent,
    );
    expect((await call('GET', '/api/v1/regions/eu-1/backups')).json.items.map((b: { name: string }) => b.name)).toEqual(['b1']);
    expect((await call('DELETE', '/api/v1/regions/eu-1/restores/none')).status).toBe(404);
  });

  it('the agent long-polls: an answer as soon as the revision moves, 204 when nothing changed', async () => {
    const agent = await installAgent('eu-1');
    const { revision } = (await call('GET', '/agent/v1/desired-state', undefined, agent)).json;
    const idle = Date.now();
    expect((await call('GET', `/agent/v1/desired-state?after=${revision}&waitSeconds=1`, undefined, agent)).status).toBe(204);
    expect(Date.now() - idle).toBeGreaterThanOrEqual(900);
    const waiting = call('GET', `/agent/v1/desired-state?after=${revision}&waitSeconds=20`, undefined, agent);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await call('POST', '/api/v1/regions/eu-1/clusters', cluster('later'));
    const answered = await waiting;
    expect(answered.status).toBe(200);
    expect(answered.json.clusters.map((c: { id: string }) => c.id)).toContain('later');
  });

  it('an agent sees and changes only its own region', async () => {
    await call('POST', '/api/v1/regions', region('us-1'));
    await call('POST', '/api/v1/regions/us-1/clusters', cluster('us-only'));
    const eu = await installAgent('eu-1');
    const us = await installAgent('us-1');
    const euState = (await call('GET', '/agent/v1/desired-state', undefined, eu)).json;
    expect(euState.region.name).toBe('eu-1');
    expect(euState.clusters.map((c: { id: string }) => c.id)).not.toContain('us-only');
    // A report names clusters by id within the reporting agent's region: eu's agent cannot touch us-1's.
    await call('POST', '/agent/v1/status', { appliedRevision: 999, clusters: [{ id: 'us-only', phase: 'Healthy' }] }, eu);
    expect((await call('GET', '/api/v1/regions/us-1/clusters/us-only')).json.status).toBeUndefined();
    await call(
      'POST',
      '/agent/v1/status',
      { appliedRevision: 1, region: { phase: 'Ready' }, clusters: [{ id: 'us-only', phase: 'Healthy', nodesReady: 1 }] },
      us,
    );
    expect((await call('GET', '/api/v1/regions/us-1/clusters/us-only')).json.status).toEqual({ id: 'us-only', phase: 'Healthy', nodesReady: 1 });
    expect((await call('GET', '/api/v1/regions/us-1')).json).toMatchObject({ appliedRevision: 1, status: { phase: 'Ready' }, lastSeenAt: expect.any(String) });
    expect((await call('POST', '/agent/v1/status', { clusters: 'all' }, us)).status).toBe(400);
    expect((await call('GET', '/api/v1/regions/us-1/clusters', undefined, us)).status).toBe(403);
  });

  it('serves its OpenAPI document', async () => {
    const doc = (await call('GET', '/openapi.json', undefined, null)).json;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/regions', '/agent/v1/desired-state', '/install/{bootstrapToken}']));
    expect(doc.components.schemas.Region.properties.namespace).toBeDefined();
  });

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
    const script = await (await fetch(`${cp.url}/install/${install.json.bootstrapToken}`)).text();
    // The filled pull Secret, on kubectl's standard input.
    const secret = script.split('\n').find((l) => l.includes('.dockerconfigjson'))!;
    expect(secret).toContain(`{"auths":{"registry.internal:5000":{"auth":"${Buffer.from(`puller:${password}`).toString('base64')}"}}}`);
    const helmScript = await (await fetch(`${cp.url}/install/${install.json.bootstrapToken}/helm`)).text();
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
    const db = cp.store.db;
    const reads: Array<Promise<{ revision: number; registryCredentials?: unknown }>> = [];
    // After each statement, before the next: the read queues on the connection the statement still holds.
    const afterEachStatement: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => (reads.push(desiredState(db, stored.id)), args.result),
    };
    const store = cp.store as { db: Db };
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

  it('restarted on the same database, it has lost nothing; migrations run once', async () => {
    const regions = (await call('GET', '/api/v1/regions')).json.items;
    await cp.stop();
    cp = await start();
    expect((await call('GET', '/api/v1/regions')).json.items).toEqual(regions);
    const versions = await sqlOn(cp.store.db).all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.map((v) => Number(v.version))).toEqual(MIGRATIONS.map((m) => m.version));
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
