// Long lists are refused by their count, before any item is looked at: one problem per field,
// a status message that fits a header, and environments small enough to List.
import { create as createMessage } from '@bufbuild/protobuf';
import { Code } from '@connectrpc/connect';
import { clusterV1 } from '@qhc/cloud-api';
import { describe, expect, it } from 'vitest';
import { checkClusterFields } from '../src/cloud/cluster/validate.ts';
import { invalidArgument, MAX_PROBLEMS } from '../src/cloud/hybrid/problems.ts';
import { cloudPlane, failure } from './support/cloud.ts';
import { codeOf, grpcHybridClient, hybridDigest, messageOf, uniqueName, type ConfigurationInit } from './support/hybrid.ts';

describe('environment lists over their limits', () => {
  const plane = cloudPlane('sqlite');
  const create = (configuration: ConfigurationInit) =>
    failure(
      grpcHybridClient(plane).createHybridCloudEnvironment(
        { hybridCloudEnvironment: { accountId: plane.cp.accountId, name: uniqueName(), configuration: { namespace: 'qhc', ...configuration } } },
        { headers: plane.auth() },
      ),
    );
  const CONFIG = 'hybrid_cloud_environment.configuration';

  it('refuses each list by its count alone, writing nothing', async () => {
    const before = await hybridDigest(plane);
    const error = await create({
      noProxyConfigs: Array.from({ length: 3000 }, () => 'bad host!'),
      tolerations: Array.from({ length: 3000 }, () => ({})),
      nodeSelector: Array.from({ length: 11 }, () => ({ key: 'k', value: 'v' })),
      ingress: Array.from({ length: 21 }, () => ({})),
    });
    expect(codeOf(error)).toBe(Code.InvalidArgument);
    expect(messageOf(error)).toBe(
      [
        `${CONFIG}.no_proxy_configs: must have at most 100 items, got 3000`,
        `${CONFIG}.ingress: must have at most 20 items, got 21`,
        `${CONFIG}.tolerations: must have at most 10 items, got 3000`,
        `${CONFIG}.node_selector: must have at most 10 items, got 11`,
      ].join('; '),
    );
    expect(await hybridDigest(plane)).toEqual(before);
  });

  it('refuses what Kubernetes refuses of a toleration: an empty key without Exists (told once)', async () => {
    const error = await create({ tolerations: [{}] });
    expect(messageOf(error)).toBe(`${CONFIG}.tolerations[0].operator: must be Exists when key is empty (a toleration that matches every taint)`);
  });

  it('refuses a node_selector key given twice', async () => {
    const error = await create({
      nodeSelector: [
        { key: 'zone', value: 'a' },
        { key: 'zone', value: 'b' },
      ],
    });
    expect(messageOf(error)).toBe(`${CONFIG}.node_selector[1].key: "zone" is given more than once`);
  });
});

describe('problem lists', () => {
  it('tells the first problems, each cut short, and how many more', () => {
    const problems = Array.from({ length: MAX_PROBLEMS + 5 }, (_, i) => ({ path: `f${i}`, message: 'x'.repeat(1000) }));
    const message = invalidArgument(problems).rawMessage;
    expect(message.split('; ')).toHaveLength(MAX_PROBLEMS + 1);
    expect(message.endsWith('; …and 5 more')).toBe(true);
    expect(message.split('; ')[0]).toHaveLength(300);
  });

  it('checks a cluster list by its count before its items', () => {
    const problems = checkClusterFields(
      createMessage(clusterV1.ClusterSchema, {
        name: 'ok',
        cloudProviderId: 'hybrid',
        cloudProviderRegionId: '00000000-0000-4000-8000-000000000000',
        labels: Array.from({ length: 400 }, () => ({ key: '' })),
        configuration: { allowedIpSourceRanges: Array.from({ length: 400 }, () => 'x'), packageId: '00000000-0000-4000-8000-000000000000' },
      }),
    );
    expect(problems.map((p) => p.field)).toEqual(['cluster.labels', 'cluster.configuration.allowed_ip_source_ranges']);
  });
});
