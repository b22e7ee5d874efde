import { DEFAULT_PACKAGES } from '@qhc/schemas';
import fc from 'fast-check';
import type { ConfigurationInit } from './cloud-clusters.ts';

// Random VALID ClusterConfigurations (every field qhc honours, in the ranges it accepts) and the
// Cluster fields around them, for the echo property test. Absent optional fields stay absent.

type Configuration = ConfigurationInit;

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const word = fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/);
const dnsName = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/);
const labelValue = fc.stringMatching(/^([a-z0-9]([a-z0-9._-]{0,10}[a-z0-9])?)?$/);

/** key/value pairs with distinct keys (a key given twice is refused). */
const pairs = (key: fc.Arbitrary<string>, value: fc.Arbitrary<string>, max: number) =>
  fc.uniqueArray(fc.record({ key, value }), { maxLength: max, selector: (p) => p.key });

const secretRef = fc.record({ name: dnsName, key: fc.stringMatching(/^[a-z][a-z0-9._-]{0,9}$/) });

const databaseConfiguration = fc.record(
  {
    collection: fc.record(
      {
        replicationFactor: fc.integer({ min: 1, max: 3 }),
        writeConsistencyFactor: fc.integer({ min: 1, max: 3 }),
        vectors: fc.record({ onDisk: opt(fc.boolean()) }),
      },
      { requiredKeys: [] },
    ),
    storage: fc.record(
      { performance: fc.record({ optimizerCpuBudget: fc.integer({ min: -4, max: 8 }), asyncScorer: fc.boolean() }, { requiredKeys: [] }) },
      { requiredKeys: [] },
    ),
    service: fc.record({ apiKey: secretRef, readOnlyApiKey: secretRef, enableTls: fc.boolean() }, { requiredKeys: [] }),
    logLevel: fc.integer({ min: 1, max: 6 }),
    tls: fc.record({ cert: secretRef, key: secretRef }),
    inference: fc.record({ enabled: fc.boolean() }),
    auditLogging: fc.record(
      { enabled: fc.boolean(), rotation: fc.integer({ min: 1, max: 2 }), maxLogFiles: fc.integer({ min: 1, max: 30 }), trustForwardedHeaders: fc.boolean() },
      { requiredKeys: ['enabled'] },
    ),
  },
  { requiredKeys: [] },
);

const toleration = fc.oneof(
  fc.record({ key: word, operator: fc.constant(1), effect: opt(fc.integer({ min: 1, max: 3 })) }),
  fc.record({ key: word, operator: fc.constant(2), value: labelValue, effect: opt(fc.integer({ min: 1, max: 3 })) }),
  // toleration_seconds applies to NoExecute (3) only.
  fc.record({ key: word, operator: opt(fc.constant(2)), value: labelValue, effect: fc.constant(3), tolerationSeconds: fc.bigInt({ min: 0n, max: 3600n }) }),
);

const spread = fc.record({
  maxSkew: opt(fc.integer({ min: 1, max: 3 })),
  topologyKey: fc.constantFrom('kubernetes.io/hostname', 'topology.kubernetes.io/zone'),
  whenUnsatisfiable: opt(fc.integer({ min: 1, max: 2 })),
});

const storage = fc.record(
  { databaseStorageClass: dnsName, snapshotStorageClass: dnsName, volumeSnapshotClass: dnsName, volumeAttributesClass: dnsName },
  { requiredKeys: [] },
);

const placement = {
  nodeSelector: pairs(word, labelValue, 3),
  tolerations: fc.array(toleration, { maxLength: 3 }),
  annotations: pairs(fc.stringMatching(/^([a-z]{1,8}\.io\/)?[a-z]([a-z0-9-]{0,7}[a-z0-9])?$/), fc.string({ maxLength: 20 }), 3),
  podLabels: pairs(word, labelValue, 3),
  topologySpreadConstraints: fc.array(spread, { maxLength: 2 }),
};

const exposure = {
  allowedIpSourceRanges: fc.uniqueArray(fc.constantFrom('10.0.0.0/8', '192.168.0.0/16', '172.16.0.0/12', '203.0.113.7/32'), { maxLength: 3 }),
  serviceType: opt(fc.integer({ min: 1, max: 3 })),
  serviceAnnotations: pairs(fc.stringMatching(/^[a-z]([a-z0-9-]{0,7}[a-z0-9])?$/), fc.string({ maxLength: 20 }), 3),
};

export const validConfiguration: fc.Arbitrary<Configuration> = fc
  .record(
    {
      numberOfNodes: fc.integer({ min: 1, max: 10 }),
      version: opt(fc.constantFrom('v1.16.3', 'v1.15.5', 'latest')),
      packageId: fc.constantFrom(...DEFAULT_PACKAGES.map((p) => p.id)),
      additionalResources: opt(fc.record({ disk: fc.integer({ min: 0, max: 500 }) })),
      databaseConfiguration: opt(databaseConfiguration),
      ...placement,
      ...exposure,
      reservedCpuPercentage: opt(fc.integer({ min: 1, max: 80 })),
      reservedMemoryPercentage: opt(fc.integer({ min: 1, max: 80 })),
      restartPolicy: opt(fc.integer({ min: 1, max: 3 })),
      rebalanceStrategy: opt(fc.integer({ min: 1, max: 4 })),
      clusterStorageConfiguration: opt(storage),
    },
    { requiredKeys: ['numberOfNodes', 'packageId'] },
  )
  // The enum fields are drawn as numbers within their enums.
  .map((configuration) => configuration as Configuration);

/** The Cluster's own client fields (the name is made unique by the caller). */
export const clusterExtras = fc.record(
  {
    labels: fc.array(fc.record({ key: word, value: fc.string({ maxLength: 20 }) }), { maxLength: 4 }),
    costAllocationLabel: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/),
  },
  { requiredKeys: [] },
);
