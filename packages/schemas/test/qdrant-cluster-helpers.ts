import { fixture } from './schema-coverage.ts';

export const full = () => fixture('crds/qdrant-cluster-full.yaml');
export const minimal = () => fixture('crds/qdrant-cluster-minimal.yaml') as { metadata: Record<string, unknown>; spec: Record<string, unknown> };

/** The docs' minimal cluster with `change` merged into its spec (undefined deletes a key). */
export function withSpec(change: Record<string, unknown>): unknown {
  const cluster = minimal();
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined) delete cluster.spec[key];
    else cluster.spec[key] = value;
  }
  return cluster;
}

export function clusterWithId(id: string) {
  const cluster = minimal();
  cluster.spec.id = id;
  cluster.metadata = { name: `qdrant-${id}`, labels: { 'cluster-id': id, 'customer-id': 'acme' } };
  return cluster;
}

/** A 3-node cluster with the bootstrap-node annotation. */
export function annotated(value: string) {
  const c = withSpec({ size: 3 }) as { metadata: Record<string, unknown> };
  return { ...c, metadata: { ...c.metadata, annotations: { 'operator.qdrant.com/bootstrap-node': value } } };
}

export const clusterWithStatus = (status: unknown) => ({ ...minimal(), status });
export const withRequests = (requests: Record<string, string>) => withSpec({ resources: { cpu: '1', memory: '1Gi', storage: '2Gi', requests } });

/** Paths of the schema the full example leaves unset, and why. */
export const UNSET_IN_FULL_EXAMPLE = [
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
