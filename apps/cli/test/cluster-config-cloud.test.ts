// The configuration flags through the control plane: where `qhc cluster create|update --region`
// puts them in the Cloud API's ClusterConfiguration (proto JSON), the package chosen from the
// catalogue, and the flags the API has no field for.
import { fromJson } from '@bufbuild/protobuf';
import { bookingV1, clusterV1, hybridV1 } from '@qhc/cloud-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyConfigFlagsToConfiguration } from '../src/commands/cluster-config-cloud.ts';
import { cloudEnv, environmentFixture, qhc, stubCloudApi, uuid } from './support.ts';

const ENV_ID = uuid(1);
const pkg = (id: string, cpu: string, ram: string, disk: string) => ({ id, name: `p-${cpu}-${ram}`, resourceConfiguration: { cpu, ram, disk } });
const PACKAGES = [pkg(uuid(51), '500m', '2GiB', '16GiB'), pkg(uuid(52), '1000m', '4GiB', '32GiB'), pkg(uuid(53), '2000m', '8GiB', '64GiB')];

let server: { url: string; close(): Promise<void> };
beforeAll(async () => {
  server = await stubCloudApi((router) => {
    router.service(hybridV1.HybridCloudService, { listHybridCloudEnvironments: () => ({ items: [environmentFixture('r', ENV_ID)] }) });
    router.service(bookingV1.BookingService, { listPackages: () => ({ items: PACKAGES }) });
  });
});
afterAll(() => server.close());

const FLAGS = [
  '--node-selector',
  'disktype=ssd',
  '--toleration',
  'dedicated=qdrant:NoSchedule',
  '--toleration',
  'gpu:NoExecute',
  '--service-type',
  'LoadBalancer',
  '--service-annotation',
  'lb.example.com/internal=true',
  '--storage-class',
  'fast',
  '--volume-snapshot-class',
  'csi-snap',
  '--log-level',
  'DEBUG',
  '--api-key-secret',
  'keys:rw',
  '--read-only-api-key-secret',
  'keys:ro',
  '--rebalance',
];

describe('qhc cluster create --region: configuration flags', () => {
  it('puts every flag where the ClusterConfiguration has it, in a package with the CPU and memory asked for', async () => {
    const run = await qhc(
      ['cluster', 'create', 'demo', '--region', 'r', '--dry-run', '--size', '3', '--cpu', '1', '--memory', '3Gi', '--storage', '40Gi', ...FLAGS],
      cloudEnv(server.url),
    );
    expect([run.code, run.stderr]).toEqual([0, '']);
    const body = parse(run.stdout) as { name: string; cloudProviderId: string; cloudProviderRegionId: string; configuration: Record<string, unknown> };
    expect(body).toMatchObject({ name: 'demo', cloudProviderId: 'hybrid', cloudProviderRegionId: ENV_ID });
    expect(body.configuration).toEqual({
      numberOfNodes: 3,
      packageId: uuid(52),
      additionalResources: { disk: 8 },
      nodeSelector: [{ key: 'disktype', value: 'ssd' }],
      tolerations: [
        { key: 'dedicated', operator: 'TOLERATION_OPERATOR_EQUAL', value: 'qdrant', effect: 'TOLERATION_EFFECT_NO_SCHEDULE' },
        { key: 'gpu', operator: 'TOLERATION_OPERATOR_EXISTS', effect: 'TOLERATION_EFFECT_NO_EXECUTE' },
      ],
      serviceType: 'CLUSTER_SERVICE_TYPE_LOAD_BALANCER',
      serviceAnnotations: [{ key: 'lb.example.com/internal', value: 'true' }],
      clusterStorageConfiguration: { databaseStorageClass: 'fast', volumeSnapshotClass: 'csi-snap' },
      databaseConfiguration: {
        logLevel: 'DATABASE_CONFIGURATION_LOG_LEVEL_DEBUG',
        service: { apiKey: { name: 'keys', key: 'rw' }, readOnlyApiKey: { name: 'keys', key: 'ro' } },
      },
      rebalanceStrategy: 'CLUSTER_CONFIGURATION_REBALANCE_STRATEGY_BY_COUNT_AND_SIZE',
    });
    expect(() => fromJson(clusterV1.ClusterConfigurationSchema, body.configuration as never)).not.toThrow();
  });

  it('a package by name; none that fits, ingress flags and a free-form log level are usage errors', async () => {
    const named = await qhc(['cluster', 'create', 'demo', '--region', 'r', '--dry-run', '--package', 'p-2000m-8GiB'], cloudEnv(server.url));
    expect((parse(named.stdout) as { configuration: { packageId: string } }).configuration.packageId).toBe(uuid(53));
    for (const [flags, message] of [
      [['--cpu', '4'], 'error: no package has 4 CPU and any memory\n'],
      [['--ingress-host', 'q.example.com'], 'error: the Cloud API has no ingress setting for a cluster\n'],
      [['--log-level', 'debug,actix=warn'], 'error: --log-level "debug,actix=warn": the Cloud API takes one of TRACE, DEBUG, INFO, WARN, ERROR, OFF\n'],
    ] as Array<[string[], string]>) {
      const run = await qhc(['cluster', 'create', 'demo', '--region', 'r', '--dry-run', ...flags], cloudEnv(server.url));
      expect([run.code, run.stderr.split('hint:')[0]], flags.join(' ')).toEqual([2, message]);
    }
  });
});

describe('qhc cluster update --region', () => {
  const current = {
    numberOfNodes: 3,
    packageId: 'p',
    nodeSelector: [
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ],
    rebalanceStrategy: 'CLUSTER_CONFIGURATION_REBALANCE_STRATEGY_DISABLED',
    gpuConfiguration: { devices: ['0'] },
  };

  it('changes only what its flags name: key- removes, default unsets rebalancing, the rest stays', () => {
    expect(applyConfigFlagsToConfiguration(current, { nodeSelector: ['a-', 'c=3'] })).toEqual({
      ...current,
      nodeSelector: [
        { key: 'b', value: '2' },
        { key: 'c', value: '3' },
      ],
    });
    const { rebalanceStrategy: _r, ...rest } = current;
    expect(applyConfigFlagsToConfiguration(current, { rebalance: 'default' })).toEqual(rest);
    expect(applyConfigFlagsToConfiguration(current, { rebalance: 'on' })).toEqual({
      ...current,
      rebalanceStrategy: 'CLUSTER_CONFIGURATION_REBALANCE_STRATEGY_BY_COUNT_AND_SIZE',
    });
  });
});
