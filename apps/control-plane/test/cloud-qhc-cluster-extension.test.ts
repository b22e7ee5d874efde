// qhc.v1.ClusterExtensionService over gRPC (HTTP/2 + TLS) and REST: pauses and the ingress go to
// the QdrantCluster spec the agent applies, the Cluster message stays as its client sent it, and
// ClusterService.UpdateCluster keeps them. Refusals name the field and write nothing.
import { randomUUID } from 'node:crypto';
import { Code, createClient, type Client, type ConnectError } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { qhcV1 } from '@qhc/cloud-api';
import { describe, expect, it } from 'vitest';
import { cloudPlane, failure, type CloudPlane } from './support/cloud.ts';
import { clusterClient, clusterDigest, clusterInit, desiredClusterSpec, makeRegion, sentPart } from './support/cloud-clusters.ts';
import { otherAccount, seedCluster, seedRegion } from './support/qhc.ts';
import { callApi } from './support/http.ts';

const codeAndMessage = (error: unknown) => [(error as ConnectError).code, (error as ConnectError).rawMessage];

function extensionClient(plane: CloudPlane): Client<typeof qhcV1.ClusterExtensionService> {
  return createClient(qhcV1.ClusterExtensionService, createGrpcTransport({ baseUrl: plane.cp.url, nodeOptions: { ca: plane.tls!.ca } }));
}

async function created(plane: CloudPlane, name: string) {
  const region = await makeRegion(plane, `env-${name}`);
  const clusters = clusterClient(plane);
  const cluster = (await clusters.createCluster({ cluster: clusterInit(plane.cp.accountId, region.id, name) }, { headers: plane.auth() })).cluster!;
  const ids = { accountId: plane.cp.accountId, clusterId: cluster.id };
  const desired = async () => (await desiredClusterSpec(plane, region.id, cluster.id)).cluster!.spec;
  return { region, clusters, cluster, ids, desired, extensions: extensionClient(plane), headers: { headers: plane.auth() } };
}

const INGRESS = {
  annotations: [{ key: 'cert-manager.io/cluster-issuer', value: 'letsencrypt' }],
  ingressClassName: 'nginx',
  host: 'qdrant.example.com',
  tls: true,
  tlsSecretName: 'qdrant-tls',
  nginx: { allowedSourceRanges: ['10.0.0.0/8'], grpcHost: 'grpc.qdrant.example.com' },
};

describe('pauses over gRPC', () => {
  const plane = cloudPlane('sqlite');

  it('pauses (one pause per owner), lists and unpauses through the spec; the Cluster message is unchanged', async () => {
    const { cluster, clusters, ids, desired, extensions, headers } = await created(plane, 'paused');
    const at = new Date(plane.clock.now).toISOString().replace('.000Z', 'Z');
    await extensions.pauseCluster({ ...ids, owner: 'ops', reason: 'first' }, headers);
    const paused = await extensions.pauseCluster({ ...ids, owner: 'ops', reason: 'disk swap' }, headers);
    await extensions.pauseCluster({ ...ids, owner: 'backup' }, headers);
    expect(paused.items.map((p) => [p.owner, p.reason])).toEqual([['ops', 'disk swap']]);
    expect((await desired()).pauses).toEqual([
      { owner: 'ops', reason: 'disk swap', creationTimestamp: at },
      { owner: 'backup', creationTimestamp: at },
    ]);
    const listed = await extensions.listClusterPauses(ids, headers);
    expect(listed.items.map((p) => [p.owner, p.reason, p.createTime?.seconds])).toEqual([
      ['ops', 'disk swap', BigInt(Date.parse(at) / 1000)],
      ['backup', '', BigInt(Date.parse(at) / 1000)],
    ]);
    expect(sentPart((await clusters.getCluster(ids, headers)).cluster!)).toEqual(sentPart(cluster));
    const left = await extensions.unpauseCluster({ ...ids, owner: 'ops' }, headers);
    expect(left.items.map((p) => p.owner)).toEqual(['backup']);
    await extensions.unpauseCluster({ ...ids, owner: 'backup' }, headers);
    expect((await desired()).pauses).toBeUndefined();
  });

  it('unpausing an owner with no pause is no change: no event, no new revision', async () => {
    const { ids, extensions, headers } = await created(plane, 'idle');
    await extensions.pauseCluster({ ...ids, owner: 'ops' }, headers);
    const before = await clusterDigest(plane);
    expect((await extensions.unpauseCluster({ ...ids, owner: 'someone-else' }, headers)).items.map((p) => p.owner)).toEqual(['ops']);
    expect(await clusterDigest(plane)).toEqual(before);
  });
});

describe('a cluster made through /api/v1 (no Cluster message stored)', () => {
  const plane = cloudPlane('sqlite');

  it('takes pauses and an ingress on its spec', async () => {
    const region = await seedRegion(plane, 'legacy');
    const clusterId = await seedCluster(plane, region, 'legacy-one');
    const ids = { accountId: plane.cp.accountId, clusterId };
    const extensions = extensionClient(plane);
    await extensions.pauseCluster({ ...ids, owner: 'ops', reason: 'old' }, { headers: plane.auth() });
    await extensions.setClusterIngress({ ...ids, ingress: { host: 'legacy.example.com' } }, { headers: plane.auth() });
    const spec = (await desiredClusterSpec(plane, region.id, 'legacy-one')).cluster!.spec;
    expect([spec.pauses?.map((p) => p.owner), spec.ingress]).toEqual([['ops'], { enabled: true, host: 'legacy.example.com' }]);
  });
});

describe('the ingress over gRPC', () => {
  const plane = cloudPlane('sqlite');

  it('sets, reads and removes the spec ingress; the Cluster message is unchanged', async () => {
    const { cluster, clusters, ids, desired, extensions, headers } = await created(plane, 'exposed');
    expect((await extensions.getClusterIngress(ids, headers)).ingress).toBeUndefined();
    const set = await extensions.setClusterIngress({ ...ids, ingress: INGRESS }, headers);
    expect(set.ingress).toMatchObject({ ...INGRESS, enabled: true });
    expect((await desired()).ingress).toEqual({
      enabled: true,
      annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
      ingressClassName: 'nginx',
      host: 'qdrant.example.com',
      tls: true,
      tlsSecretName: 'qdrant-tls',
      nginx: { allowedSourceRanges: ['10.0.0.0/8'], grpcHost: 'grpc.qdrant.example.com' },
    });
    expect((await extensions.getClusterIngress(ids, headers)).ingress).toEqual(set.ingress);
    expect(sentPart((await clusters.getCluster(ids, headers)).cluster!)).toEqual(sentPart(cluster));
    await extensions.setClusterIngress({ ...ids, ingress: { enabled: false, traefik: { entryPoints: ['websecure'] } } }, headers);
    expect((await desired()).ingress).toEqual({ enabled: false, traefik: { entryPoints: ['websecure'] } });
    await extensions.setClusterIngress(ids, headers);
    expect((await desired()).ingress).toBeUndefined();
    expect((await extensions.getClusterIngress(ids, headers)).ingress).toBeUndefined();
  });
});

describe('kept across ClusterService.UpdateCluster', () => {
  const plane = cloudPlane('sqlite');

  it('keeps the pauses and the ingress while the update changes the rest of the spec', async () => {
    const { region, cluster, clusters, ids, desired, extensions, headers } = await created(plane, 'kept');
    await extensions.pauseCluster({ ...ids, owner: 'ops', reason: 'maintenance' }, headers);
    await extensions.setClusterIngress({ ...ids, ingress: INGRESS }, headers);
    const { pauses, ingress } = await desired();
    const update = { ...clusterInit(plane.cp.accountId, region.id, 'kept', { numberOfNodes: 4 }), id: cluster.id };
    const updated = (await clusters.updateCluster({ cluster: update }, headers)).cluster!;
    expect(updated.configuration?.numberOfNodes).toBe(4);
    expect(await desired()).toMatchObject({ size: 4, pauses, ingress });
    expect((await extensions.listClusterPauses(ids, headers)).items.map((p) => p.owner)).toEqual(['ops']);
  });
});

describe('refusals over gRPC', () => {
  const plane = cloudPlane('sqlite');

  it('names the field of a bad pause or ingress, and writes nothing', async () => {
    const { ids, extensions, headers } = await created(plane, 'refused');
    const before = await clusterDigest(plane);
    const cases: Array<[() => Promise<unknown>, string]> = [
      [() => extensions.pauseCluster({ ...ids, owner: ' ' }, headers), 'owner: missing; name who pauses the cluster, e.g. "maintenance"'],
      [() => extensions.pauseCluster({ ...ids, owner: 'o'.repeat(64) }, headers), 'owner: must be at most 63 characters, got 64'],
      [() => extensions.pauseCluster({ ...ids, owner: 'ops', reason: 'r'.repeat(1025) }, headers), 'reason: must be at most 1024 characters, got 1025'],
      [() => extensions.unpauseCluster({ ...ids, owner: '' }, headers), 'owner: missing; name who pauses the cluster, e.g. "maintenance"'],
      [() => extensions.setClusterIngress({ ...ids, ingress: { ingressClassName: 'Not_A_Name' } }, headers), 'ingress.ingress_class_name: '],
      [
        () => extensions.setClusterIngress({ ...ids, ingress: { nginx: { allowedSourceRanges: ['nowhere'] } } }, headers),
        'ingress.nginx.allowed_source_ranges[0]: ',
      ],
      [
        () => extensions.setClusterIngress({ ...ids, ingress: { tls: false, tlsSecretName: 'qdrant-tls' } }, headers),
        'ingress.tls_secret_name: is set but tls is false',
      ],
      [
        () =>
          extensions.setClusterIngress(
            {
              ...ids,
              ingress: {
                annotations: [
                  { key: 'a', value: '1' },
                  { key: 'a', value: '2' },
                ],
              },
            },
            headers,
          ),
        'ingress.annotations[1].key: "a" is given twice',
      ],
      [() => extensions.pauseCluster({ ...ids, clusterId: 'nope', owner: 'ops' }, headers), 'cluster_id: "nope" is not a UUID'],
    ];
    for (const [call, message] of cases) {
      const [code, raw] = codeAndMessage(await failure(call()));
      expect([code, raw]).toEqual([Code.InvalidArgument, expect.stringContaining(message)]);
      expect(raw as string).toMatch(/^(owner|reason|ingress|cluster_id)/);
    }
    expect(await clusterDigest(plane)).toEqual(before);
  });

  it("is NotFound for another account's cluster and a missing one, and FailedPrecondition while it is deleted", async () => {
    const { cluster, clusters, ids, extensions, headers } = await created(plane, 'guarded');
    const other = await otherAccount(plane);
    const theirs = { accountId: other.accountId, clusterId: cluster.id };
    const before = await clusterDigest(plane);
    const calls = (req: typeof ids, h: typeof headers) => [
      () => extensions.listClusterPauses(req, h),
      () => extensions.pauseCluster({ ...req, owner: 'ops' }, h),
      () => extensions.unpauseCluster({ ...req, owner: 'ops' }, h),
      () => extensions.getClusterIngress(req, h),
      () => extensions.setClusterIngress({ ...req, ingress: INGRESS }, h),
    ];
    for (const call of calls(theirs, { headers: plane.auth(other.key) }))
      expect(codeAndMessage(await failure(call()))).toEqual([Code.NotFound, `cluster ${cluster.id} does not exist`]);
    const missing = randomUUID();
    for (const call of calls({ ...ids, clusterId: missing }, headers))
      expect(codeAndMessage(await failure(call()))).toEqual([Code.NotFound, `cluster ${missing} does not exist`]);
    expect(await clusterDigest(plane)).toEqual(before);
    await clusters.deleteCluster(ids, headers);
    for (const call of calls(ids, headers).filter((_, i) => [1, 2, 4].includes(i)))
      expect(codeAndMessage(await failure(call()))).toEqual([Code.FailedPrecondition, `cluster ${cluster.id} is being deleted`]);
  });
});

describe('the REST routes', () => {
  const plane = cloudPlane('sqlite', { https: false });

  it('pauses (POST …/pause), lists (GET …/pauses) and sets the ingress (PUT …/ingress)', async () => {
    const region = await makeRegion(plane, 'rest');
    const body = { cluster: clusterInit(plane.cp.accountId, region.id, 'rested') };
    const made = await callApi(plane.cp.url, 'POST', `/api/cluster/v1/accounts/${plane.cp.accountId}/clusters`, { body, headers: plane.auth() });
    expect(made.status).toBe(200);
    const base = `/api/qhc/v1/accounts/${plane.cp.accountId}/clusters/${made.json.cluster.id}`;
    const call = (method: string, path: string, b?: unknown) => callApi(plane.cp.url, method, `${base}${path}`, { body: b, headers: plane.auth() });
    expect((await call('POST', '/pause', { owner: 'ops', reason: 'why' })).json.items).toEqual([expect.objectContaining({ owner: 'ops', reason: 'why' })]);
    expect((await call('GET', '/pauses')).json.items).toHaveLength(1);
    const ingress = { ingress: { enabled: true, host: 'q.example.com', annotations: [] } };
    expect((await call('PUT', '/ingress', { ingress: { host: 'q.example.com' } })).json).toEqual(ingress);
    expect((await call('GET', '/ingress')).json).toEqual(ingress);
    expect((await call('POST', '/unpause', { owner: 'ops' })).json).toEqual({ items: [] });
  });
});
