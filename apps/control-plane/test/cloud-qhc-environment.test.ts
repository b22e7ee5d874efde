// qhc.v1.EnvironmentAgentService over gRPC (HTTP/2 + TLS): versions (desired, reported, available)
// and their upgrade into the desired state, the installation, the environment's agent tokens, its health.
import { randomUUID } from 'node:crypto';
import { Code, type ConnectError } from '@connectrpc/connect';
import { qhcV1 } from '@qhc/cloud-api';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../src/auth.ts';
import type { Request } from '../src/api/http.ts';
import { exchangeBootstrap } from '../src/repositories/tokens.ts';
import { RELEASE_VERSION } from '../src/release.ts';
import { cloudPlane, failure } from './support/cloud.ts';
import { healthReport, qhcClients, qhcDigest, report, seedRegion } from './support/qhc.ts';

const codeAndMessage = (error: unknown) => [(error as ConnectError).code, (error as ConnectError).rawMessage];

describe('environment versions over gRPC', () => {
  const plane = cloudPlane('sqlite');
  const ids = (regionId: string) => ({ accountId: plane.cp.accountId, hybridCloudEnvironmentId: regionId });

  it('answers desired, reported and available versions', async () => {
    const { environments } = qhcClients(plane);
    const region = await seedRegion(plane, 'versions-read');
    const fresh = (await environments.getEnvironmentVersions(ids(region.id), { headers: plane.auth() })).versions!;
    expect(fresh.agent).toMatchObject({ desired: '0.1.0', reported: '' });
    expect(fresh.operator).toMatchObject({ desired: '0.1.0', reported: '' });
    expect(fresh.availableVersions).toEqual([RELEASE_VERSION]);
    await report(plane, region.id, { appliedRevision: region.revision, region: { phase: 'Ready' }, health: healthReport() });
    const reported = (await environments.getEnvironmentVersions(ids(region.id), { headers: plane.auth() })).versions!;
    expect([reported.agent?.reported, reported.operator?.reported]).toEqual(['0.0.9', '0.1.0']);
  });

  it('upgrades the desired state: the new versions at a new revision, an unset one kept', async () => {
    const { environments } = qhcClients(plane);
    const region = await seedRegion(plane, 'versions-upgrade');
    const answer = await environments.updateEnvironmentVersions({ ...ids(region.id), agentVersion: '0.2.0' }, { headers: plane.auth() });
    expect([answer.versions?.agent?.desired, answer.versions?.operator?.desired]).toEqual(['0.2.0', '0.1.0']);
    const desired = await plane.cp.store.desiredState(region.id);
    expect([desired.revision, desired.region.agentVersion, desired.region.operatorVersion]).toEqual([region.revision + 1, '0.2.0', '0.1.0']);
    await environments.updateEnvironmentVersions({ ...ids(region.id), agentVersion: '0.3.0', operatorVersion: 'v0.3.0' }, { headers: plane.auth() });
    const both = await plane.cp.store.desiredState(region.id);
    expect([both.revision, both.region.agentVersion, both.region.operatorVersion]).toEqual([region.revision + 2, '0.3.0', 'v0.3.0']);
    // The same versions again change nothing: no new revision for the agent to apply.
    await environments.updateEnvironmentVersions({ ...ids(region.id), agentVersion: '0.3.0' }, { headers: plane.auth() });
    expect((await plane.cp.store.desiredState(region.id)).revision).toBe(region.revision + 2);
  });

  it('refuses malformed versions and ids naming the field, and writes nothing', async () => {
    const { environments } = qhcClients(plane);
    const region = await seedRegion(plane, 'versions-refused');
    const before = await qhcDigest(plane);
    const cases: Array<[Partial<qhcV1.UpdateEnvironmentVersionsRequest>, Code, RegExp]> = [
      [{ agentVersion: 'latest' }, Code.InvalidArgument, /^agent_version: "latest" must be a version/],
      [{ agentVersion: '1.0.0', operatorVersion: '' }, Code.InvalidArgument, /^operator_version: "" must be a version/],
      [{}, Code.InvalidArgument, /^agent_version, operator_version: set at least one$/],
      [{ hybridCloudEnvironmentId: 'nope', agentVersion: '1.0.0' }, Code.InvalidArgument, /^hybrid_cloud_environment_id: "nope" is not a UUID$/],
      [{ hybridCloudEnvironmentId: '', agentVersion: '1.0.0' }, Code.InvalidArgument, /^hybrid_cloud_environment_id: missing$/],
      [{ hybridCloudEnvironmentId: randomUUID(), agentVersion: '1.0.0' }, Code.NotFound, /^hybrid cloud environment [0-9a-f-]{36} does not exist$/],
    ];
    for (const [fields, code, message] of cases) {
      const refused = await failure(environments.updateEnvironmentVersions({ ...ids(region.id), ...fields }, { headers: plane.auth() }));
      expect(codeAndMessage(refused)).toEqual([code, expect.stringMatching(message)]);
    }
    expect(await qhcDigest(plane)).toEqual(before);
  });
});

describe('installation and agent tokens over gRPC', () => {
  const plane = cloudPlane('sqlite');
  const ids = (regionId: string) => ({ accountId: plane.cp.accountId, hybridCloudEnvironmentId: regionId });

  it('issues an installation: a bootstrap token, its commands, the chart and its values', async () => {
    const { environments } = qhcClients(plane);
    const region = await seedRegion(plane, 'install');
    const first = (await environments.createInstallation(ids(region.id), { headers: plane.auth() })).installation!;
    expect(first.bootstrapToken).toMatch(/^qhc_b_/);
    expect(first.command).toBe(`curl -fsSL ${plane.cp.url}/install/${first.bootstrapToken} | bash`);
    expect(first.helmCommand).toBe(`curl -fsSL ${plane.cp.url}/install/${first.bootstrapToken}/helm | bash`);
    expect(first.helmChart).toMatch(/\/qhc$/);
    expect(JSON.stringify(first.helmValues)).toContain(first.bootstrapToken);
    expect(Number(first.expiresAt!.seconds) * 1000).toBe(plane.clock.now + 24 * 3600_000);
    // A second installation (a second later: the list is in creation order) revokes the first's unused token.
    plane.clock.now += 1000;
    await environments.createInstallation(ids(region.id), { headers: plane.auth() });
    const tokens = (await environments.listAgentTokens(ids(region.id), { headers: plane.auth() })).items;
    expect(tokens.map((t) => [t.kind, t.revokedAt !== undefined])).toEqual([
      [qhcV1.AgentTokenKind.BOOTSTRAP, true],
      [qhcV1.AgentTokenKind.BOOTSTRAP, false],
    ]);
  });

  it('lists the environment tokens a page at a time and revokes the agent token: the agent is refused', async () => {
    const { environments } = qhcClients(plane);
    const region = await seedRegion(plane, 'tokens');
    const { bootstrapToken } = (await environments.createInstallation(ids(region.id), { headers: plane.auth() })).installation!;
    // A second later, so the list's order (creation time, then id) is the bootstrap token, then the agent's.
    plane.clock.now += 1000;
    const agent = (await exchangeBootstrap(plane.cp.store.db, bootstrapToken, () => plane.clock.now))!.token;
    const first = await environments.listAgentTokens({ ...ids(region.id), pageSize: 1 }, { headers: plane.auth() });
    const second = await environments.listAgentTokens({ ...ids(region.id), pageSize: 1, pageToken: first.nextPageToken }, { headers: plane.auth() });
    expect(first.items.map((t) => t.kind)).toEqual([qhcV1.AgentTokenKind.BOOTSTRAP]);
    expect(second.items.map((t) => [t.kind, t.name])).toEqual([[qhcV1.AgentTokenKind.AGENT, 'agent']]);
    expect(first.items[0]!.usedAt).toBeDefined();
    const asAgent = () =>
      authenticate(plane.cp.store.db, { headers: { authorization: `Bearer ${agent}` } } as unknown as Request, ['agent'], () => plane.clock.now);
    await expect(asAgent()).resolves.toMatchObject({ kind: 'agent' });
    await environments.revokeAgentToken({ ...ids(region.id), agentTokenId: second.items[0]!.id }, { headers: plane.auth() });
    await expect(asAgent()).rejects.toMatchObject({ status: 401 });
    const listed = (await environments.listAgentTokens(ids(region.id), { headers: plane.auth() })).items;
    expect(listed.find((t) => t.id === second.items[0]!.id)?.revokedAt?.seconds).toBe(BigInt(plane.clock.now / 1000));
  });
});
