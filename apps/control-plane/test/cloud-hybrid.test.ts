// HybridCloudService over gRPC (HTTP/2 + TLS, as the Terraform provider calls): each rpc on
// SQLite and PostgreSQL, environments as regions (the /api/v1 ones listed too), names unique,
// other accounts' environments absent.
import { randomUUID } from 'node:crypto';
import { Code } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { parseClusterInput, parseRegionInput } from '../src/api/inputs.ts';
import { createOwnerKey } from './support/keys.ts';
import { cloudPlane, failure, type CloudPlane, type Dialect } from './support/cloud.ts';
import { codeOf, createEnvironment, grpcHybridClient, messageOf, uniqueName } from './support/hybrid.ts';
import { sqlOn } from './support/sql.ts';

const regionRow = async (plane: CloudPlane, id: string) =>
  (await sqlOn(plane.cp.store.db).one<{ name: string; spec: string; revision: number; cloud_configuration: string | null }>(
    'SELECT name, spec, revision, cloud_configuration FROM regions WHERE id = $1',
    [id],
  ))!;

describe.each(['sqlite', 'postgres'] as const)('HybridCloudService create, get, list on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it('creates an environment as a region: its id, the name as given, the spec named by the id', async () => {
    const client = grpcHybridClient(plane);
    const name = uniqueName('My_Env');
    const env = await createEnvironment(plane, client, { namespace: 'qhc-ns', httpProxyUrl: 'http://proxy.internal:3128' }, name);
    expect(env).toMatchObject({ accountId: plane.cp.accountId, name, bootstrapCommandsGenerated: false });
    expect(env.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(env.configuration).toMatchObject({ namespace: 'qhc-ns', httpProxyUrl: 'http://proxy.internal:3128' });
    expect(env.createdAt?.seconds).toBe(BigInt(plane.clock.now / 1000));
    const row = await regionRow(plane, env.id);
    expect(row.name).toBe(name);
    expect(JSON.parse(row.spec)).toMatchObject({ name: env.id, namespace: 'qhc-ns', advanced: { proxy: { httpProxy: 'http://proxy.internal:3128' } } });
    expect(row.cloud_configuration).toEqual(expect.any(String));

    const got = await client.getHybridCloudEnvironment({ accountId: plane.cp.accountId, hybridCloudEnvironmentId: env.id }, { headers: plane.auth() });
    expect(got.hybridCloudEnvironment).toEqual(env);
  });

  it('lists the account environments with the regions /api/v1 made, under their current names', async () => {
    const client = grpcHybridClient(plane);
    const store = plane.cp.store;
    const old = await store.createRegion(
      parseRegionInput({ name: 'made-by-api-v1', namespace: 'ns-old', agentVersion: '0.1.0', operatorVersion: '0.1.0' }, store.defaults),
    );
    const env = await createEnvironment(plane, client);
    const listed = await client.listHybridCloudEnvironments({ accountId: plane.cp.accountId }, { headers: plane.auth() });
    const byId = new Map(listed.items.map((e) => [e.id, e]));
    expect(byId.get(env.id)?.name).toBe(env.name);
    expect(byId.get(old.id)).toMatchObject({ name: 'made-by-api-v1', accountId: plane.cp.accountId, configuration: { namespace: 'ns-old' } });
    // Its operator settings come whole, so an update with a mask keeps them.
    expect(byId.get(old.id)?.configuration?.advancedOperatorSettings).toEqual(JSON.parse(JSON.stringify(old.spec.operatorSettings)));
  });

  it('refuses a name already used (AlreadyExists) and writes nothing', async () => {
    const client = grpcHybridClient(plane);
    const env = await createEnvironment(plane, client);
    const again = await failure(createEnvironment(plane, client, { namespace: 'other' }, env.name));
    expect([codeOf(again), messageOf(again)]).toEqual([Code.AlreadyExists, `an environment named ${JSON.stringify(env.name)} already exists`]);
  });
});

describe.each(['sqlite', 'postgres'] as const)('HybridCloudService update and delete on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it('replaces the name and the whole configuration, deriving a new spec at a new revision', async () => {
    const client = grpcHybridClient(plane);
    const env = await createEnvironment(plane, client, { namespace: 'qhc', httpProxyUrl: 'http://p:1', databaseStorageClass: 'fast' });
    const before = await regionRow(plane, env.id);
    const name = uniqueName('renamed');
    const updated = await client.updateHybridCloudEnvironment(
      { hybridCloudEnvironment: { accountId: plane.cp.accountId, id: env.id, name, configuration: { namespace: 'qhc', noProxyConfigs: ['.internal'] } } },
      { headers: plane.auth() },
    );
    const next = updated.hybridCloudEnvironment!;
    expect(next.name).toBe(name);
    expect(next.configuration).toMatchObject({ namespace: 'qhc', noProxyConfigs: ['.internal'] });
    expect(next.configuration?.httpProxyUrl).toBeUndefined();
    expect(next.configuration?.databaseStorageClass).toBeUndefined();
    const row = await regionRow(plane, env.id);
    expect(row.revision).toBe(before.revision + 1);
    const spec = JSON.parse(row.spec);
    expect(spec.name).toBe(env.id);
    expect(spec.advanced.proxy).toEqual({ noProxy: ['.internal'] });
    expect(spec.operatorSettings.settings.storage.default_storage_class_names.db).toBe('');
  });

  it('deletes an environment as /api/v1 deletes a region; then it is NotFound', async () => {
    const client = grpcHybridClient(plane);
    const env = await createEnvironment(plane, client);
    const ids = { accountId: plane.cp.accountId, hybridCloudEnvironmentId: env.id };
    expect(await client.deleteHybridCloudEnvironment(ids, { headers: plane.auth() })).toMatchObject({});
    for (const call of [
      () => client.getHybridCloudEnvironment(ids, { headers: plane.auth() }),
      () => client.deleteHybridCloudEnvironment(ids, { headers: plane.auth() }),
    ]) {
      const gone = await failure(call());
      expect([codeOf(gone), messageOf(gone)]).toEqual([Code.NotFound, `hybrid cloud environment ${env.id} does not exist`]);
    }
    const listed = await client.listHybridCloudEnvironments({ accountId: plane.cp.accountId }, { headers: plane.auth() });
    expect(listed.items.map((e) => e.id)).not.toContain(env.id);
  });

  it('deletes an environment holding clusters as /api/v1 does: its clusters and tokens go with it', async () => {
    const client = grpcHybridClient(plane);
    const env = await createEnvironment(plane, client);
    const store = plane.cp.store;
    const spec = { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } };
    await store.createCluster(await store.regionById(env.id), parseClusterInput({ name: 'held', spec }));
    await client.generateBootstrapCommands({ accountId: plane.cp.accountId, hybridCloudEnvironmentId: env.id }, { headers: plane.auth() });
    const count = async (table: string) =>
      Number((await sqlOn(store.db).one<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE region_id = $1`, [env.id]))!.n);
    expect([await count('clusters'), await count('tokens')]).toEqual([1, 1]);
    await client.deleteHybridCloudEnvironment({ accountId: plane.cp.accountId, hybridCloudEnvironmentId: env.id }, { headers: plane.auth() });
    expect([await count('clusters'), await count('tokens')]).toEqual([0, 0]);
  });
});

describe.each(['sqlite', 'postgres'] as const)('HybridCloudService and other accounts on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it("answers another account's environment as NotFound, on every rpc", async () => {
    const client = grpcHybridClient(plane);
    const other = randomUUID();
    await sqlOn(plane.cp.store.db).run('INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3)', [
      other,
      'other',
      new Date(plane.clock.now).toISOString(),
    ]);
    const { key } = await createOwnerKey(plane.cp.store.db, { accountId: other, now: () => plane.clock.now });
    const theirs = await client.createHybridCloudEnvironment(
      { hybridCloudEnvironment: { accountId: other, name: uniqueName('theirs'), configuration: { namespace: 'qhc' } } },
      { headers: plane.auth(key) },
    );
    const id = theirs.hybridCloudEnvironment!.id;
    const mine = { accountId: plane.cp.accountId, hybridCloudEnvironmentId: id };
    const calls = [
      () => client.getHybridCloudEnvironment(mine, { headers: plane.auth() }),
      () => client.deleteHybridCloudEnvironment(mine, { headers: plane.auth() }),
      () => client.generateBootstrapCommands(mine, { headers: plane.auth() }),
      () =>
        client.updateHybridCloudEnvironment(
          { hybridCloudEnvironment: { accountId: plane.cp.accountId, id, name: 'x', configuration: { namespace: 'qhc' } } },
          { headers: plane.auth() },
        ),
    ];
    for (const call of calls) expect(codeOf(await failure(call()))).toBe(Code.NotFound);
    const listed = await client.listHybridCloudEnvironments({ accountId: plane.cp.accountId }, { headers: plane.auth() });
    expect(listed.items.map((e) => e.id)).not.toContain(id);
    const theirList = await client.listHybridCloudEnvironments({ accountId: other }, { headers: plane.auth(key) });
    expect(theirList.items.map((e) => e.id)).toEqual([id]);
  });
});
