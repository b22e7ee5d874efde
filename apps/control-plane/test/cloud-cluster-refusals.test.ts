// Malformed ClusterService requests: each answers its code with a message naming the field, and
// nothing is written (every row the service touches is the same before and after).
import { randomUUID } from 'node:crypto';
import { Code, type Client, type ConnectError } from '@connectrpc/connect';
import { clusterV1, commonV1 } from '@qhc/cloud-api';
import { describe, expect, it } from 'vitest';
import { cloudPlane, failure, type CloudPlane, type Dialect } from './support/cloud.ts';
import { clusterClient, clusterDigest, clusterInit, makeRegion, type ClusterInit, type ConfigurationInit } from './support/cloud-clusters.ts';

interface Context {
  client: Client<typeof clusterV1.ClusterService>;
  plane: CloudPlane;
  /** A valid new cluster in the environment, with configuration changes. */
  valid: (configuration?: ConfigurationInit) => ClusterInit;
  /** Two clusters that exist: "existing" and "other". */
  existing: clusterV1.Cluster;
}

interface Case {
  name: string;
  code: Code;
  message: RegExp;
  run: (ctx: Context) => Promise<unknown>;
}

const create = (ctx: Context, cluster: ClusterInit | undefined, headers: Record<string, string> = {}) =>
  ctx.client.createCluster(cluster ? { cluster } : {}, { headers: { ...ctx.plane.auth(), ...headers } });
const createWith = (change: Partial<ClusterInit>) => (ctx: Context) => create(ctx, { ...ctx.valid(), ...change });
// Enum fields as plain numbers: some are out of their enum on purpose.
const configured = (configuration: Record<string, unknown>) => (ctx: Context) => create(ctx, ctx.valid(configuration as ConfigurationInit));
const update = (ctx: Context, cluster: ClusterInit, mask?: string[]) =>
  ctx.client.updateCluster({ cluster, ...(mask ? { updateMask: { paths: mask } } : {}) }, { headers: ctx.plane.auth() });
const enumNumber = (desc: { values: ReadonlyArray<{ localName: string; number: number }> }, name: string) =>
  desc.values.find((v) => v.localName === name)!.number;
const invalid = (name: string, message: RegExp, run: Case['run']): Case => ({ name, code: Code.InvalidArgument, message, run });

const CREATE_CASES: Case[] = [
  invalid('no cluster', /^cluster/, (ctx) => create(ctx, undefined)),
  invalid('an id', /^cluster\.id: is set by the server/, createWith({ id: randomUUID() })),
  invalid('a state', /^cluster\.state: is set by the server/, createWith({ state: {} })),
  invalid('a one-letter name', /^cluster\.name: must be 2 to 64 characters/, createWith({ name: 'a' })),
  invalid('a name with spaces', /^cluster\.name: "bad name!" may contain only/, createWith({ name: 'bad name!' })),
  invalid('a 65-character name', /^cluster\.name: must be 2 to 64 characters, got 65/, createWith({ name: 'n'.repeat(65) })),
  invalid('another provider', /^cluster\.cloud_provider_id: must be "hybrid"/, createWith({ cloudProviderId: 'aws' })),
  invalid('an environment id that is no UUID', /^cluster\.cloud_provider_region_id: must be the UUID/, createWith({ cloudProviderRegionId: 'eu-1' })),
  {
    name: 'an unknown environment',
    code: Code.NotFound,
    message: /^cluster\.cloud_provider_region_id: hybrid environment/,
    run: createWith({ cloudProviderRegionId: randomUUID() }),
  },
  invalid(
    '11 labels',
    /^cluster\.labels: must have at most 10 items, got 11/,
    createWith({ labels: Array.from({ length: 11 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }),
  ),
  invalid('a label without key', /^cluster\.labels\[0\]\.key: must not be empty/, createWith({ labels: [{ key: '', value: 'v' }] })),
  invalid('a bad cost allocation label', /^cluster\.cost_allocation_label:/, createWith({ costAllocationLabel: '-bad-' })),
  invalid('no configuration', /^cluster\.configuration: missing/, (ctx) => create(ctx, { ...ctx.valid(), configuration: undefined })),
  invalid('0 nodes', /^cluster\.configuration\.number_of_nodes: /, configured({ numberOfNodes: 0 })),
  invalid('101 nodes', /^cluster\.configuration\.number_of_nodes: /, configured({ numberOfNodes: 101 })),
  invalid('a version that is no release', /^cluster\.configuration\.version: "v1" is not a version/, configured({ version: 'v1' })),
  invalid('a package id that is no UUID', /^cluster\.configuration\.package_id: "small" is not a UUID/, configured({ packageId: 'small' })),
  invalid('an unknown package', /^cluster\.configuration\.package_id: ".*" is not a package of this control plane/, configured({ packageId: randomUUID() })),
  invalid(
    'a GPU type',
    /^cluster\.configuration\.gpu_type: not supported by qhc/,
    configured({ gpuType: enumNumber(clusterV1.ClusterConfigurationGpuTypeSchema, 'NVIDIA') }),
  ),
  invalid('a GPU configuration', /^cluster\.configuration\.gpu_configuration: not supported by qhc/, configured({ gpuConfiguration: {} })),
  invalid(
    'a storage tier',
    /^cluster\.configuration\.cluster_storage_configuration\.storage_tier_type: not supported by qhc/,
    configured({ clusterStorageConfiguration: { storageTierType: enumNumber(commonV1.StorageTierTypeSchema, 'PERFORMANCE') } }),
  ),
  invalid(
    'a source range that is no CIDR',
    /^cluster\.configuration\.allowed_ip_source_ranges\[0\]: "everyone" is not an IPv4 CIDR/,
    configured({ allowedIpSourceRanges: ['everyone'] }),
  ),
  invalid('90% reserved CPU', /^cluster\.configuration\.reserved_cpu_percentage: must be between 1 and 80, got 90/, configured({ reservedCpuPercentage: 90 })),
  invalid(
    'a node selector key given twice',
    /^cluster\.configuration\.node_selector\[1\]\.key: "zone" is given twice/,
    configured({
      nodeSelector: [
        { key: 'zone', value: 'a' },
        { key: 'zone', value: 'b' },
      ],
    }),
  ),
  invalid(
    'a node selector key with a space',
    /^cluster\.configuration\.node_selector key "bad key": invalid label key/,
    configured({ nodeSelector: [{ key: 'bad key', value: 'a' }] }),
  ),
  invalid(
    'a toleration Exists with a value',
    /^cluster\.configuration\.tolerations\[0\]\.value: must be empty when operator is Exists/,
    configured({ tolerations: [{ key: 'gpu', operator: enumNumber(clusterV1.TolerationOperatorSchema, 'EXISTS'), value: 'yes' }] }),
  ),
  invalid('a service type out of the enum', /^cluster\.configuration\.service_type: 9 is not a value of the enum/, configured({ serviceType: 9 })),
  invalid(
    'a replication factor of 0',
    /^cluster\.configuration\.database_configuration\.collection\.replication_factor: /,
    configured({ databaseConfiguration: { collection: { replicationFactor: 0 } } }),
  ),
  invalid(
    'an API key secret with an invalid name',
    /^cluster\.configuration\.database_configuration\.service\.api_key\.name: /,
    configured({ databaseConfiguration: { service: { apiKey: { name: 'Bad_Name', key: 'api-key' } } } }),
  ),
  invalid(
    'a log level out of the enum',
    /^cluster\.configuration\.database_configuration\.log_level: 42 is not a value/,
    configured({ databaseConfiguration: { logLevel: 42 } }),
  ),
  invalid(
    'a topology spread with max skew 0',
    /^cluster\.configuration\.topology_spread_constraints\[0\]\.max_skew: must be at least 1/,
    configured({ topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'kubernetes.io/hostname' }] }),
  ),
  invalid(
    'a storage class that is no name',
    /^cluster\.configuration\.cluster_storage_configuration\.database_storage_class: /,
    configured({ clusterStorageConfiguration: { databaseStorageClass: 'Bad Class' } }),
  ),
  invalid('a qc-jwt-rbac header that is no boolean', /^qc-jwt-rbac header: must be "true" or "false", got "yes"/, (ctx) =>
    create(ctx, ctx.valid(), { 'qc-jwt-rbac': 'yes' }),
  ),
];

const asSent = (ctx: Context) => ({ ...ctx.valid(), name: ctx.existing.name, id: ctx.existing.id });

const OTHER_CASES: Case[] = [
  invalid('an update without a UUID id', /^cluster\.id: "x" is not a UUID/, (ctx) => update(ctx, { ...asSent(ctx), id: 'x' })),
  {
    name: 'an update of an unknown cluster',
    code: Code.NotFound,
    message: /^cluster .* does not exist/,
    run: (ctx) => update(ctx, { ...asSent(ctx), id: randomUUID() }),
  },
  invalid('an update moving the cluster', /^cluster\.cloud_provider_region_id: cannot change after creation/, (ctx) =>
    update(ctx, { ...asSent(ctx), cloudProviderRegionId: randomUUID() }),
  ),
  invalid('an update mask naming the state', /^update_mask\.paths\[0\]: "state" is not a field UpdateCluster changes/, (ctx) =>
    update(ctx, asSent(ctx), ['state']),
  ),
  invalid('an update with 0 nodes', /^cluster\.configuration\.number_of_nodes: /, (ctx) =>
    update(ctx, { ...asSent(ctx), configuration: { ...asSent(ctx).configuration, numberOfNodes: 0 } }),
  ),
  {
    name: 'a rename to a taken name',
    code: Code.AlreadyExists,
    message: /^cluster\.name: a cluster named other already exists/,
    run: (ctx) => update(ctx, { ...asSent(ctx), name: 'other' }),
  },
  invalid('a get without a UUID', /^cluster_id: "x" is not a UUID/, (ctx) =>
    ctx.client.getCluster({ accountId: ctx.plane.cp.accountId, clusterId: 'x' }, { headers: ctx.plane.auth() }),
  ),
  invalid('a page size of 0', /^page_size: must be between 1 and 250/, (ctx) =>
    ctx.client.listClusters({ accountId: ctx.plane.cp.accountId, pageSize: 0 }, { headers: ctx.plane.auth() }),
  ),
  invalid('a page token never given', /^page_token: /, (ctx) =>
    ctx.client.listClusters({ accountId: ctx.plane.cp.accountId, pageToken: 'abc' }, { headers: ctx.plane.auth() }),
  ),
  invalid('an environment filter without provider', /^cloud_provider_id: is required/, (ctx) =>
    ctx.client.listClusters({ accountId: ctx.plane.cp.accountId, cloudProviderRegionId: randomUUID() }, { headers: ctx.plane.auth() }),
  ),
];

async function contextOf(plane: CloudPlane): Promise<Context> {
  const client = clusterClient(plane);
  const region = await makeRegion(plane, `refusals-${randomUUID().slice(0, 8)}`);
  const valid = (configuration: ConfigurationInit = {}) => clusterInit(plane.cp.accountId, region.id, 'valid-name', configuration);
  const make = async (name: string) => (await client.createCluster({ cluster: { ...valid(), name } }, { headers: plane.auth() })).cluster!;
  const existing = await make('existing');
  await make('other');
  return { client, plane, valid, existing };
}

async function expectRefusals(plane: CloudPlane, cases: Case[]): Promise<void> {
  const ctx = await contextOf(plane);
  const before = await clusterDigest(plane);
  for (const c of cases) {
    const error = (await failure(c.run(ctx))) as ConnectError;
    expect({ case: c.name, code: error.code, message: error.rawMessage }).toEqual({ case: c.name, code: c.code, message: expect.stringMatching(c.message) });
  }
  expect(await clusterDigest(plane)).toEqual(before);
}

describe.each(['sqlite', 'postgres'] as const)('malformed ClusterService requests on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it(`refuses ${CREATE_CASES.length} malformed creations, naming the field, writing nothing`, async () => {
    await expectRefusals(plane, CREATE_CASES);
  });

  it(`refuses ${OTHER_CASES.length} malformed updates, reads and lists, naming the field, writing nothing`, async () => {
    await expectRefusals(plane, OTHER_CASES);
  });
});
