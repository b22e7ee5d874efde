// ClusterService's actions (restart, suspend, JWT RBAC), name suggestions and Qdrant releases,
// and BookingService's packages, over gRPC (HTTP/2 + TLS).
import { randomUUID } from 'node:crypto';
import { Code, type ConnectError } from '@connectrpc/connect';
import { bookingV1, clusterV1 } from '@qhc/cloud-api';
import { DEFAULT_PACKAGES } from '@qhc/schemas';
import { describe, expect, it } from 'vitest';
import { cloudPlane, failure, type CloudPlane } from './support/cloud.ts';
import { bookingClient, clusterClient, clusterInit, desiredClusterSpec, makeRegion, reportStatus } from './support/cloud-clusters.ts';

const codeOf = (error: unknown) => (error as ConnectError).code;
const messageOf = (error: unknown) => (error as ConnectError).rawMessage;
const phase = (name: string) => clusterV1.ClusterPhaseSchema.values.find((v) => v.localName === name)!.number;
const packageStatus = (name: string) => bookingV1.PackageStatusSchema.values.find((v) => v.localName === name)!.number as bookingV1.PackageStatus;

async function created(plane: CloudPlane, region: string, name: string) {
  const client = clusterClient(plane);
  const cluster = (await client.createCluster({ cluster: clusterInit(plane.cp.accountId, region, name) }, { headers: plane.auth() })).cluster!;
  return { client, cluster, ids: { accountId: plane.cp.accountId, clusterId: cluster.id } };
}

describe('ClusterService actions', () => {
  const plane = cloudPlane('sqlite');

  it('restarts through the restartedAt annotation, as /api/v1 does', async () => {
    const region = await makeRegion(plane, 'restart');
    const { client, cluster, ids } = await created(plane, region.id, 'restarted');
    await client.restartCluster(ids, { headers: plane.auth() });
    const desired = await desiredClusterSpec(plane, region.id, cluster.id);
    expect(desired.cluster?.annotations).toEqual({ restartedAt: new Date(plane.clock.now).toISOString().replace('.000Z', 'Z') });
    const got = (await client.getCluster(ids, { headers: plane.auth() })).cluster!;
    expect(got.state?.restartedAt?.seconds).toBe(BigInt(plane.clock.now / 1000));
  });

  it('suspends and unsuspends through the spec, kept across an update; a suspended cluster is not restarted', async () => {
    const region = await makeRegion(plane, 'suspend');
    const { client, cluster, ids } = await created(plane, region.id, 'sleepy');
    await client.suspendCluster(ids, { headers: plane.auth() });
    expect((await desiredClusterSpec(plane, region.id, cluster.id)).cluster?.spec.suspend).toBe(true);
    const update = { ...clusterInit(plane.cp.accountId, region.id, 'sleepy', { numberOfNodes: 2 }), id: cluster.id };
    await client.updateCluster({ cluster: update }, { headers: plane.auth() });
    expect((await desiredClusterSpec(plane, region.id, cluster.id)).cluster?.spec).toMatchObject({ suspend: true, size: 2 });
    const refused = await failure(client.restartCluster(ids, { headers: plane.auth() }));
    expect([codeOf(refused), messageOf(refused)]).toEqual([Code.FailedPrecondition, `cluster ${cluster.id} is suspended: unsuspend it instead`]);
    await reportStatus(plane, region.id, [{ id: cluster.id, phase: 'Suspended' }]);
    expect((await client.getCluster(ids, { headers: plane.auth() })).cluster?.state?.phase).toBe(phase('SUSPENDED'));
    await client.unsuspendCluster(ids, { headers: plane.auth() });
    expect((await desiredClusterSpec(plane, region.id, cluster.id)).cluster?.spec.suspend).toBe(false);
  });

  it('enables JWT RBAC in the spec, kept across an update, and refuses actions on a cluster being deleted', async () => {
    const region = await makeRegion(plane, 'jwt-later');
    const { client, cluster, ids } = await created(plane, region.id, 'guarded');
    await client.enableClusterJwtRbac(ids, { headers: plane.auth() });
    const update = { ...clusterInit(plane.cp.accountId, region.id, 'guarded', { numberOfNodes: 1 }), id: cluster.id };
    const updated = (await client.updateCluster({ cluster: update }, { headers: plane.auth() })).cluster!;
    expect(updated.state?.jwtRbac).toBe(true);
    expect((await desiredClusterSpec(plane, region.id, cluster.id)).cluster?.spec.config?.service?.jwt_rbac).toBe(true);
    await reportStatus(plane, region.id, [{ id: cluster.id, phase: 'Healthy' }]);
    await client.deleteCluster(ids, { headers: plane.auth() });
    for (const call of [() => client.restartCluster(ids, { headers: plane.auth() }), () => client.suspendCluster(ids, { headers: plane.auth() })]) {
      const refused = await failure(call());
      expect([codeOf(refused), messageOf(refused)]).toEqual([Code.FailedPrecondition, `cluster ${cluster.id} is being deleted`]);
    }
  });

  it('suggests a valid name no cluster of the account has', async () => {
    const region = await makeRegion(plane, 'names');
    const client = clusterClient(plane);
    for (let i = 0; i < 5; i++) {
      const { name } = await client.suggestClusterName({ accountId: plane.cp.accountId }, { headers: plane.auth() });
      expect(name).toMatch(/^[a-z]+-[a-z]+(-\d+)?$/);
      await client.createCluster({ cluster: clusterInit(plane.cp.accountId, region.id, name) }, { headers: plane.auth() });
    }
  });
});

describe('ClusterService releases', () => {
  const plane = cloudPlane('sqlite');

  it('lists the Qdrant versions qhc offers, one default, and those a cluster may move to', async () => {
    const client = clusterClient(plane);
    const { items } = await client.listQdrantReleases({ accountId: plane.cp.accountId }, { headers: plane.auth() });
    expect(items.length).toBeGreaterThan(1);
    expect(items.filter((r) => r.default).map((r) => r.version)).toEqual(['v1.16.3']);
    expect(items[0]!.releaseNotesUrl).toBe('https://github.com/qdrant/qdrant/releases/tag/v1.16.3');
    const region = await makeRegion(plane, 'releases');
    const cluster = (
      await client.createCluster({ cluster: clusterInit(plane.cp.accountId, region.id, 'older', { version: 'v1.15.5' }) }, { headers: plane.auth() })
    ).cluster!;
    const upgrades = await client.listQdrantReleases({ accountId: plane.cp.accountId, clusterId: cluster.id }, { headers: plane.auth() });
    expect(upgrades.items.map((r) => r.version)).toEqual(['v1.16.3', 'v1.16.2', 'v1.15.5']);
    const one = await client.getQdrantRelease({ accountId: plane.cp.accountId, version: 'v1.16.2' }, { headers: plane.auth() });
    expect(one.release).toMatchObject({ version: 'v1.16.2', default: false, endOfLife: false });
    const latest = await client.getQdrantRelease({ accountId: plane.cp.accountId, version: 'latest' }, { headers: plane.auth() });
    expect(latest.release?.version).toBe('v1.16.3');
    const missing = await failure(client.getQdrantRelease({ accountId: plane.cp.accountId, version: 'v0.1.0' }, { headers: plane.auth() }));
    expect([codeOf(missing), messageOf(missing)]).toEqual([Code.NotFound, 'Qdrant release v0.1.0 is not offered']);
  });

  it('creates a cluster of the default version for "latest" and for no version, echoing what was sent', async () => {
    const client = clusterClient(plane);
    const region = await makeRegion(plane, 'latest');
    for (const [name, version] of [
      ['latest-one', 'latest'],
      ['no-version', undefined],
    ] as const) {
      const sent = clusterInit(plane.cp.accountId, region.id, name, { version });
      const cluster = (await client.createCluster({ cluster: sent }, { headers: plane.auth() })).cluster!;
      expect(cluster.configuration?.version).toBe(version);
      expect((await desiredClusterSpec(plane, region.id, cluster.id)).cluster?.spec.version).toBe('v1.16.3');
    }
  });
});

describe('BookingService packages', () => {
  const plane = cloudPlane('sqlite');

  it('lists the catalogue for "hybrid" only, filtered by the request', async () => {
    const client = bookingClient(plane);
    const accountId = plane.cp.accountId;
    const all = await client.listPackages({ accountId, cloudProviderId: 'hybrid' }, { headers: plane.auth() });
    expect(all.items.map((p) => p.id)).toEqual(DEFAULT_PACKAGES.map((p) => p.id));
    expect(all.items[1]).toMatchObject({ name: DEFAULT_PACKAGES[1]!.name, resourceConfiguration: { cpu: '1000m', ram: '4GiB', disk: '32GiB' } });
    expect(all.items[1]!.status).toBe(packageStatus('ACTIVE'));
    const big = await client.listPackages({ accountId, cloudProviderId: 'hybrid', minResources: { ram: '16GiB', cpu: '4000m' } }, { headers: plane.auth() });
    expect(big.items.map((p) => p.resourceConfiguration?.ram)).toEqual(['16GiB', '32GiB', '64GiB']);
    const region = await makeRegion(plane, 'booking');
    const inRegion = await client.listPackages({ accountId, cloudProviderId: 'hybrid', cloudProviderRegionId: region.id }, { headers: plane.auth() });
    expect(inRegion.items.length).toBe(DEFAULT_PACKAGES.length);
    const deactivated = await client.listPackages(
      { accountId, cloudProviderId: 'hybrid', statuses: [packageStatus('DEACTIVATED')] },
      { headers: plane.auth() },
    );
    expect(deactivated.items).toEqual([]);
    expect((await client.listPackages({ accountId, cloudProviderId: 'aws' }, { headers: plane.auth() })).items).toEqual([]);
    expect((await client.listPackages({ accountId, cloudProviderId: 'hybrid', gpu: true }, { headers: plane.auth() })).items).toEqual([]);
    const bad = await failure(client.listPackages({ accountId, cloudProviderId: 'hybrid', minResources: { ram: 'lots' } }, { headers: plane.auth() }));
    expect([codeOf(bad), messageOf(bad)]).toEqual([Code.InvalidArgument, 'min_resources.ram: "lots" is not a size such as "1000m" (cpu) or "4GiB"']);
    const unknownRegion = await failure(
      client.listPackages({ accountId, cloudProviderId: 'hybrid', cloudProviderRegionId: randomUUID() }, { headers: plane.auth() }),
    );
    expect(codeOf(unknownRegion)).toBe(Code.NotFound);
  });

  it('gets one package by id; an unknown id or another provider is NotFound', async () => {
    const client = bookingClient(plane);
    const accountId = plane.cp.accountId;
    const id = DEFAULT_PACKAGES[0]!.id;
    const got = await client.getPackage({ accountId, id, cloudProviderId: 'hybrid' }, { headers: plane.auth() });
    expect(got.package).toMatchObject({ id, name: DEFAULT_PACKAGES[0]!.name, resourceConfiguration: { cpu: '500m', ram: '2GiB', disk: '16GiB' } });
    const unknown = randomUUID();
    const missing = await failure(client.getPackage({ accountId, id: unknown, cloudProviderId: 'hybrid' }, { headers: plane.auth() }));
    expect([codeOf(missing), messageOf(missing)]).toEqual([Code.NotFound, `package ${unknown} does not exist`]);
    expect(codeOf(await failure(client.getPackage({ accountId, id, cloudProviderId: 'gcp' }, { headers: plane.auth() })))).toBe(Code.NotFound);
    expect(codeOf(await failure(client.getPackage({ accountId, id: 'nope', cloudProviderId: 'hybrid' }, { headers: plane.auth() })))).toBe(
      Code.InvalidArgument,
    );
  });
});
