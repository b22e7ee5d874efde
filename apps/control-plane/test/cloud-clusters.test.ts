// The Cloud API's ClusterService over gRPC (HTTP/2 + TLS, as the Terraform provider calls):
// create, read, list, update with the agent's side, delete, other accounts, and REST.
import { randomUUID } from 'node:crypto';
import { toBinary } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Code, type ConnectError } from '@connectrpc/connect';
import { clusterV1 } from '@qhc/cloud-api';
import { clusterResourceName, DEFAULT_PACKAGES } from '@qhc/schemas';
import { describe, expect, it } from 'vitest';
import { createOwnerKey } from './support/keys.ts';
import { cloudPlane, failure, type CloudPlane, type Dialect } from './support/cloud.ts';
import { callApi } from './support/http.ts';
import { sqlOn } from './support/sql.ts';
import { asMessage, clusterClient, clusterInit, desiredClusterSpec, makeRegion, PACKAGE_ID, reportStatus, sentPart } from './support/cloud-clusters.ts';

const codeOf = (error: unknown) => (error as ConnectError).code;
const messageOf = (error: unknown) => (error as ConnectError).rawMessage;
const binary = (cluster: clusterV1.Cluster) => toBinary(clusterV1.ClusterSchema, sentPart(cluster));

async function created(plane: CloudPlane, regionId: string, name: string, configuration = {}) {
  const client = clusterClient(plane);
  const sent = clusterInit(plane.cp.accountId, regionId, name, configuration);
  const answer = await client.createCluster({ cluster: sent }, { headers: plane.auth() });
  return { client, sent, cluster: answer.cluster! };
}

describe.each(['sqlite', 'postgres'] as const)('ClusterService create and read on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it('creates a cluster named qdrant-<id> in the environment and answers it as sent, in Get and List', async () => {
    const region = await makeRegion(plane, 'create');
    const { client, sent, cluster } = await created(plane, region.id, 'first-cluster');
    expect(cluster.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(cluster.accountId).toBe(plane.cp.accountId);
    expect(cluster.state?.phase).toBe(clusterV1.ClusterPhaseSchema.values.find((v) => v.localName === 'CREATING')!.number);
    expect(cluster.state?.endpoint?.url ?? '').toBe('');
    expect(binary(cluster)).toEqual(toBinary(clusterV1.ClusterSchema, asMessage(sent)));
    const got = (await client.getCluster({ accountId: plane.cp.accountId, clusterId: cluster.id }, { headers: plane.auth() })).cluster!;
    expect(binary(got)).toEqual(binary(cluster));
    const desired = await desiredClusterSpec(plane, region.id, cluster.id);
    expect(desired.cluster?.spec).toMatchObject({ id: cluster.id, size: 3, version: 'v1.16.3', resources: { cpu: '1000m', memory: '4Gi', storage: '32Gi' } });
    expect(clusterResourceName(desired.cluster!.id)).toBe(`qdrant-${cluster.id}`);
    const listed = await client.listClusters({ accountId: plane.cp.accountId }, { headers: plane.auth() });
    expect(listed.items.map((c) => c.id)).toContain(cluster.id);
    const filtered = await client.listClusters(
      { accountId: plane.cp.accountId, cloudProviderId: 'hybrid', cloudProviderRegionId: randomUUID() },
      { headers: plane.auth() },
    );
    expect([filtered.items, filtered.totalSize]).toEqual([[], 0]);
    const other = await client.listClusters({ accountId: plane.cp.accountId, cloudProviderId: 'aws' }, { headers: plane.auth() });
    expect(other.items).toEqual([]);
  });

  it('pages the list with next_page_token', async () => {
    const region = await makeRegion(plane, 'paging');
    for (const name of ['page-a', 'page-b', 'page-c']) await created(plane, region.id, name);
    const client = clusterClient(plane);
    const filter = { accountId: plane.cp.accountId, cloudProviderId: 'hybrid', cloudProviderRegionId: region.id, pageSize: 2 };
    const first = await client.listClusters(filter, { headers: plane.auth() });
    expect([first.items.map((c) => c.name), first.totalSize, first.nextPageToken]).toEqual([['page-a', 'page-b'], 3, '2']);
    const second = await client.listClusters({ ...filter, pageToken: first.nextPageToken! }, { headers: plane.auth() });
    expect([second.items.map((c) => c.name), second.nextPageToken]).toEqual([['page-c'], undefined]);
  });

  it('honours the qc-jwt-rbac header, and refuses a name taken in the environment with AlreadyExists', async () => {
    const region = await makeRegion(plane, 'jwt');
    const client = clusterClient(plane);
    const sent = clusterInit(plane.cp.accountId, region.id, 'with-jwt');
    const cluster = (await client.createCluster({ cluster: sent }, { headers: { ...plane.auth(), 'qc-jwt-rbac': 'true' } })).cluster!;
    expect(cluster.state?.jwtRbac).toBe(true);
    expect((await desiredClusterSpec(plane, region.id, cluster.id)).cluster?.spec.config?.service?.jwt_rbac).toBe(true);
    const taken = await failure(client.createCluster({ cluster: sent }, { headers: plane.auth() }));
    expect([codeOf(taken), messageOf(taken)]).toEqual([Code.AlreadyExists, expect.stringMatching(/^cluster\.name: cluster with-jwt already exists/)]);
  });
});

describe.each(['sqlite', 'postgres'] as const)('ClusterService update with the agent on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it('scales 3 → 5: the agent pulls size 5, and its report of 5 nodes up shows in the state with the endpoint', async () => {
    const region = await makeRegion(plane, 'scale');
    const { client, sent, cluster } = await created(plane, region.id, 'scaled');
    const before = await desiredClusterSpec(plane, region.id, cluster.id);
    const next = { ...sent, id: cluster.id, configuration: { ...sent.configuration, numberOfNodes: 5 } };
    const updated = (await client.updateCluster({ cluster: next }, { headers: plane.auth() })).cluster!;
    expect(updated.configuration?.numberOfNodes).toBe(5);
    const after = await desiredClusterSpec(plane, region.id, cluster.id);
    expect([after.cluster?.spec.size, after.revision > before.revision]).toEqual([5, true]);
    await reportStatus(plane, region.id, [{ id: cluster.id, phase: 'Healthy', nodes: 5, nodesReady: 5, version: 'v1.16.3' }]);
    const got = (await client.getCluster({ accountId: plane.cp.accountId, clusterId: cluster.id }, { headers: plane.auth() })).cluster!;
    const healthy = clusterV1.ClusterPhaseSchema.values.find((v) => v.localName === 'HEALTHY')!.number;
    expect(got.state).toMatchObject({ nodesUp: 5, phase: healthy, version: 'v1.16.3' });
    expect(got.state?.endpoint).toMatchObject({ url: `http://${clusterResourceName(cluster.id)}.ns-scale.svc:6333`, restPort: 6333, grpcPort: 6334 });
    expect(got.state?.resources?.cpu).toMatchObject({ base: 1, available: 1 });
    expect(binary(got)).toEqual(binary(asMessage(next)));
  });

  it('applies only the masked fields, keeps the rest as stored, and renames without moving the objects', async () => {
    const region = await makeRegion(plane, 'masked');
    const { client, cluster } = await created(plane, region.id, 'masked-one', { additionalResources: { disk: 10 } });
    const change = clusterInit(plane.cp.accountId, region.id, 'renamed', { numberOfNodes: 1, packageId: DEFAULT_PACKAGES[2]!.id });
    const mask = { paths: ['name', 'configuration.package_id'] };
    const updated = (await client.updateCluster({ cluster: { ...change, id: cluster.id }, updateMask: mask }, { headers: plane.auth() })).cluster!;
    expect([updated.name, updated.configuration?.numberOfNodes, updated.configuration?.packageId]).toEqual(['renamed', 3, DEFAULT_PACKAGES[2]!.id]);
    expect(updated.configuration?.additionalResources?.disk).toBe(10);
    const desired = await desiredClusterSpec(plane, region.id, cluster.id);
    expect(desired.cluster?.spec.resources).toMatchObject({ cpu: '2000m', memory: '8Gi', storage: '74Gi' });
  });
});

describe.each(['sqlite', 'postgres'] as const)('ClusterService delete and accounts on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it('deletes: deleting until the agent confirms it gone, then NotFound', async () => {
    const region = await makeRegion(plane, 'delete');
    const { client, cluster } = await created(plane, region.id, 'doomed');
    const ids = { accountId: plane.cp.accountId, clusterId: cluster.id };
    await reportStatus(plane, region.id, [{ id: cluster.id, phase: 'Healthy' }]);
    await client.deleteCluster(ids, { headers: plane.auth() });
    const deleting = (await client.getCluster(ids, { headers: plane.auth() })).cluster!;
    expect(deleting.deletedAt).toBeDefined();
    // The control plane's clock, not the wall clock.
    expect(timestampDate(deleting.deletedAt!).getTime()).toBe(plane.clock.now);
    expect(deleting.state?.phase).toBe(clusterV1.ClusterPhaseSchema.values.find((v) => v.localName === 'DELETING')!.number);
    expect((await desiredClusterSpec(plane, region.id, cluster.id)).deletions).toContain(cluster.id);
    await reportStatus(plane, region.id, []);
    const gone = await failure(client.getCluster(ids, { headers: plane.auth() }));
    expect([codeOf(gone), messageOf(gone)]).toEqual([Code.NotFound, `cluster ${cluster.id} does not exist`]);
  });

  it("deletes the cluster's backup schedules with it, and its backups only when asked", async () => {
    const region = await makeRegion(plane, 'backups');
    const store = plane.cp.store;
    const withBackups = async (name: string) => {
      const { client, cluster } = await created(plane, region.id, name);
      await store.createResource(region, 'backups', { name: `${name}-b`, clusterId: cluster.id, spec: { 'cluster-id': cluster.id } });
      const schedule = { 'cluster-id': cluster.id, scheduleShortId: 's1', schedule: '0 * * * *', retention: '72h' };
      await store.createResource(region, 'backup-schedules', { name: `${name}-s`, clusterId: cluster.id, spec: schedule });
      return { client, ids: { accountId: plane.cp.accountId, clusterId: cluster.id } };
    };
    const deleted = async (path: 'backups' | 'backup-schedules', name: string) =>
      (await store.resources(region.name, path)).find((r) => r.name === name)?.deletedAt !== undefined;
    const kept = await withBackups('keeps');
    await kept.client.deleteCluster(kept.ids, { headers: plane.auth() });
    expect([await deleted('backup-schedules', 'keeps-s'), await deleted('backups', 'keeps-b')]).toEqual([true, false]);
    const dropped = await withBackups('drops');
    await dropped.client.deleteCluster({ ...dropped.ids, deleteBackups: true }, { headers: plane.auth() });
    expect([await deleted('backup-schedules', 'drops-s'), await deleted('backups', 'drops-b')]).toEqual([true, true]);
  });

  it('force-deletes at once a cluster of an environment whose agent never reported', async () => {
    const region = await makeRegion(plane, 'never-seen');
    const { client, cluster } = await created(plane, region.id, 'unapplied');
    const ids = { accountId: plane.cp.accountId, clusterId: cluster.id };
    await client.deleteCluster({ ...ids, force: true }, { headers: plane.auth() });
    expect(codeOf(await failure(client.getCluster(ids, { headers: plane.auth() })))).toBe(Code.NotFound);
    expect((await desiredClusterSpec(plane, region.id, cluster.id)).deletions).not.toContain(cluster.id);
  });

  it("answers NotFound for another account's cluster, whatever the rpc", async () => {
    const region = await makeRegion(plane, 'mine');
    const { client, cluster } = await created(plane, region.id, 'not-yours');
    const other = randomUUID();
    await sqlOn(plane.cp.store.db).run('INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3)', [other, 'other', new Date().toISOString()]);
    const { key } = await createOwnerKey(plane.cp.store.db, { accountId: other, now: () => plane.clock.now });
    const ids = { accountId: other, clusterId: cluster.id };
    const headers = plane.auth(key);
    const calls = [
      () => client.getCluster(ids, { headers }),
      () => client.deleteCluster(ids, { headers }),
      () => client.restartCluster(ids, { headers }),
      () => client.suspendCluster(ids, { headers }),
      () => client.updateCluster({ cluster: { ...clusterInit(other, region.id, 'stolen'), id: cluster.id } }, { headers }),
      () => client.createCluster({ cluster: clusterInit(other, region.id, 'in-their-region') }, { headers }),
    ];
    for (const call of calls) expect(codeOf(await failure(call()))).toBe(Code.NotFound);
    expect((await client.getCluster({ accountId: plane.cp.accountId, clusterId: cluster.id }, { headers: plane.auth() })).cluster?.deletedAt).toBeUndefined();
  });
});

describe('ClusterService over REST', () => {
  const plane = cloudPlane('sqlite', { https: false });

  it('creates with POST and answers GET /api/cluster/v1/accounts/{account_id}/clusters/{cluster_id} in proto JSON', async () => {
    const region = await makeRegion(plane, 'rest');
    const account = plane.cp.accountId;
    const body = { cluster: { ...clusterInit(account, region.id, 'over-rest'), labels: [{ key: 'team', value: 'search' }] } };
    const posted = await callApi(plane.cp.url, 'POST', `/api/cluster/v1/accounts/${account}/clusters`, { body, headers: plane.auth() });
    expect(posted.status).toBe(200);
    const id = posted.json.cluster.id as string;
    const got = await callApi(plane.cp.url, 'GET', `/api/cluster/v1/accounts/${account}/clusters/${id}`, { headers: plane.auth() });
    expect(got.status).toBe(200);
    expect(got.json.cluster).toMatchObject({
      id,
      accountId: account,
      name: 'over-rest',
      cloudProviderId: 'hybrid',
      cloudProviderRegionId: region.id,
      labels: [{ key: 'team', value: 'search' }],
      configuration: { numberOfNodes: 3, version: 'v1.16.3', packageId: PACKAGE_ID },
      state: { phase: 'CLUSTER_PHASE_CREATING' },
    });
    const missing = await callApi(plane.cp.url, 'GET', `/api/cluster/v1/accounts/${account}/clusters/${randomUUID()}`, { headers: plane.auth() });
    expect(missing.status).toBe(404);
  });
});
