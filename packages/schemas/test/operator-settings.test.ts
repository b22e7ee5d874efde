import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { QhcSchemaError, defaultOperatorSettings, parseOperatorSettings, toYaml, type OperatorSettings } from '../src/index.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const SEED_EXPECTED: OperatorSettings = {
  settings: {
    app_environment: 'kubernetes',
    backupHistoryRetentionDays: 2,
    operationTimeout: 7200,
    handlerTimeout: 21600,
    backupTimeout: 12600,
    backOff: { minDelay: 5, maxDelay: 300, increment: 5 },
    clusterManager: {
      enable: false,
      rebalanceStrategy: 'disabled',
      image: { repository: 'qdrant/qdrant-cloud-cluster-manager', tag: '' },
      pullInterval: 10,
      logSize: 10,
      debug: false,
      node_selector: {},
      tolerations: [],
    },
    ingress: {
      enabled: false,
      provider: 'KubernetesIngress',
      kubernetesIngress: { ingressClassName: '' },
      qdrantCloudTraefik: { entryPoints: [], tls: false, secretName: '' },
    },
    storage: { snapshot_class: 'csi-snapclass', default_storage_class_names: { db: '', snapshot: '' } },
    scheduling: { default_topology_spread_constraints: [], default_pod_disruption_budget: {} },
    qdrant: {
      securityContext: { enabled: false, user: '', fsGroup: '', group: '' },
      image: { pull_secret: '', pull_policy: 'IfNotPresent', repository: 'qdrant/qdrant' },
      log_level: 'INFO',
      networkPolicies: {
        ingress: [],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ protocol: 'UDP', port: 53 }] }],
      },
    },
  },
};

describe('parseOperatorSettings', () => {
  it('parses the seed configuration to the documented values', () => {
    // The seed pins Qdrant's cluster manager; kept as written.
    const seed = structuredClone(SEED_EXPECTED);
    seed.settings.clusterManager.image.tag = '0.1.2';
    expect(parseOperatorSettings(fixture('seed-operator-settings.yaml'))).toEqual(seed);
  });

  it("fills every default from an empty settings block, equal to the seed but for the cluster manager tag (the release's own)", () => {
    expect(parseOperatorSettings('settings: {}\n')).toEqual(SEED_EXPECTED);
    expect(defaultOperatorSettings()).toEqual(SEED_EXPECTED);
  });

  it('round-trips: the parsed value written as YAML parses to the same value', () => {
    for (const name of ['seed-operator-settings.yaml', 'operator-settings-full.yaml']) {
      const parsed = parseOperatorSettings(fixture(name));
      expect(parseOperatorSettings(toYaml(parsed))).toEqual(parsed);
      expect(parseOperatorSettings(JSON.stringify(parsed))).toEqual(parsed);
    }
  });

  it('accepts every key the seed documents, with values kept as written', () => {
    const text = fixture('operator-settings-full.yaml');
    const parsed = parseOperatorSettings(text);
    // Nothing the user wrote is dropped or changed: the written document is a subset of the value.
    expect(parsed).toMatchObject(parseYaml(text) as object);
    expect(parsed.settings.qdrant.securityContext).toEqual({ enabled: true, user: '1000', fsGroup: 3000, group: '2000' });
    expect(parsed.settings.ingress.provider).toBe('NginxIngress');
  });

  it('does not share default arrays between parses', () => {
    const a = parseOperatorSettings('settings: {}');
    a.settings.qdrant.networkPolicies.egress.push({ to: [], ports: [] });
    expect(parseOperatorSettings('settings: {}').settings.qdrant.networkPolicies.egress).toHaveLength(1);
  });

  it('reports every problem of a document at once, each with its line', () => {
    const text = ['settings:', '  operationTimeout: -1', '  backOff:', '    minDelay: 10', '    maxDelay: 5', '  qdrant:', '    log_level: LOUD', ''].join(
      '\n',
    );
    const error = catchError(() => parseOperatorSettings(text, { source: 'operator.yaml' }));
    expect(error.problems.map((p) => [p.path.join('.'), p.line])).toEqual(
      expect.arrayContaining([
        ['settings.operationTimeout', 2],
        ['settings.backOff.minDelay', 4],
        ['settings.qdrant.log_level', 7],
      ]),
    );
    expect(error.message).toContain('operator settings (operator.yaml) is invalid: 3 problems');
    expect(error.message).toContain('settings.qdrant.log_level (line 7, column 16)');
  });
});

function catchError(fn: () => unknown): QhcSchemaError {
  try {
    fn();
  } catch (error) {
    if (error instanceof QhcSchemaError) return error;
    throw error;
  }
  throw new Error('expected a QhcSchemaError');
}
