// qhc.v1 registry pull credentials over gRPC: write-only (only the user name is answered), stored for
// the installation and the agent at a new revision, removable; malformed ones name the field.
import { Code, type ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { registryCredentials } from '../src/repositories/regions.ts';
import { cloudPlane, failure } from './support/cloud.ts';
import { qhcClients, qhcDigest, seedRegion } from './support/qhc.ts';

const codeAndMessage = (error: unknown) => [(error as ConnectError).code, (error as ConnectError).rawMessage];

describe.each(['sqlite', 'postgres'] as const)('registry credentials over gRPC on %s', (dialect) => {
  const plane = cloudPlane(dialect);
  const ids = (regionId: string) => ({ accountId: plane.cp.accountId, hybridCloudEnvironmentId: regionId });

  it('sets them write-only at a new revision, answers the user name, and removes them', async () => {
    const { environments } = qhcClients(plane);
    const region = await seedRegion(plane, 'registry');
    expect((await environments.getRegistryCredentials(ids(region.id), { headers: plane.auth() })).registryCredentials).toBeUndefined();
    const set = await environments.setRegistryCredentials({ ...ids(region.id), username: 'robot', password: 's3cret' }, { headers: plane.auth() });
    expect(set.registryCredentials?.username).toBe('robot');
    expect(JSON.stringify(set)).not.toContain('s3cret');
    const read = await environments.getRegistryCredentials(ids(region.id), { headers: plane.auth() });
    expect([read.registryCredentials?.username, JSON.stringify(read).includes('s3cret')]).toEqual(['robot', false]);
    expect(await registryCredentials(plane.cp.store.db, region.id)).toEqual({ username: 'robot', password: 's3cret' });
    expect((await plane.cp.store.desiredState(region.id)).revision).toBe(region.revision + 1);
    const installation = (await environments.createInstallation(ids(region.id), { headers: plane.auth() })).installation!;
    expect(JSON.stringify(installation.helmValues)).toContain('s3cret');

    await environments.deleteRegistryCredentials(ids(region.id), { headers: plane.auth() });
    expect((await environments.getRegistryCredentials(ids(region.id), { headers: plane.auth() })).registryCredentials).toBeUndefined();
    expect(await registryCredentials(plane.cp.store.db, region.id)).toBeUndefined();
    const again = await failure(environments.deleteRegistryCredentials(ids(region.id), { headers: plane.auth() }));
    expect(codeAndMessage(again)).toEqual([Code.NotFound, `hybrid cloud environment ${region.id} has no registry credentials`]);
  });

  it('refuses malformed credentials naming the field, and writes nothing', async () => {
    const { environments } = qhcClients(plane);
    const region = await seedRegion(plane, 'registry-refused');
    const before = await qhcDigest(plane);
    const cases: Array<[{ username: string; password: string }, string]> = [
      [{ username: '', password: 'p' }, 'username: the registry user name is required'],
      [{ username: 'robot', password: 'two\nlines' }, 'password: must be one line without control characters'],
      [{ username: 'x'.repeat(257), password: 'p' }, 'username: Too big: expected string to have <=256 characters'],
    ];
    for (const [fields, message] of cases) {
      const refused = await failure(environments.setRegistryCredentials({ ...ids(region.id), ...fields }, { headers: plane.auth() }));
      expect(codeAndMessage(refused)).toEqual([Code.InvalidArgument, message]);
    }
    expect(await qhcDigest(plane)).toEqual(before);
  });
});
