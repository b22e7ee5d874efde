import fc from 'fast-check';
import type { ConfigurationInit } from './hybrid.ts';

// Random VALID HybridCloudEnvironmentConfigurations: every field qhc takes, in shapes the
// Region and operator settings schemas accept (values from small sets where the schemas are
// strict, free where they are not), including explicitly set empty and zero values.

const dnsLabel = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/);
const labelKey = fc.constantFrom('zone', 'node-role.kubernetes.io/db', 'example.com/pool', 'team');
const labelValue = fc.stringMatching(/^([A-Za-z0-9]([A-Za-z0-9._-]{0,10}[A-Za-z0-9])?)?$/);
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const keyValues = fc.uniqueArray(fc.record({ key: labelKey, value: labelValue }), { selector: (kv) => kv.key, maxLength: 3 });

const selector = fc.record({
  matchLabels: keyValues,
  matchExpressions: fc.array(
    fc.oneof(
      fc.record({ key: labelKey, operator: fc.constantFrom('In', 'NotIn'), values: fc.array(labelValue, { minLength: 1, maxLength: 2 }) }),
      fc.record({ key: labelKey, operator: fc.constantFrom('Exists', 'DoesNotExist'), values: fc.constant([]) }),
    ),
    { maxLength: 2 },
  ),
});

const peer = fc.oneof(
  fc
    .record({ podSelector: opt(selector), namespaceSelector: opt(selector) })
    .filter((s) => s.podSelector !== undefined || s.namespaceSelector !== undefined)
    .map((value) => ({ peerType: { case: 'selector' as const, value } })),
  fc
    .constantFrom({ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }, { cidr: '192.168.0.0/24', except: [] }, { cidr: 'fd00::/8', except: [] })
    .map((value) => ({ peerType: { case: 'ipBlock' as const, value } })),
);

const port = fc.oneof(
  fc.record({ protocol: opt(fc.constantFrom('TCP', 'UDP', 'SCTP')), portSpec: fc.constant({ case: undefined }) }),
  fc
    .record({ protocol: opt(fc.constantFrom('TCP', 'UDP')), port: fc.integer({ min: 1, max: 60000 }), span: opt(fc.integer({ min: 0, max: 5000 })) })
    .map(({ protocol, port: n, span }) => ({
      protocol,
      portSpec: { case: 'portNumber' as const, value: n },
      ...(span !== undefined ? { endPort: n + span } : {}),
    })),
  fc.record({ protocol: opt(fc.constant('TCP')), portSpec: fc.constantFrom('http', 'grpc', 'p2p').map((value) => ({ case: 'portName' as const, value })) }),
);

const ports = fc.array(port, { maxLength: 2 });
const ingress = fc.array(fc.record({ ports, from: fc.array(peer, { maxLength: 2 }) }), { maxLength: 2 });
const egress = fc.array(fc.record({ ports, to: fc.array(peer, { maxLength: 2 }) }), { maxLength: 2 });

// Operator 1 = Exists, 2 = Equal; effect 1..3, 3 = NoExecute (the only one with seconds).
const toleration = fc.oneof(
  fc.record({ key: opt(labelKey), operator: fc.constant(1), effect: opt(fc.constantFrom(1, 2)) }),
  fc.record({ key: labelKey, operator: opt(fc.constant(2)), value: opt(labelValue), effect: opt(fc.constantFrom(0, 1, 2)) }),
  fc.record({
    key: labelKey,
    operator: fc.constant(2),
    value: labelValue,
    effect: fc.constant(3),
    tolerationSeconds: opt(fc.bigInt({ min: 0n, max: 86_400n })),
  }),
);

const operatorSettings = fc.record(
  {
    settings: fc.record(
      {
        backupTimeout: fc.integer({ min: 1, max: 100_000 }),
        qdrant: fc.record({ log_level: fc.constantFrom('TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR') }, { requiredKeys: [] }),
        ingress: fc.record({ enabled: fc.boolean() }, { requiredKeys: [] }),
        clusterManager: fc.record({ enable: fc.boolean(), pullInterval: fc.integer({ min: 1, max: 600 }) }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

/** A valid configuration; `ca` is a PEM certificate the schema accepts. */
export function validConfiguration(ca: string): fc.Arbitrary<ConfigurationInit> {
  return fc.record(
    {
      namespace: dnsLabel,
      httpProxyUrl: fc.constantFrom('http://proxy.internal:3128', 'http://10.0.0.1:8080', ''),
      httpsProxyUrl: fc.constantFrom('https://proxy.example.com:8443', 'http://proxy.internal:3128'),
      noProxyConfigs: fc.array(fc.constantFrom('.internal', 'localhost', '10.0.0.0/8', '*', 'svc.cluster.local', '127.0.0.1'), { maxLength: 4 }),
      containerRegistryUrl: fc.constantFrom('https://registry.example.com/qdrant/', 'https://mirror.internal:5000/qhc'),
      chartRepositoryUrl: fc.constantFrom('oci://registry.example.com/charts', 'https://charts.example.com/qhc'),
      registrySecretName: fc.constant(''),
      caCertificates: fc.constantFrom(ca, ''),
      databaseStorageClass: fc.oneof(dnsLabel, fc.constant('')),
      snapshotStorageClass: fc.oneof(dnsLabel, fc.constant('')),
      volumeSnapshotStorageClass: dnsLabel,
      ingress,
      egress,
      logLevel: fc.integer({ min: 0, max: 4 }),
      tolerations: fc.array(toleration, { maxLength: 3 }),
      nodeSelector: keyValues,
      advancedOperatorSettings: operatorSettings,
    },
    { requiredKeys: ['namespace'] },
  ) as fc.Arbitrary<ConfigurationInit>;
}

/** A valid environment name, short enough for a suffix that makes it unique. */
export const validName = fc.stringMatching(/^[a-zA-Z0-9_-]{1,50}$/);
