// qhc.v1 refusals over gRPC: another account's environment is NotFound, as a missing one; malformed
// token ids and pages name the field; an installation that could not work is FailedPrecondition.
// Each leaves the database as it was.
import { randomUUID } from 'node:crypto';
import { Code, type ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { cloudPlane, failure } from './support/cloud.ts';
import { otherAccount, qhcClients, qhcDigest, seedRegion } from './support/qhc.ts';

const codeAndMessage = (error: unknown) => [(error as ConnectError).code, (error as ConnectError).rawMessage];

describe("another account's environment over gRPC", () => {
  const plane = cloudPlane('sqlite');

  it('is NotFound for every rpc, and writes nothing', async () => {
    const { environments } = qhcClients(plane);
    const region = await seedRegion(plane, 'mine');
    const other = await otherAccount(plane);
    const req = { accountId: other.accountId, hybridCloudEnvironmentId: region.id };
    const headers = { headers: plane.auth(other.key) };
    const before = await qhcDigest(plane);
    const calls = [
      () => environments.getEnvironmentVersions(req, headers),
      () => environments.updateEnvironmentVersions({ ...req, agentVersion: '9.9.9' }, headers),
      () => environments.createInstallation(req, headers),
      () => environments.listAgentTokens(req, headers),
      () => environments.revokeAgentToken({ ...req, agentTokenId: randomUUID() }, headers),
      () => environments.getEnvironmentHealth(req, headers),
      () => environments.getRegistryCredentials(req, headers),
      () => environments.setRegistryCredentials({ ...req, username: 'u', password: 'p' }, headers),
      () => environments.deleteRegistryCredentials(req, headers),
    ];
    for (const call of calls) expect(codeAndMessage(await failure(call()))).toEqual([Code.NotFound, `hybrid cloud environment ${region.id} does not exist`]);
    expect(await qhcDigest(plane)).toEqual(before);
  });
});

describe('malformed agent-token requests over gRPC', () => {
  const plane = cloudPlane('sqlite');
  const ids = (regionId: string) => ({ accountId: plane.cp.accountId, hybridCloudEnvironmentId: regionId });

  it('names agent_token_id, page_size and page_token; a token of another environment is NotFound', async () => {
    const { environments } = qhcClients(plane);
    const region = await seedRegion(plane, 'tokens-a');
    const elsewhere = await seedRegion(plane, 'tokens-b');
    await environments.createInstallation(ids(elsewhere.id), { headers: plane.auth() });
    const foreign = (await environments.listAgentTokens(ids(elsewhere.id), { headers: plane.auth() })).items[0]!;
    const before = await qhcDigest(plane);
    const revoke = (agentTokenId: string) => failure(environments.revokeAgentToken({ ...ids(region.id), agentTokenId }, { headers: plane.auth() }));
    expect(codeAndMessage(await revoke('t1'))).toEqual([Code.InvalidArgument, 'agent_token_id: "t1" is not a UUID']);
    expect(codeAndMessage(await revoke(''))).toEqual([Code.InvalidArgument, 'agent_token_id: missing']);
    expect(codeAndMessage(await revoke(foreign.id))).toEqual([
      Code.NotFound,
      `agent token ${foreign.id} does not exist in hybrid cloud environment ${region.id}`,
    ]);
    const list = (page: { pageSize?: number; pageToken?: string }) =>
      failure(environments.listAgentTokens({ ...ids(region.id), ...page }, { headers: plane.auth() }));
    expect(codeAndMessage(await list({ pageSize: 1001 }))).toEqual([Code.InvalidArgument, expect.stringMatching(/^page_size: must be between 0/)]);
    expect(codeAndMessage(await list({ pageSize: -1 }))).toEqual([Code.InvalidArgument, expect.stringMatching(/^page_size: /)]);
    expect(codeAndMessage(await list({ pageToken: 'not a token' }))).toEqual([Code.InvalidArgument, expect.stringMatching(/^page_token: not a page token/)]);
    expect(await qhcDigest(plane)).toEqual(before);
  });

  it('refuses to revoke a token twice (FailedPrecondition), changing nothing the second time', async () => {
    const { environments } = qhcClients(plane);
    const region = await seedRegion(plane, 'tokens-twice');
    await environments.createInstallation(ids(region.id), { headers: plane.auth() });
    const token = (await environments.listAgentTokens(ids(region.id), { headers: plane.auth() })).items[0]!;
    await environments.revokeAgentToken({ ...ids(region.id), agentTokenId: token.id }, { headers: plane.auth() });
    const before = await qhcDigest(plane);
    const again = await failure(environments.revokeAgentToken({ ...ids(region.id), agentTokenId: token.id }, { headers: plane.auth() }));
    expect(codeAndMessage(again)).toEqual([Code.FailedPrecondition, `agent token ${token.id} is already revoked`]);
    expect(await qhcDigest(plane)).toEqual(before);
  });
});

describe('an installation that could not work', () => {
  const plane = cloudPlane('sqlite', { publicUrl: 'http://cp.example.test' });

  it('is FailedPrecondition and issues no token', async () => {
    const { environments } = qhcClients(plane);
    const region = await seedRegion(plane, 'plain-http');
    const before = await qhcDigest(plane);
    const refused = await failure(
      environments.createInstallation({ accountId: plane.cp.accountId, hybridCloudEnvironmentId: region.id }, { headers: plane.auth() }),
    );
    expect(codeAndMessage(refused)).toEqual([
      Code.FailedPrecondition,
      expect.stringMatching(/^the control plane's public URL \(--public-url\) is http:\/\/cp\.example\.test/),
    ]);
    expect(await qhcDigest(plane)).toEqual(before);
  });
});
