// Malformed HybridCloudService requests: each answers the right code, names the field (its
// proto path), and leaves the database as it was.
import { randomUUID } from 'node:crypto';
import { Code } from '@connectrpc/connect';
import { beforeAll, describe, expect, it } from 'vitest';
import { cloudPlane, failure, type CloudPlane } from './support/cloud.ts';
import {
  codeOf,
  createEnvironment,
  grpcHybridClient,
  hybridDigest,
  messageOf,
  uniqueName,
  type ConfigurationInit,
  type HybridClient,
} from './support/hybrid.ts';

interface Case {
  what: string;
  call: (client: HybridClient, plane: CloudPlane, existing: { id: string; name: string }) => Promise<unknown>;
  code: Code;
  field: string;
}

const ENV = 'hybrid_cloud_environment';
const CONFIG = `${ENV}.configuration`;
const createWith =
  (configuration: ConfigurationInit | undefined, fields: { name?: string; id?: string } = {}): Case['call'] =>
  (client, plane) =>
    client.createHybridCloudEnvironment(
      { hybridCloudEnvironment: { accountId: plane.cp.accountId, name: fields.name ?? uniqueName(), ...(fields.id ? { id: fields.id } : {}), configuration } },
      { headers: plane.auth() },
    );
const configCase = (what: string, configuration: ConfigurationInit, field: string): Case => ({
  what,
  call: createWith({ namespace: 'qhc', ...configuration }),
  code: Code.InvalidArgument,
  field: `${CONFIG}.${field}`,
});
const peer = (p: object) => ({ ports: [], from: [p] });

const CREATE_CASES: Case[] = [
  { what: 'no environment', call: (c, p) => c.createHybridCloudEnvironment({}, { headers: p.auth() }), code: Code.InvalidArgument, field: `${ENV}.account_id` },
  { what: 'empty name', call: createWith({ namespace: 'qhc' }, { name: '' }), code: Code.InvalidArgument, field: `${ENV}.name` },
  { what: 'name with a space', call: createWith({ namespace: 'qhc' }, { name: 'my env' }), code: Code.InvalidArgument, field: `${ENV}.name` },
  { what: 'name of 65', call: createWith({ namespace: 'qhc' }, { name: 'x'.repeat(65) }), code: Code.InvalidArgument, field: `${ENV}.name` },
  { what: 'an id on create', call: createWith({ namespace: 'qhc' }, { id: randomUUID() }), code: Code.InvalidArgument, field: `${ENV}.id` },
  { what: 'no configuration', call: createWith(undefined), code: Code.InvalidArgument, field: `${CONFIG}.namespace` },
  configCase('namespace in capitals', { namespace: 'QHC' }, 'namespace'),
  configCase('http proxy not a URL', { httpProxyUrl: 'not a url' }, 'http_proxy_url'),
  configCase('https proxy of another scheme', { httpsProxyUrl: 'ftp://proxy:21' }, 'https_proxy_url'),
  configCase('no_proxy entry', { noProxyConfigs: ['ok.internal', 'bad host!'] }, 'no_proxy_configs[1]'),
  configCase('registry URL', { containerRegistryUrl: 'registry with spaces' }, 'container_registry_url'),
  configCase('chart repository URL', { chartRepositoryUrl: '::' }, 'chart_repository_url'),
  configCase('registry secret name', { registrySecretName: 'pull-secret' }, 'registry_secret_name'),
  configCase('CA certificates', { caCertificates: 'not a certificate' }, 'ca_certificates'),
  configCase('database storage class', { databaseStorageClass: 'Fast_SSD' }, 'database_storage_class'),
  configCase('snapshot storage class', { snapshotStorageClass: '-bad-' }, 'snapshot_storage_class'),
  configCase('volume snapshot class', { volumeSnapshotStorageClass: 'UPPER' }, 'volume_snapshot_storage_class'),
  configCase('ingress peer unset', { ingress: [peer({})] }, 'ingress[0].from[0]'),
  configCase('ingress CIDR', { ingress: [peer({ peerType: { case: 'ipBlock', value: { cidr: '10.0.0.0/99' } } })] }, 'ingress[0].from[0].ip_block.cidr'),
  configCase('egress port', { egress: [{ ports: [{ portSpec: { case: 'portNumber', value: 70000 } }] }] }, 'egress[0].ports[0].port_number'),
  configCase('egress port name', { egress: [{ ports: [{ portSpec: { case: 'portName', value: 'Not_A_Port' } }] }] }, 'egress[0].ports[0].port_name'),
  configCase('log level', { logLevel: 99 as never }, 'log_level'),
  configCase('toleration value with Exists', { tolerations: [{ key: 'k', operator: 1, value: 'v' }] }, 'tolerations[0].value'),
  configCase('toleration effect', { tolerations: [{ key: 'k', effect: 9 as never }] }, 'tolerations[0].effect'),
  configCase(
    'node selector key twice',
    {
      nodeSelector: [
        { key: 'zone', value: 'a' },
        { key: 'zone', value: 'b' },
      ],
    },
    'node_selector[1].key',
  ),
  configCase(
    'node selector key',
    {
      nodeSelector: [
        { key: 'ok', value: 'a' },
        { key: 'bad key!', value: 'b' },
      ],
    },
    'node_selector[1]',
  ),
  configCase(
    'operator settings value',
    { advancedOperatorSettings: { settings: { qdrant: { log_level: 'LOUD' } } } },
    'advanced_operator_settings.settings.qdrant.log_level',
  ),
  configCase('operator settings key', { advancedOperatorSettings: { settings: { nonsense: true } } }, 'advanced_operator_settings.settings'),
  configCase('control plane labels', { controlPlaneLabels: [{ key: 'team', value: 'a' }] }, 'control_plane_labels'),
];

const ids = (plane: CloudPlane, id: string) => ({ accountId: plane.cp.accountId, hybridCloudEnvironmentId: id });
const update =
  (env: object, paths?: string[]): Case['call'] =>
  (client, plane, existing) =>
    client.updateHybridCloudEnvironment(
      { hybridCloudEnvironment: { accountId: plane.cp.accountId, id: existing.id, name: existing.name, ...env }, ...(paths ? { updateMask: { paths } } : {}) },
      { headers: plane.auth() },
    );

const OTHER_CASES: Case[] = [
  {
    what: 'get: id not a UUID',
    call: (c, p) => c.getHybridCloudEnvironment(ids(p, 'nope'), { headers: p.auth() }),
    code: Code.InvalidArgument,
    field: 'hybrid_cloud_environment_id',
  },
  {
    what: 'get: unknown id',
    call: (c, p) => c.getHybridCloudEnvironment(ids(p, randomUUID()), { headers: p.auth() }),
    code: Code.NotFound,
    field: 'hybrid cloud environment',
  },
  {
    what: 'delete: id not a UUID',
    call: (c, p) => c.deleteHybridCloudEnvironment(ids(p, '1'), { headers: p.auth() }),
    code: Code.InvalidArgument,
    field: 'hybrid_cloud_environment_id',
  },
  {
    what: 'bootstrap: unknown id',
    call: (c, p) => c.generateBootstrapCommands(ids(p, randomUUID()), { headers: p.auth() }),
    code: Code.NotFound,
    field: 'hybrid cloud environment',
  },
  {
    what: 'list: another account',
    call: (c, p) => c.listHybridCloudEnvironments({ accountId: randomUUID() }, { headers: p.auth() }),
    code: Code.PermissionDenied,
    field: 'account_id',
  },
  { what: 'update: namespace changed', call: update({ configuration: { namespace: 'moved' } }), code: Code.InvalidArgument, field: `${CONFIG}.namespace` },
  {
    what: 'update: namespace changed by mask',
    call: update({ configuration: { namespace: 'moved' } }, ['configuration.namespace']),
    code: Code.InvalidArgument,
    field: `${CONFIG}.namespace`,
  },
  {
    what: 'update: unknown mask path',
    call: update({ configuration: { namespace: 'qhc' } }, ['name', 'configuration.colour']),
    code: Code.InvalidArgument,
    field: 'update_mask.paths[1]',
  },
  { what: 'update: server-owned mask path', call: update({}, ['status']), code: Code.InvalidArgument, field: 'update_mask.paths[0]' },
  {
    what: 'update: bad value by mask',
    call: update({ configuration: { httpProxyUrl: 'nope' } }, ['configuration.http_proxy_url']),
    code: Code.InvalidArgument,
    field: `${CONFIG}.http_proxy_url`,
  },
  { what: 'update: id not a UUID', call: update({ id: 'x', configuration: { namespace: 'qhc' } }), code: Code.InvalidArgument, field: `${ENV}.id` },
  { what: 'update: name taken', call: update({ name: 'taken', configuration: { namespace: 'qhc' } }), code: Code.AlreadyExists, field: '"taken"' },
];

describe.each([
  ['malformed creates', CREATE_CASES],
  ['malformed reads, updates, deletes and bootstrap requests', OTHER_CASES],
] as const)('%s', (_title, cases) => {
  const plane = cloudPlane('sqlite');
  let existing = { id: '', name: '' };
  // An environment to refuse changes of, and one named "taken".
  beforeAll(async () => {
    const client = grpcHybridClient(plane);
    await createEnvironment(plane, client, { namespace: 'qhc' }, 'taken');
    const env = await createEnvironment(plane, client, { namespace: 'qhc' });
    existing = { id: env.id, name: env.name };
  });
  it.each(cases.map((c) => [c.what, c] as const))('%s', async (_what, c) => {
    const client = grpcHybridClient(plane);
    const before = await hybridDigest(plane);
    const error = await failure(c.call(client, plane, existing));
    expect(codeOf(error), messageOf(error)).toBe(c.code);
    expect(messageOf(error)).toContain(c.field);
    // One problem, told once.
    if (c.code === Code.InvalidArgument) expect(messageOf(error).match(/(^|; )[a-z_]+[a-z_.[\]0-9]*: /g)).toHaveLength(1);
    expect(await hybridDigest(plane)).toEqual(before);
  });
});

describe('refusal messages', () => {
  const plane = cloudPlane('sqlite');
  it('name every problem of a request at once, each by its field', async () => {
    const error = await failure(
      createWith({ namespace: 'Bad', httpProxyUrl: 'x', tolerations: [{ key: 'k', effect: 7 as never }] }, { name: 'bad name' })(
        grpcHybridClient(plane),
        plane,
        { id: '', name: '' },
      ),
    );
    const message = messageOf(error);
    for (const field of [`${ENV}.name`, `${CONFIG}.namespace`, `${CONFIG}.http_proxy_url`, `${CONFIG}.tolerations[0].effect`])
      expect(message).toContain(`${field}: `);
  });
});
