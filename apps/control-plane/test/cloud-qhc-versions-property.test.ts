// Property tests of UpdateEnvironmentVersions over gRPC: any valid pair of versions is what the desired
// state and GetEnvironmentVersions then hold, exactly as sent; any malformed one is refused naming its
// field, with the database unchanged.
import { Code, type ConnectError } from '@connectrpc/connect';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloudPlane, failure } from './support/cloud.ts';
import { qhcClients, qhcDigest, seedRegion } from './support/qhc.ts';

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const part = fc.nat({ max: 9999 }).map(String);
const suffix = (mark: string) =>
  fc.option(
    fc.stringMatching(/^[0-9A-Za-z.-]{1,12}$/).map((s) => `${mark}${s}`),
    { nil: '' },
  );
const version = fc
  .tuple(fc.constantFrom('', 'v'), part, part, part, suffix('-'), suffix('+'))
  .map(([v, major, minor, patch, pre, build]) => `${v}${major}.${minor}.${patch}${pre}${build}`);

describe('versions as sent', () => {
  const plane = cloudPlane('sqlite');

  it('every valid pair is stored and answered exactly as sent', async () => {
    const { environments } = qhcClients(plane);
    const region = await seedRegion(plane, 'property');
    const ids = { accountId: plane.cp.accountId, hybridCloudEnvironmentId: region.id };
    await fc.assert(
      fc.asyncProperty(version, version, async (agentVersion, operatorVersion) => {
        await environments.updateEnvironmentVersions({ ...ids, agentVersion, operatorVersion }, { headers: plane.auth() });
        const read = (await environments.getEnvironmentVersions(ids, { headers: plane.auth() })).versions!;
        expect([read.agent?.desired, read.operator?.desired]).toEqual([agentVersion, operatorVersion]);
        const desired = await plane.cp.store.desiredState(region.id);
        expect([desired.region.agentVersion, desired.region.operatorVersion]).toEqual([agentVersion, operatorVersion]);
      }),
      { seed: 21, numRuns: 200 },
    );
  });

  it('every malformed version is refused naming its field, writing nothing', async () => {
    const { environments } = qhcClients(plane);
    const region = await seedRegion(plane, 'property-refused');
    const ids = { accountId: plane.cp.accountId, hybridCloudEnvironmentId: region.id };
    const malformed = fc.string({ maxLength: 40 }).filter((s) => !SEMVER.test(s));
    const before = await qhcDigest(plane);
    await fc.assert(
      fc.asyncProperty(malformed, fc.boolean(), async (bad, onAgent) => {
        const fields = onAgent ? { agentVersion: bad } : { operatorVersion: bad };
        const refused = (await failure(environments.updateEnvironmentVersions({ ...ids, ...fields }, { headers: plane.auth() }))) as ConnectError;
        expect(refused.code).toBe(Code.InvalidArgument);
        expect(refused.rawMessage.startsWith(onAgent ? 'agent_version: ' : 'operator_version: ')).toBe(true);
      }),
      { seed: 21, numRuns: 200 },
    );
    expect(await qhcDigest(plane)).toEqual(before);
  });
});
