import { describe, expect, it } from 'vitest';
import {
  CLUSTER_CONDITION_TYPES,
  CLUSTER_PHASES,
  MAX_CLUSTER_ID_LENGTH,
  QdrantCluster,
  ClusterSpecRequest,
  QdrantClusterSpec,
  isActivePhase,
  isFailedPhase,
} from '../src/crds/index.ts';
import { fixture, unsetPaths } from './schema-coverage.ts';
import { expectOnlyIssue, expectValid, issuesOf } from './zod-issues.ts';

const full = () => fixture('crds/qdrant-cluster-full.yaml');
const minimal = () => fixture('crds/qdrant-cluster-minimal.yaml') as { metadata: Record<string, unknown>; spec: Record<string, unknown> };

/** The docs' minimal cluster with `change` merged into its spec (undefined deletes a key). */
function withSpec(change: Record<string, unknown>): unknown {
  const cluster = minimal();
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined) delete cluster.spec[key];
    else cluster.spec[key] = value;
  }
  return cluster;
}

function clusterWithId(id: string) {
  const cluster = minimal();
  cluster.spec.id = id;
  cluster.metadata = { name: `qdrant-${id}`, labels: { 'cluster-id': id, 'customer-id': 'acme' } };
  return cluster;
}

/** A 3-node cluster with the bootstrap-node annotation. */
function annotated(value: string) {
  const c = withSpec({ size: 3 }) as { metadata: Record<string, unknown> };
  return { ...c, metadata: { ...c.metadata, annotations: { 'operator.qdrant.com/bootstrap-node': value } } };
}

const clusterWithStatus = (status: unknown) => ({ ...minimal(), status });
const withRequests = (requests: Record<string, string>) => withSpec({ resources: { cpu: '1', memory: '1Gi', storage: '2Gi', requests } });

describe('QdrantCluster: examples', () => {
  it('parses the full example, keeping every field as written', () => {
    const written = full();
    const parsed = QdrantCluster.parse(written);
    expect(parsed).toEqual(written);
  });

  it('the full example sets every field of the schema', () => {
    const ignored = [
      // A volume names exactly one source; two are shown, the rest are Kubernetes' own.
      ...[
        'awsElasticBlockStore',
        'azureDisk',
        'azureFile',
        'cephfs',
        'cinder',
        'configMap',
        'csi',
        'downwardAPI',
        'ephemeral',
        'fc',
        'flexVolume',
        'flocker',
        'gcePersistentDisk',
        'gitRepo',
        'glusterfs',
        'hostPath',
        'image',
        'iscsi',
        'nfs',
        'persistentVolumeClaim',
        'photonPersistentDisk',
        'portworxVolume',
        'projected',
        'quobyte',
        'rbd',
        'scaleIO',
        'storageos',
        'vsphereVolume',
      ].map((source) => `spec.storage.additionalVolumes[].${source}`),
      // Exclusive with maxUnavailable: covered by the tests below.
      'spec.podDisruptionBudget.minAvailable',
      // Refused by qhc: covered by the tests below.
      'spec.storage.iops',
      'spec.storage.throughput',
      'spec.readClusters',
      'spec.readClusters[].id',
    ];
    expect(unsetPaths(QdrantCluster, full(), ignored)).toEqual([]);
  });

  it('parses the docs minimal example and fills in upstream defaults', () => {
    const parsed = QdrantCluster.parse(minimal());
    expect(parsed.spec).toEqual({
      id: 'a7d8d973-0cc5-42de-8d7b-c29d14d24840',
      version: 'v1.11.3',
      size: 1,
      resources: { cpu: '100m', memory: '1Gi', storage: '2Gi' },
      servicePerNode: true,
      suspend: false,
      onDemandReplication: 'Off',
      multiAZ: false,
    });
  });

  it('fills in nested defaults where their parent is given', () => {
    const parsed = QdrantClusterSpec.parse({ ...minimal().spec, gpu: { gpuType: 'amd' }, service: {}, config: { inference: {}, audit: {} } });
    expect(parsed.gpu).toEqual({ gpuType: 'amd', forceHalfPrecision: false, parallelIndexes: 1, allowIntegrated: false });
    expect(parsed.service).toEqual({ type: 'ClusterIP' });
    expect(parsed.config).toEqual({ inference: { enabled: false }, audit: { enabled: false, rotation: 'daily', max_log_files: 7 } });
  });

  it('accepts a VolumeAttributesClass without iops and throughput, and a PDB by minAvailable', () => {
    expectValid(QdrantCluster, withSpec({ storage: { volumeAttributesClassName: 'gold' }, podDisruptionBudget: { minAvailable: '50%' } }));
  });

  it('accepts a cluster read back from the apiserver, with server-set metadata', () => {
    const cluster = minimal();
    cluster.metadata = { ...cluster.metadata, uid: 'u', resourceVersion: '1', generation: 2, managedFields: [{ manager: 'qhc-operator' }] };
    expectValid(QdrantCluster, cluster);
  });
});

describe('QdrantCluster: phases and conditions', () => {
  it('lists the 15 upstream phases', () => {
    expect(CLUSTER_PHASES).toHaveLength(15);
    expect(CLUSTER_PHASES.filter(isActivePhase)).toEqual(['Creating', 'Updating', 'Scaling', 'Upgrading', 'Suspending', 'Resuming']);
    expect(CLUSTER_PHASES.filter(isFailedPhase)).toEqual(['FailedToCreate', 'FailedToUpdate', 'FailedToSuspend', 'FailedToResume']);
  });

  it('lists upstream condition types first, then ours', () => {
    expect(CLUSTER_CONDITION_TYPES).toEqual(['AcceptingConnection', 'RecoveryMode', 'Ready', 'Progressing', 'Degraded']);
  });
});

describe('QdrantCluster: rules of the CRD schema', () => {
  it.each([
    [{ size: 0 }, 'spec.size', />=1|at least 1|too small/i],
    [{ size: 101 }, 'spec.size', /<=100|at most 100|too big/i],
    [{ size: 1.5 }, 'spec.size', /int/i],
    [{ version: undefined }, 'spec.version', /expected string/],
    [{ version: '' }, 'spec.version', /Qdrant release tag such as "v1.16.3"/],
    [{ version: '$(reboot)' }, 'spec.version', /Qdrant release tag such as "v1.16.3"/],
    [{ version: 'v1.16' }, 'spec.version', /Qdrant release tag/],
    [{ replicas: 3 }, 'spec', /replicas/],
    [{ servicePerNode: 'yes' }, 'spec.servicePerNode', /expected boolean/],
    [{ onDemandReplication: 'auto' }, 'spec.onDemandReplication', /"Off"\|"Auto"\|"On"|Off.*Auto.*On/],
    [{ rebalanceStrategy: 'by-count' }, 'spec.rebalanceStrategy', /by_count/],
    [{ startupDelaySeconds: -1 }, 'spec.startupDelaySeconds', />=0|at least 0|too small/i],
    [{ pauses: [{ owner: 'me', note: 'x' }] }, 'spec.pauses[0]', /note/],
    [{ readClusters: [{}] }, 'spec.readClusters[0].id', /expected string/],
    [{ writeCluster: { id: '' } }, 'spec.writeCluster.id', /too small|at least 1|>=1/i],
    [{ image: { pullPolicy: 'Sometimes' } }, 'spec.image.pullPolicy', /IfNotPresent/],
    [{ image: { pullSecretName: 'Creds' } }, 'spec.image.pullSecretName', /RFC 1123/],
    [{ security: { user: -1 } }, 'spec.security.user', />=0|at least 0|too small/i],
    [{ tolerations: [{ key: 'a', operator: 'Exists', value: 'b' }] }, 'spec.tolerations[0].value', /empty when operator is Exists/],
    [{ nodeSelector: { 'a/b/c': 'x' } }, 'spec.nodeSelector.a/b/c', /invalid label key/],
    [{ gpu: { gpuType: 'intel' } }, 'spec.gpu.gpuType', /nvidia/],
    [{ gpu: { gpuType: 'nvidia', deviceFilter: [] } }, 'spec.gpu.deviceFilter', /at least 1 item/],
    [{ gpu: { gpuType: 'nvidia', devices: [] } }, 'spec.gpu.devices', /at least 1 item/],
    [{ gpu: { gpuType: 'nvidia', parallelIndexes: 0 } }, 'spec.gpu.parallelIndexes', />=1|at least 1|too small/i],
    [{ gpu: { gpuType: 'nvidia', groupsCount: 0 } }, 'spec.gpu.groupsCount', />=1|at least 1|too small/i],
    [{ service: { type: 'ExternalName' } }, 'spec.service.type', /ClusterIP/],
    [{ service: { loadBalancerSourceRanges: ['10.0.0.1'] } }, 'spec.service.loadBalancerSourceRanges[0]', /must be a CIDR/],
    [{ ingress: { nginx: { allowedSourceRanges: ['anywhere'] } } }, 'spec.ingress.nginx.allowedSourceRanges[0]', /IP address or a CIDR/],
    [{ ingress: { ingressClassName: 'Nginx' } }, 'spec.ingress.ingressClassName', /RFC 1123/],
    [{ ingress: { traefik: { entryPoint: ['web'] } } }, 'spec.ingress.traefik', /entryPoint/],
    [{ statefulSet: { pods: { labels: { team: '-bad-' } } } }, 'spec.statefulSet.pods.labels.team', /starting and ending with a letter or digit/],
    [
      { statefulSet: { pods: { extraEnv: [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] } } },
      'spec.statefulSet.pods.extraEnv[0].valueFrom',
      /not be set together with value/,
    ],
    [{ statefulSet: { annotations: { 'x/y/z': '1' } } }, 'spec.statefulSet.annotations.x/y/z', /invalid annotation key/],
    [{ storageClassNames: { db: 'Fast_SSD' } }, 'spec.storageClassNames.db', /RFC 1123/],
    [{ storage: { volumeAttributesClassName: 'Gold_1' } }, 'spec.storage.volumeAttributesClassName', /RFC 1123/],
    [{ storage: { additionalVolumes: [{ name: 'v' }] } }, 'spec.storage.additionalVolumes[0]', /one volume source/],
    [{ storage: { additionalVolumeMounts: [{ name: 'v', mountPath: 'rel' }] } }, 'spec.storage.additionalVolumeMounts[0].mountPath', /absolute path/],
    [
      { storage: { additionalVolumeClaimTemplates: [{ metadata: { name: 'wal' }, spec: { accessModes: ['ReadWriteOnce'] } }] } },
      'spec.storage.additionalVolumeClaimTemplates[0].spec.resources.requests.storage',
      /is required: the size of the volume/,
    ],
    [
      { storage: { additionalVolumeClaimTemplates: [{ metadata: { name: 'Wal' }, spec: { resources: { requests: { storage: '1Gi' } } } }] } },
      'spec.storage.additionalVolumeClaimTemplates[0].metadata.name',
      /RFC 1123 label/,
    ],
    [
      { topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] },
      'spec.topologySpreadConstraints[0].maxSkew',
      /at least 1/,
    ],
    [{ podDisruptionBudget: { minAvailable: 1, maxUnavailable: 1 } }, 'spec.podDisruptionBudget.maxUnavailable', /not be set together with minAvailable/],
    [{ config: { log_level: '' } }, 'spec.config.log_level', /too small|at least 1|>=1/i],
    [{ config: { service: { api_key: 'plain-text-key' } } }, 'spec.config.service.api_key', /expected object/],
    [{ config: { service: { api_key: { secretKeyRef: { name: 'k' } } } } }, 'spec.config.service.api_key.secretKeyRef.key', /expected string/],
    [{ config: { service: { max_request_size_mb: 0 } } }, 'spec.config.service.max_request_size_mb', />=1|at least 1|too small/i],
    [{ config: { tls: { ca_cert: {} } } }, 'spec.config.tls', /ca_cert/],
    [{ config: { collection: { replication_factor: 0 } } }, 'spec.config.collection.replication_factor', />=1|at least 1|too small/i],
    [
      { config: { collection: { strict_mode: { max_payload_index_count: 0 } } } },
      'spec.config.collection.strict_mode.max_payload_index_count',
      />=1|at least 1|too small/i,
    ],
    [{ config: { storage: { maxCollections: 0 } } }, 'spec.config.storage.maxCollections', />=1|at least 1|too small/i],
    [{ config: { storage: { performance: { optimizer_cpu_budget: 1.5 } } } }, 'spec.config.storage.performance.optimizer_cpu_budget', /int/i],
    [{ config: { audit: { rotation: 'weekly' } } }, 'spec.config.audit.rotation', /daily/],
    [{ config: { audit: { max_log_files: 0 } } }, 'spec.config.audit.max_log_files', />=1|at least 1|too small/i],
  ] as const)('refuses %j', (change, path, message) => {
    expectOnlyIssue(QdrantCluster, withSpec(change), path, message);
  });

  it('requires id, version and size', () => {
    const cluster = minimal();
    cluster.spec = { resources: cluster.spec.resources };
    expect(
      issuesOf(QdrantCluster, cluster)
        .map((i) => i.path)
        .toSorted(),
    ).toEqual(['spec.id', 'spec.size', 'spec.version']);
  });

  it('refuses an id that cannot name pods and Services', () => {
    // The derived name is invalid too; the id is what to fix.
    expect(issuesOf(QdrantCluster, clusterWithId('A7D8'))).toContainEqual({
      path: 'spec.id',
      message: expect.stringMatching(/lower case letters, digits and "-"/),
    });
    expectOnlyIssue(
      QdrantCluster,
      clusterWithId('a'.repeat(MAX_CLUSTER_ID_LENGTH + 1)),
      'spec.id',
      /at most 47 characters, so that qdrant-headless-<id> fits in 63/,
    );
    expectValid(QdrantCluster, clusterWithId('a'.repeat(MAX_CLUSTER_ID_LENGTH)));
  });

  it('refuses an unknown phase, a negative node index and a malformed condition in status', () => {
    expectOnlyIssue(QdrantCluster, clusterWithStatus({ phase: 'Running' }), 'status.phase', /Creating/);
    expectOnlyIssue(QdrantCluster, clusterWithStatus({ ScaleDownNodeIndex: -1 }), 'status.ScaleDownNodeIndex', />=0|at least 0|too small/i);
    expectOnlyIssue(QdrantCluster, clusterWithStatus({ scaleDownNodeIndex: 1 }), 'status', /scaleDownNodeIndex/);
    expectOnlyIssue(
      QdrantCluster,
      clusterWithStatus({ conditions: [{ type: 'Ready', status: 'Yes', lastTransitionTime: '2026-11-20T08:00:00Z', reason: 'R', message: '' }] }),
      'status.conditions[0].status',
      /True/,
    );
    expectOnlyIssue(
      QdrantCluster,
      clusterWithStatus({ nodes: { '0': { databasePVCStatus: { capacity: '10Gi' } } } }),
      'status.nodes.0.databasePVCStatus.capacity',
      /expected record/,
    );
  });

  it('refuses a wrong apiVersion or kind', () => {
    expectOnlyIssue(QdrantCluster, { ...minimal(), apiVersion: 'qdrant.io/v1alpha1' }, 'apiVersion', /qdrant\.io\/v1/);
    expectOnlyIssue(QdrantCluster, { ...minimal(), kind: 'QdrantClusterSnapshot' }, 'kind', /QdrantCluster/);
  });
});

describe('QdrantCluster: rules upstream checks in code', () => {
  it('requires the name qdrant-<spec.id>', () => {
    const cluster = minimal();
    cluster.metadata.name = 'my-cluster';
    expectOnlyIssue(QdrantCluster, cluster, 'metadata.name', /must be "qdrant-a7d8d973-0cc5-42de-8d7b-c29d14d24840" \(qdrant-<spec\.id>\), got "my-cluster"/);
    delete cluster.metadata.name;
    expectOnlyIssue(QdrantCluster, cluster, 'metadata.name', /got ""/);
  });

  it('requires the cluster-id label, equal to spec.id', () => {
    const cluster = minimal();
    cluster.metadata.labels = { 'cluster-id': 'other', 'customer-id': 'acme' };
    expectOnlyIssue(QdrantCluster, cluster, 'metadata.labels.cluster-id', /must equal spec\.id \("a7d8d973-0cc5-42de-8d7b-c29d14d24840"\), got "other"/);
    cluster.metadata.labels = { 'customer-id': 'acme' };
    expectOnlyIssue(QdrantCluster, cluster, 'metadata.labels', /must have the label "cluster-id: a7d8d973/);
  });

  it('requires the customer-id label', () => {
    const cluster = minimal();
    cluster.metadata.labels = { 'cluster-id': 'a7d8d973-0cc5-42de-8d7b-c29d14d24840' };
    expectOnlyIssue(QdrantCluster, cluster, 'metadata.labels', /must have the label "customer-id"/);
    delete cluster.metadata.labels;
    expect(issuesOf(QdrantCluster, cluster).map((i) => i.message)).toEqual([expect.stringMatching(/"cluster-id: /), expect.stringMatching(/"customer-id"/)]);
  });

  it('requires resources with cpu, memory and storage', () => {
    expectOnlyIssue(QdrantCluster, withSpec({ resources: undefined }), 'spec.resources', /is required: set cpu, memory and storage/);
    expectOnlyIssue(QdrantCluster, withSpec({ resources: { memory: '1Gi', storage: '2Gi' } }), 'spec.resources.cpu', /is required/);
    expectOnlyIssue(QdrantCluster, withSpec({ resources: { cpu: '1', storage: '2Gi' } }), 'spec.resources.memory', /is required/);
    expectOnlyIssue(QdrantCluster, withSpec({ resources: { cpu: '1', memory: '1Gi', storage: '' } }), 'spec.resources.storage', /is required/);
  });

  it('requires valid, positive quantities', () => {
    expectOnlyIssue(
      QdrantCluster,
      withSpec({ resources: { cpu: 'one', memory: '1Gi', storage: '2Gi' } }),
      'spec.resources.cpu',
      /Kubernetes quantity such as "500m", "2" or "4Gi", got "one"/,
    );
    expectOnlyIssue(QdrantCluster, withSpec({ resources: { cpu: '1', memory: '1GB', storage: '2Gi' } }), 'spec.resources.memory', /Kubernetes quantity/);
    expectOnlyIssue(QdrantCluster, withSpec({ resources: { cpu: '1', memory: '1Gi', storage: '0' } }), 'spec.resources.storage', /greater than zero/);
    expectOnlyIssue(
      QdrantCluster,
      withSpec({ resources: { cpu: '1', memory: '1Gi', storage: '2Gi', requests: { cpu: 'x' } } }),
      'spec.resources.requests.cpu',
      /Kubernetes quantity/,
    );
    expectOnlyIssue(QdrantCluster, withSpec({ resources: { cpu: 1, memory: '1Gi', storage: '2Gi' } }), 'spec.resources.cpu', /expected string/);
  });

  it("runs the same checks on the API's spec (no id) as on the full cluster", () => {
    const { id: _id, ...spec } = (minimal() as { spec: Record<string, unknown> }).spec;
    const resources = { cpu: '1', memory: '1Gi', storage: '2Gi' };
    expectValid(ClusterSpecRequest, { ...spec, resources });
    for (const cpu of ['$(id)', '-1', '0', 'NaN'])
      expectOnlyIssue(ClusterSpecRequest, { ...spec, resources: { ...resources, cpu } }, 'resources.cpu', /quantity|greater than zero/);
    expectOnlyIssue(ClusterSpecRequest, { ...spec, resources: { ...resources, memory: '0' } }, 'resources.memory', /greater than zero/);
    expectOnlyIssue(ClusterSpecRequest, { ...spec, resources: { ...resources, storage: '-20Gi' } }, 'resources.storage', /greater than zero/);
    expectOnlyIssue(
      ClusterSpecRequest,
      { ...spec, resources: { ...resources, requests: { cpu: '2' } } },
      'resources.requests.cpu',
      /must not exceed the cpu limit/,
    );
    expectOnlyIssue(ClusterSpecRequest, { ...spec, resources: undefined }, 'resources', /is required/);
    expectOnlyIssue(ClusterSpecRequest, { ...spec, resources, version: '$(reboot)' }, 'version', /Qdrant release tag/);
    expectValid(ClusterSpecRequest, { ...spec, resources, version: '1.16.3' });
    expectValid(ClusterSpecRequest, { ...spec, resources, version: 'v1.17.0-rc.1' });
  });

  it('keeps requests within limits, comparing values not text', () => {
    expectValid(QdrantCluster, withRequests({ cpu: '1000m', memory: '1024Mi' }));
    expectOnlyIssue(QdrantCluster, withRequests({ cpu: '1001m' }), 'spec.resources.requests.cpu', /must not exceed the cpu limit \(1\)/);
    expectOnlyIssue(QdrantCluster, withRequests({ memory: '1.1G' }), 'spec.resources.requests.memory', /must not exceed the memory limit \(1Gi\)/);
  });

  it('refuses iops, throughput and readClusters, naming the field and what to do instead', () => {
    expectOnlyIssue(QdrantCluster, withSpec({ storage: { iops: 3000 } }), 'spec.storage.iops', /specific to each CSI driver.*volumeAttributesClassName/);
    expectOnlyIssue(
      QdrantCluster,
      withSpec({ storage: { throughput: 125 } }),
      'spec.storage.throughput',
      /specific to each CSI driver.*volumeAttributesClassName/,
    );
    expectOnlyIssue(QdrantCluster, withSpec({ readClusters: [{ id: 'other' }] }), 'spec.readClusters', /does not synchronise read clusters/);
    expectValid(QdrantCluster, withSpec({ storage: { volumeAttributesClassName: 'gold' } }));
    // On the fields themselves: the control plane's API, which takes the spec alone, refuses them too.
    const apiSpec = ClusterSpecRequest;
    const { id: _id, ...spec } = (minimal() as { spec: Record<string, unknown> }).spec;
    expectOnlyIssue(apiSpec, { ...spec, readClusters: [{ id: 'other' }] }, 'readClusters', /does not synchronise read clusters/);
    expectOnlyIssue(apiSpec, { ...spec, storage: { iops: 3000 } }, 'storage.iops', /VolumeAttributesClass/);
  });

  it('takes a bootstrap-node annotation only as the index of one of the nodes', () => {
    expectValid(QdrantCluster, annotated('2'));
    for (const bad of ['3', '-1', 'one', '01', '']) {
      expectOnlyIssue(QdrantCluster, annotated(bad), 'metadata.annotations.operator.qdrant.com/bootstrap-node', /index of a node of the cluster, 0 to 2/);
    }
  });
});
