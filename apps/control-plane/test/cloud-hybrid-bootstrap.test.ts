// GenerateBootstrapCommands: an installation command with a bootstrap token that works
// on the installation route and registers an agent; then the environment's status in the API's
// words from what that agent reports.
import { Code } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { createClient } from '@connectrpc/connect';
import { hybridV1 } from '@qhc/cloud-api';
import type { RegionHealth } from '@qhc/schemas';
import { describe, expect, it } from 'vitest';
import { updateRegion } from '../src/repositories/regions.ts';
import { cloudPlane, failure, type CloudPlane } from './support/cloud.ts';
import { callApi } from './support/http.ts';
import { codeOf, createEnvironment, grpcHybridClient, https, hybridDigest, messageOf, type HybridClient } from './support/hybrid.ts';

const ids = (plane: CloudPlane, id: string) => ({ accountId: plane.cp.accountId, hybridCloudEnvironmentId: id });

async function bootstrapped(plane: CloudPlane, client: HybridClient) {
  const env = await createEnvironment(plane, client, { namespace: 'qhc-boot' });
  const answer = await client.generateBootstrapCommands(ids(plane, env.id), { headers: plane.auth() });
  return { env, answer };
}

describe('GenerateBootstrapCommands', () => {
  const plane = cloudPlane('sqlite');

  it('answers an installation command; its token fetches the installation and registers an agent', async () => {
    const client = grpcHybridClient(plane);
    const { env, answer } = await bootstrapped(plane, client);
    expect(answer.accessKey).toMatch(/^qhc_b_/);
    expect(answer.commands).toEqual([`curl -fsSL ${plane.cp.url}/install/${answer.accessKey} | bash`]);
    expect([answer.registryUsername, answer.registryPassword]).toEqual(['', '']);
    const got = await client.getHybridCloudEnvironment(ids(plane, env.id), { headers: plane.auth() });
    expect(got.hybridCloudEnvironment?.bootstrapCommandsGenerated).toBe(true);

    const script = await https(plane, 'GET', `/install/${answer.accessKey}`);
    expect(script.status).toBe(200);
    expect(script.text).toContain('qhc-boot');
    const registered = await https(plane, 'POST', '/agent/v1/register', { token: answer.accessKey });
    expect(registered.status).toBe(201);
    expect(JSON.parse(registered.text).token).toMatch(/^qhc_a_/);
  });

  it('hands out the region registry credentials, and a new call replaces the unused token', async () => {
    const client = grpcHybridClient(plane);
    const { env, answer } = await bootstrapped(plane, client);
    const region = await plane.cp.store.regionById(env.id);
    await updateRegion(plane.cp.store.db, env.id, region.spec, { username: 'puller', password: 's3cret' });
    const again = await client.generateBootstrapCommands(ids(plane, env.id), { headers: plane.auth() });
    expect([again.registryUsername, again.registryPassword]).toEqual(['puller', 's3cret']);
    expect(again.accessKey).not.toBe(answer.accessKey);
    expect((await https(plane, 'GET', `/install/${answer.accessKey}`)).status).toBe(401);
    expect((await https(plane, 'GET', `/install/${again.accessKey}`)).status).toBe(200);
  });
});

describe('GenerateBootstrapCommands without an https public URL, and the REST gateway', () => {
  const plane = cloudPlane('sqlite', { https: false });
  const connect = () => createClient(hybridV1.HybridCloudService, createConnectTransport({ baseUrl: plane.cp.url, httpVersion: '1.1' }));

  it('is FailedPrecondition, and issues nothing', async () => {
    const client = connect();
    const env = await createEnvironment(plane, client);
    const before = await hybridDigest(plane);
    const refused = await failure(client.generateBootstrapCommands(ids(plane, env.id), { headers: plane.auth() }));
    expect(codeOf(refused)).toBe(Code.FailedPrecondition);
    expect(messageOf(refused)).toContain('--public-url');
    expect(await hybridDigest(plane)).toEqual(before);
  });

  it('lists environments as proto JSON at GET /api/hybrid/v1/accounts/{account_id}/hybrid-cloud-environments', async () => {
    const env = await createEnvironment(plane, connect(), { namespace: 'rest-ns', noProxyConfigs: ['.internal'], logLevel: 3 });
    const listed = await callApi(plane.cp.url, 'GET', `/api/hybrid/v1/accounts/${plane.cp.accountId}/hybrid-cloud-environments`, { headers: plane.auth() });
    expect(listed.status).toBe(200);
    const item = listed.json.items.find((e: { id: string }) => e.id === env.id);
    expect(item).toMatchObject({
      accountId: plane.cp.accountId,
      name: env.name,
      configuration: { namespace: 'rest-ns', noProxyConfigs: ['.internal'], logLevel: 'HYBRID_CLOUD_ENVIRONMENT_CONFIGURATION_LOG_LEVEL_WARN' },
      status: { message: expect.stringContaining('no agent has reported yet') },
    });
    expect(item.createdAt).toBe(new Date(plane.clock.now).toISOString().replace('.000Z', 'Z'));
  });
});

const health = (overrides: Partial<RegionHealth> = {}): RegionHealth => ({
  kubernetes: { version: 'v1.31.4-eks-2f4a1b', distribution: 'eks' },
  nodes: { count: 3 },
  storageClasses: [{ name: 'gp3', provisioner: 'ebs.csi.aws.com', default: true, allowVolumeExpansion: true, reclaimPolicy: 'Delete' }],
  volumeSnapshotClasses: [{ name: 'csi-snapclass', driver: 'ebs.csi.aws.com', default: true, deletionPolicy: 'Delete' }],
  capabilities: { volumeSnapshot: true, volumeExpansion: true },
  components: [{ name: 'qhc-operator', version: '0.1.0', ready: true }],
  canCreateClusters: true,
  collectedAt: '2026-12-03T21:00:00.000Z',
  ...overrides,
});
const report = (h: RegionHealth, phase = 'Ready') => ({
  appliedRevision: 1,
  region: { phase, numberOfNodes: 3, components: [{ name: 'qhc-agent', namespace: 'qhc-boot', version: '0.1.0', phase: 'Ready' }] },
  health: h,
  clusters: [],
});

describe('environment status from the agent report', () => {
  const plane = cloudPlane('sqlite');
  const { Phase, Creation } = { Phase: hybridV1.HybridCloudEnvironmentStatusPhaseSchema, Creation: hybridV1.QdrantClusterCreationStatusSchema };
  const phase = (name: string) => Phase.values.find((v) => v.localName === name)!.number;
  const creation = (name: string) => Creation.values.find((v) => v.localName === name)!.number;

  it('is UNSPECIFIED before an agent, READY / NOT_READY as it reports, FAILED_TO_SYNC once it is silent', async () => {
    const client = grpcHybridClient(plane);
    const { env, answer } = await bootstrapped(plane, client);
    expect(env.status).toMatchObject({ phase: phase('UNSPECIFIED'), message: expect.stringContaining('GenerateBootstrapCommands') });
    const agent = JSON.parse((await https(plane, 'POST', '/agent/v1/register', { token: answer.accessKey })).text).token as string;
    expect((await https(plane, 'POST', '/agent/v1/status', { body: report(health()), token: agent })).status).toBe(204);
    const get = async () => (await client.getHybridCloudEnvironment(ids(plane, env.id), { headers: plane.auth() })).hybridCloudEnvironment!.status!;

    const ready = await get();
    expect(ready).toMatchObject({
      phase: phase('READY'),
      kubernetesVersion: 'v1.31.4-eks-2f4a1b',
      kubernetesDistribution: hybridV1.KubernetesDistributionSchema.values.find((v) => v.localName === 'AWS')!.number,
      numberOfNodes: 3,
      capabilities: { volumeSnapshot: true, volumeExpansion: true },
      clusterCreationReadiness: creation('READY'),
      storageClasses: [{ name: 'gp3', default: true, provisioner: 'ebs.csi.aws.com', allowVolumeExpansion: true, reclaimPolicy: 'Delete' }],
      volumeSnapshotClasses: [{ name: 'csi-snapclass', driver: 'ebs.csi.aws.com' }],
    });
    expect(ready.componentStatuses.map((c) => [c.name, c.namespace, c.version, c.phase])).toEqual([
      ['qhc-operator', 'qhc-boot', '0.1.0', 1],
      ['qhc-agent', 'qhc-boot', '0.1.0', 1],
    ]);
    expect(ready.lastModifiedAt).toBeDefined();

    const blocked = health({ canCreateClusters: false, reason: 'no default StorageClass' });
    expect((await https(plane, 'POST', '/agent/v1/status', { body: report(blocked, 'NotReady'), token: agent })).status).toBe(204);
    expect(await get()).toMatchObject({ phase: phase('NOT_READY'), message: 'no default StorageClass', clusterCreationReadiness: creation('NOT_READY') });

    const lastSeen = Number((await get()).lastModifiedAt!.seconds) * 1000;
    plane.clock.now = lastSeen + 121_000;
    expect(await get()).toMatchObject({ phase: phase('FAILED_TO_SYNC'), message: expect.stringContaining('the agent last reported at') });
  });
});
