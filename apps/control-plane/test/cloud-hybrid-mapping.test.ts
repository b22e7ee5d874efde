// The pure parts of HybridCloudService: a configuration → the Region spec (typed fields over
// advanced_operator_settings, extra network policy rules after the settings' own), and a
// region's reported status → the API's status.
import { create } from '@bufbuild/protobuf';
import { hybridV1 } from '@qhc/cloud-api';
import { DEFAULT_EGRESS_RULES, type RegionHealth } from '@qhc/schemas';
import { describe, expect, it } from 'vitest';
import { regionSpecOf } from '../src/cloud/hybrid/configuration.ts';
import { Distribution, Phase } from '../src/cloud/hybrid/enums.ts';
import { environmentStatusOf, SYNC_WITHIN_MS } from '../src/cloud/hybrid/status.ts';
import type { ConfigurationInit } from './support/hybrid.ts';

const identity = {
  name: 'r',
  agentVersion: '0.1.0',
  operatorVersion: '0.1.0',
  containerRegistryUrl: 'https://r.example/q/',
  chartRepositoryUrl: 'oci://r.example/c',
};
const specOf = (init: ConfigurationInit) => {
  const checked = regionSpecOf(create(hybridV1.HybridCloudEnvironmentConfigurationSchema, init), 'configuration', identity);
  if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
  return checked.value;
};

describe('configuration → Region spec', () => {
  it('lets typed fields win over advanced_operator_settings, and keeps what only the settings say', () => {
    const spec = specOf({
      namespace: 'qhc',
      databaseStorageClass: 'typed',
      advancedOperatorSettings: { settings: { backupTimeout: 77, storage: { default_storage_class_names: { db: 'advanced', snapshot: 'snap' } } } },
    });
    expect(spec.operatorSettings.settings.storage.default_storage_class_names).toEqual({ db: 'typed', snapshot: 'snap' });
    expect(spec.operatorSettings.settings.backupTimeout).toBe(77);
  });

  it("appends ingress and egress rules after the settings' own (the DNS egress rule stays)", () => {
    const rule = { ports: [{ protocol: 'TCP', portSpec: { case: 'portNumber' as const, value: 443 } }], to: [] };
    const spec = specOf({
      namespace: 'qhc',
      egress: [rule],
      ingress: [{ ports: [], from: [{ peerType: { case: 'ipBlock', value: { cidr: '10.0.0.0/8' } } }] }],
    });
    expect(spec.operatorSettings.settings.qdrant.networkPolicies.egress).toEqual([...DEFAULT_EGRESS_RULES, { ports: [{ protocol: 'TCP', port: 443 }] }]);
    expect(spec.operatorSettings.settings.qdrant.networkPolicies.ingress).toEqual([{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }]);
  });

  it('takes the control plane registry defaults, the log level for both components, and the placement of the agent and operator', () => {
    const spec = specOf({
      namespace: 'qhc',
      logLevel: 4,
      nodeSelector: [{ key: 'pool', value: 'db' }],
      tolerations: [{ key: 'dedicated', operator: 1, effect: 1 }],
    });
    expect(spec.advanced).toMatchObject({
      containerRegistryUrl: identity.containerRegistryUrl,
      chartRepositoryUrl: identity.chartRepositoryUrl,
      logLevel: { operator: 'ERROR', agent: 'ERROR' },
      nodeSelector: { pool: 'db' },
      tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
    });
    expect(spec.advanced.proxy).toBeUndefined();
  });
});

const health: RegionHealth = {
  kubernetes: { version: 'v1.31.0', distribution: 'mystery' },
  nodes: { count: 2 },
  storageClasses: [],
  volumeSnapshotClasses: [],
  capabilities: { volumeSnapshot: false, volumeExpansion: false },
  components: [{ name: 'qhc-operator', ready: false, message: 'image pull failed' }],
  canCreateClusters: true,
  collectedAt: '2026-01-01T00:00:00.000Z',
};

describe('reported status → environment status', () => {
  const seen = '2026-01-01T00:00:00.000Z';
  const at = Date.parse(seen);

  it('leaves an unknown distribution unset and tells a component that is not ready, with its message', () => {
    const status = environmentStatusOf({ status: { phase: 'Ready', health }, lastSeenAt: seen, namespace: 'qhc' }, at);
    expect(status.kubernetesDistribution).toBeUndefined();
    expect(status.phase).toBe(Phase.READY);
    expect(status.componentStatuses).toMatchObject([{ name: 'qhc-operator', namespace: 'qhc', phase: 2, message: 'image pull failed' }]);
  });

  it('names the distributions the agent tells, and turns FAILED_TO_SYNC only after the silence limit', () => {
    const eks = { status: { phase: 'Ready', health: { ...health, kubernetes: { version: 'v1', distribution: 'eks' } } }, lastSeenAt: seen, namespace: 'qhc' };
    expect(environmentStatusOf(eks, at + SYNC_WITHIN_MS)).toMatchObject({ phase: Phase.READY, kubernetesDistribution: Distribution.AWS });
    expect(environmentStatusOf(eks, at + SYNC_WITHIN_MS + 1).phase).toBe(Phase.FAILED_TO_SYNC);
  });

  it('is UNSPECIFIED for a status that does not parse, as for none', () => {
    for (const status of [undefined, 'garbage', { phase: 42 }])
      expect(environmentStatusOf({ status, lastSeenAt: seen, namespace: 'qhc' }, at).phase).toBe(Phase.UNSPECIFIED);
  });
});
