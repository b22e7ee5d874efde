import { create } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { clusterV1, hybridV1 } from '@qhc/cloud-api';
import { describe, expect, it } from 'vitest';
import { errorMessage } from '../app/src/api.ts';
import { clusterPhase, isSuspended, packageLabel, SERVICE_TYPE_CHOICES, serviceTypeName, serviceTypeOf } from '../app/src/lib/clusters.ts';
import { configurationToYaml, messageToYaml, parseConfiguration, parseMessageYaml, STARTER_CONFIGURATION } from '../app/src/lib/message-yaml.ts';
import { cloudPages, loadPages, slicePages } from '../app/src/lib/pages.ts';
import { describeProblem } from '../app/src/lib/problems.ts';
import { enumLabel } from '../app/src/lib/status.ts';
import { backupName, durationToHours, hoursToDuration } from '../app/src/pages/backups/use-submit.ts';

describe('configurations edited as YAML (their proto JSON form)', () => {
  it('the starter parses; a configuration round-trips through YAML exactly, unset fields left out', () => {
    expect(parseConfiguration(STARTER_CONFIGURATION).problems).toEqual([]);
    const configuration = create(hybridV1.HybridCloudEnvironmentConfigurationSchema, {
      namespace: 'qdrant',
      noProxyConfigs: ['10.0.0.0/8'],
      caCertificates: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n',
      logLevel: hybridV1.HybridCloudEnvironmentConfigurationLogLevel.DEBUG,
    });
    const text = configurationToYaml(configuration);
    expect(text).not.toContain('httpProxyUrl');
    expect(text).toContain('logLevel: HYBRID_CLOUD_ENVIRONMENT_CONFIGURATION_LOG_LEVEL_DEBUG');
    expect(parseConfiguration(text).configuration).toEqual(configuration);
    expect(configurationToYaml(undefined)).toBe('');
  });

  it('an unknown field and a wrong enum value are problems at their line, each named', () => {
    const { configuration, problems } = parseConfiguration('namespace: qdrant\nlogLevel: LOUD\nunknownKey: true\n');
    expect(configuration).toBeUndefined();
    expect(problems.map(describeProblem)).toEqual([
      expect.stringMatching(/^Line 2, column 1: logLevel: /),
      'Line 3, column 1: unknownKey: not a field of the configuration',
    ]);
  });

  it('a YAML syntax error and a document that is not a map are problems too; an empty text is an empty configuration', () => {
    expect(parseConfiguration('namespace: [\n').problems[0]).toMatchObject({ path: [], line: expect.any(Number) });
    expect(parseConfiguration('- a\n').problems.map((p) => p.message)).toEqual(['must be a map of the configuration fields']);
    expect(parseConfiguration('')).toEqual({ configuration: create(hybridV1.HybridCloudEnvironmentConfigurationSchema), problems: [] });
  });

  it("a cluster's configuration the same way", () => {
    const configuration = create(clusterV1.ClusterConfigurationSchema, {
      numberOfNodes: 3,
      packageId: 'p',
      serviceType: clusterV1.ClusterServiceType.LOAD_BALANCER,
      nodeSelector: [{ key: 'disktype', value: 'ssd' }],
    });
    const text = messageToYaml(clusterV1.ClusterConfigurationSchema, configuration);
    expect(parseMessageYaml(clusterV1.ClusterConfigurationSchema, text).message).toEqual(configuration);
    expect(parseMessageYaml(clusterV1.ClusterConfigurationSchema, 'numberOfNodes: many\n').problems[0]).toMatchObject({ path: ['numberOfNodes'], line: 1 });
  });
});

const cluster = (phase?: clusterV1.ClusterPhase, deleted = false) =>
  create(clusterV1.ClusterSchema, { ...(phase === undefined ? {} : { state: { phase } }), ...(deleted ? { deletedAt: { seconds: 1n } } : {}) });

describe('what the pages show of the API', () => {
  it('phases in the operator words; Deleting once deleted, Pending before a report', () => {
    expect(clusterPhase(cluster(clusterV1.ClusterPhase.FAILED_TO_CREATE))).toBe('FailedToCreate');
    expect(clusterPhase(cluster(clusterV1.ClusterPhase.HEALTHY, true))).toBe('Deleting');
    expect(clusterPhase(cluster())).toBe('Pending');
    expect([isSuspended(cluster(clusterV1.ClusterPhase.SUSPENDED)), isSuspended(cluster(clusterV1.ClusterPhase.HEALTHY))]).toEqual([true, false]);
    expect(enumLabel(clusterV1.ClusterPhaseSchema, clusterV1.ClusterPhase.UNSPECIFIED)).toBeUndefined();
  });

  it('service types as Kubernetes names them, every one the API has', () => {
    const named = clusterV1.ClusterServiceTypeSchema.values.filter((v) => v.localName !== 'UNSPECIFIED').map((v) => v.number);
    expect(SERVICE_TYPE_CHOICES.map(([, v]) => v)).toEqual(named);
    expect([serviceTypeName(undefined), serviceTypeName(clusterV1.ClusterServiceType.NODE_PORT), serviceTypeOf('LoadBalancer')]).toEqual([
      'ClusterIP',
      'NodePort',
      clusterV1.ClusterServiceType.LOAD_BALANCER,
    ]);
    const pkg = { name: 'small', resourceConfiguration: { cpu: '1', ram: '4Gi', disk: '20Gi' } } as Parameters<typeof packageLabel>[0];
    expect(packageLabel(pkg)).toBe('small: 1 CPU, 4Gi memory, 20Gi disk');
  });

  it("errors show the server's message, without the code prefix", () => {
    const refused = new ConnectError('cluster.configuration.number_of_nodes: must be between 1 and 100', Code.InvalidArgument);
    expect(refused.message).toMatch(/^\[invalid_argument\]/);
    expect(errorMessage(refused)).toBe('cluster.configuration.number_of_nodes: must be between 1 and 100');
    expect(errorMessage(new Error('plain'))).toBe('plain');
  });

  it("retention periods in hours; a backup's default name", () => {
    expect(backupName('hello', new Date('2026-12-01T06:07:08.123Z'))).toBe('hello-20261201-060708');
    expect([hoursToDuration('72h'), hoursToDuration(' 3 '), hoursToDuration('')]).toEqual([{ seconds: 259_200n }, { seconds: 10_800n }, undefined]);
    expect(() => hoursToDuration('3 days')).toThrow('"3 days" is not a number of hours, e.g. 72h');
    expect([durationToHours({ seconds: 259_200n }), durationToHours(undefined)]).toEqual(['72h', undefined]);
  });
});

describe('Cloud API lists page by page', () => {
  it('cloudPages maps page_size/page_token and stops where no next_page_token comes', async () => {
    const asked: Array<{ pageSize: number; pageToken?: string }> = [];
    const fetchPage = cloudPages(async (q) => {
      asked.push(q);
      const start = q.pageToken ? Number(q.pageToken) : 0;
      const end = Math.min(start + q.pageSize, 25);
      return { items: Array.from({ length: end - start }, (_, i) => start + i), nextPageToken: end < 25 ? String(end) : '' };
    });
    expect(await loadPages(fetchPage, 9, 10)).toEqual({ items: Array.from({ length: 25 }, (_, i) => i), more: false });
    expect(asked).toEqual([{ pageSize: 10 }, { pageSize: 10, pageToken: '10' }, { pageSize: 10, pageToken: '20' }]);
  });

  it('slicePages shows a whole list (the environments) a page at a time', async () => {
    const fetchPage = slicePages(async () => Array.from({ length: 205 }, (_, i) => i));
    expect((await loadPages(fetchPage, 1)).items).toHaveLength(100);
    expect(await loadPages(fetchPage, 2)).toMatchObject({ more: true });
    expect(await loadPages(fetchPage, 3)).toEqual({ items: Array.from({ length: 205 }, (_, i) => i), more: false });
  });
});
