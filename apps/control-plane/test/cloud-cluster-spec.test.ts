// ClusterConfiguration → QdrantCluster spec (pure): every field qhc honours lands where the
// operator reads it; server state (JWT RBAC, suspension) is carried, not taken from the message.
import { create } from '@bufbuild/protobuf';
import { clusterV1 } from '@qhc/cloud-api';
import { DEFAULT_PACKAGES } from '@qhc/schemas';
import { describe, expect, it } from 'vitest';
import { specOfConfiguration } from '../src/cloud/cluster/spec-of.ts';

const pkg = DEFAULT_PACKAGES[2]!;
const ref = (name: string, key: string) => ({ name, key });

const FULL = create(clusterV1.ClusterConfigurationSchema, {
  numberOfNodes: 4,
  version: 'v1.15.5',
  packageId: pkg.id.toUpperCase(),
  additionalResources: { disk: 36 },
  databaseConfiguration: {
    collection: { replicationFactor: 2, writeConsistencyFactor: 1, vectors: { onDisk: true } },
    storage: { performance: { optimizerCpuBudget: -1, asyncScorer: true } },
    service: { apiKey: ref('keys', 'rw'), readOnlyApiKey: ref('keys', 'ro'), enableTls: true },
    logLevel: 2,
    tls: { cert: ref('tls', 'tls.crt'), key: ref('tls', 'tls.key') },
    inference: { enabled: false },
    auditLogging: { enabled: true, rotation: 2, maxLogFiles: 3, trustForwardedHeaders: true },
  },
  nodeSelector: [{ key: 'pool', value: 'db' }],
  tolerations: [{ key: 'dedicated', operator: 2, value: 'db', effect: 3, tolerationSeconds: 60n }],
  annotations: [{ key: 'example.io/owner', value: 'search team' }],
  allowedIpSourceRanges: ['10.0.0.0/8'],
  serviceType: 3,
  serviceAnnotations: [{ key: 'lb', value: 'internal' }],
  podLabels: [{ key: 'team', value: 'search' }],
  reservedCpuPercentage: 20,
  reservedMemoryPercentage: 25,
  restartPolicy: 2,
  rebalanceStrategy: 3,
  topologySpreadConstraints: [{ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 2 }],
  clusterStorageConfiguration: { databaseStorageClass: 'fast', snapshotStorageClass: 'cheap', volumeSnapshotClass: 'snaps', volumeAttributesClass: 'gold' },
});

describe('the spec of a configuration', () => {
  it('maps every field qhc honours', () => {
    const result = specOfConfiguration(FULL, { packages: DEFAULT_PACKAGES, jwtRbac: true, suspend: true });
    expect(result.problems).toBeUndefined();
    expect('spec' in result ? result.spec : undefined).toMatchObject({
      size: 4,
      version: 'v1.15.5',
      suspend: true,
      resources: { cpu: '2000m', memory: '8Gi', storage: '100Gi', requests: { cpu: '1600m', memory: '6144Mi' } },
      config: {
        log_level: 'DEBUG',
        collection: { replication_factor: 2, write_consistency_factor: 1, vectors: { on_disk: true } },
        storage: { performance: { optimizer_cpu_budget: -1, async_scorer: true } },
        service: { api_key: { secretKeyRef: ref('keys', 'rw') }, read_only_api_key: { secretKeyRef: ref('keys', 'ro') }, enable_tls: true, jwt_rbac: true },
        tls: { cert: { secretKeyRef: ref('tls', 'tls.crt') }, key: { secretKeyRef: ref('tls', 'tls.key') } },
        inference: { enabled: false },
        audit: { enabled: true, rotation: 'hourly', max_log_files: 3, trust_forwarded_headers: true },
      },
      nodeSelector: { pool: 'db' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoExecute', tolerationSeconds: 60 }],
      statefulSet: { pods: { annotations: { 'example.io/owner': 'search team' }, labels: { team: 'search' } } },
      service: { type: 'LoadBalancer', annotations: { lb: 'internal' }, loadBalancerSourceRanges: ['10.0.0.0/8'] },
      restartAllPodsConcurrently: true,
      rebalanceStrategy: 'by_count_and_size',
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' }],
      storageClassNames: { db: 'fast', snapshots: 'cheap' },
      storage: { volumeSnapshotClassName: 'snaps', volumeAttributesClassName: 'gold' },
    });
  });

  it('leaves out what the message leaves out, and "automatic" restarts to the operator', () => {
    const minimal = create(clusterV1.ClusterConfigurationSchema, { numberOfNodes: 1, packageId: pkg.id, restartPolicy: 3 });
    const result = specOfConfiguration(minimal, { packages: DEFAULT_PACKAGES, jwtRbac: false, suspend: false });
    expect('spec' in result ? result.spec : undefined).toEqual({
      size: 1,
      version: 'v1.16.3',
      suspend: false,
      servicePerNode: true,
      onDemandReplication: 'Off',
      multiAZ: false,
      resources: { cpu: '2000m', memory: '8Gi', storage: '64Gi' },
    });
  });

  it('keeps a deactivated package for the cluster that has it, and refuses it to others', () => {
    const packages = DEFAULT_PACKAGES.map((p) => (p.id === pkg.id ? { ...p, status: 'deactivated' as const } : p));
    const config = create(clusterV1.ClusterConfigurationSchema, { numberOfNodes: 1, packageId: pkg.id });
    expect(specOfConfiguration(config, { packages, jwtRbac: false, suspend: false, currentPackageId: pkg.id }).problems).toBeUndefined();
    expect(specOfConfiguration(config, { packages, jwtRbac: false, suspend: false }).problems).toEqual([
      { field: 'cluster.configuration.package_id', message: `package ${pkg.name} is deactivated: new clusters cannot take it` },
    ]);
  });
});
