// UpdateHybridCloudEnvironment: the whole name and configuration, or only the update_mask's
// paths; the namespace stays; a region /api/v1 made keeps what the mask leaves out.
import { Code } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { parseRegionInput } from '../src/api/inputs.ts';
import { cloudPlane, failure, type CloudPlane } from './support/cloud.ts';
import { codeOf, createEnvironment, grpcHybridClient, uniqueName, type ConfigurationInit, type HybridClient } from './support/hybrid.ts';
import { sqlOn } from './support/sql.ts';

const specOf = async (plane: CloudPlane, id: string) =>
  JSON.parse((await sqlOn(plane.cp.store.db).one<{ spec: string }>('SELECT spec FROM regions WHERE id = $1', [id]))!.spec);

const updateOf = (plane: CloudPlane, client: HybridClient) => (id: string, name: string, configuration: ConfigurationInit, paths?: string[]) =>
  client
    .updateHybridCloudEnvironment(
      { hybridCloudEnvironment: { accountId: plane.cp.accountId, id, name, configuration }, ...(paths ? { updateMask: { paths } } : {}) },
      { headers: plane.auth() },
    )
    .then((r) => r.hybridCloudEnvironment!);

describe('update with a mask', () => {
  const plane = cloudPlane('sqlite');
  const START: ConfigurationInit = { namespace: 'qhc', httpProxyUrl: 'http://old:1', noProxyConfigs: ['.a'], databaseStorageClass: 'fast', logLevel: 1 };

  it('changes only the masked configuration fields, keeping the name and the rest as sent', async () => {
    const client = grpcHybridClient(plane);
    const env = await createEnvironment(plane, client, START);
    const next = await updateOf(plane, client)(env.id, 'ignored-name', { namespace: 'qhc', httpProxyUrl: 'http://new:2', noProxyConfigs: ['.b'] }, [
      'configuration.http_proxy_url',
    ]);
    expect(next.name).toBe(env.name);
    expect(next.configuration).toMatchObject({
      namespace: 'qhc',
      httpProxyUrl: 'http://new:2',
      noProxyConfigs: ['.a'],
      databaseStorageClass: 'fast',
      logLevel: 1,
    });
    const spec = await specOf(plane, env.id);
    expect(spec.advanced.proxy).toEqual({ httpProxy: 'http://new:2', noProxy: ['.a'] });
    expect(spec.advanced.logLevel).toEqual({ operator: 'DEBUG', agent: 'DEBUG' });
  });

  it('clears a masked field the request leaves unset, and renames with `name`', async () => {
    const client = grpcHybridClient(plane);
    const env = await createEnvironment(plane, client, START);
    const name = uniqueName('renamed');
    const next = await updateOf(plane, client)(env.id, name, { namespace: 'qhc' }, ['name', 'configuration.database_storage_class', 'configuration.log_level']);
    expect(next.name).toBe(name);
    expect(next.configuration?.databaseStorageClass).toBeUndefined();
    expect(next.configuration?.logLevel).toBeUndefined();
    expect(next.configuration?.httpProxyUrl).toBe('http://old:1');
    expect((await specOf(plane, env.id)).operatorSettings.settings.storage.default_storage_class_names.db).toBe('');
  });

  it('replaces the whole configuration with the `configuration` path; the namespace may be sent unchanged', async () => {
    const client = grpcHybridClient(plane);
    const env = await createEnvironment(plane, client, START);
    const next = await updateOf(plane, client)(env.id, env.name, { namespace: 'qhc', snapshotStorageClass: 'slow' }, ['configuration']);
    expect(next.configuration).toMatchObject({ namespace: 'qhc', snapshotStorageClass: 'slow', noProxyConfigs: [] });
    expect(next.configuration?.httpProxyUrl).toBeUndefined();
  });

  it('keeps the namespace: a full update sending another is refused, one sending the same is not', async () => {
    const client = grpcHybridClient(plane);
    const env = await createEnvironment(plane, client, START);
    expect(codeOf(await failure(updateOf(plane, client)(env.id, env.name, { ...START, namespace: 'elsewhere' })))).toBe(Code.InvalidArgument);
    expect((await specOf(plane, env.id)).namespace).toBe('qhc');
    expect((await updateOf(plane, client)(env.id, env.name, { ...START, httpProxyUrl: 'http://other:3' })).configuration?.httpProxyUrl).toBe('http://other:3');
  });
});

describe('updating a region the retired /api/v1 made', () => {
  const plane = cloudPlane('sqlite');

  it('keeps its spec name, versions and operator settings when the mask leaves them out', async () => {
    const client = grpcHybridClient(plane);
    const store = plane.cp.store;
    const body = {
      name: 'legacy',
      namespace: 'ns-legacy',
      agentVersion: '0.0.7',
      operatorVersion: '0.0.8',
      operatorSettings: { settings: { backupTimeout: 99 } },
    };
    const old = await store.createRegion(parseRegionInput(body, store.defaults));
    const next = await updateOf(plane, client)(old.id, 'Legacy_Renamed', { namespace: 'ns-legacy' }, ['name']);
    expect(next.name).toBe('Legacy_Renamed');
    const spec = await specOf(plane, old.id);
    expect(spec).toMatchObject({ name: 'legacy', namespace: 'ns-legacy', agentVersion: '0.0.7', operatorVersion: '0.0.8' });
    expect(spec.operatorSettings.settings.backupTimeout).toBe(99);
    expect(spec.advanced).toEqual(old.spec.advanced);
  });
});
