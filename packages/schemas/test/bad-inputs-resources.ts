import { readFileSync } from 'node:fs';
import { parseQdrantCluster } from '../src/index.ts';
import { BACKUP_BAD_INPUTS } from './bad-inputs-backups.ts';
import type { BadInput } from './bad-input.ts';

const minimal = readFileSync(new URL('./fixtures/qdrantcluster-minimal.yaml', import.meta.url), 'utf8');
// Line numbers in the minimal cluster: 5 name, 7 cluster-id, 8 customer-id, 10 id, 11 version,
// 12 size, 13 resources, 14 cpu, 15 memory, 16 storage; 17 is the first line after it.
const cluster = (extra: string) => minimal + extra;
const replace = (from: string, to: string) => {
  if (!minimal.includes(from)) throw new Error(`fixture has no ${from}`);
  return minimal.replace(from, to);
};

const CLUSTER_BAD_INPUTS: BadInput[] = [
  { name: 'cluster: size 0', parse: parseQdrantCluster, text: replace('size: 1', 'size: 0'), path: 'spec.size', line: 12, message: /at least 1/ },
  { name: 'cluster: size 101', parse: parseQdrantCluster, text: replace('size: 1', 'size: 101'), path: 'spec.size', line: 12, message: /at most 100/ },
  {
    name: 'cluster: missing version',
    parse: parseQdrantCluster,
    text: replace('  version: "v1.11.3"\n', ''),
    path: 'spec.version',
    line: 9,
    message: /is required/,
  },
  {
    name: 'cluster: wrong name',
    parse: parseQdrantCluster,
    text: replace('name: qdrant-a7d8d973', 'name: my-a7d8d973'),
    path: 'metadata.name',
    line: 5,
    message: /must be "qdrant-a7d8d973-0cc5-42de-8d7b-c29d14d24840"/,
  },
  {
    name: 'cluster: cluster-id label differs from spec.id',
    parse: parseQdrantCluster,
    text: replace('cluster-id: "a7d8d973', 'cluster-id: "b7d8d973'),
    path: 'metadata.labels.cluster-id',
    line: 7,
    message: /must equal spec\.id/,
  },
  {
    name: 'cluster: customer-id label missing',
    parse: parseQdrantCluster,
    text: replace('    customer-id: "acme-industries"\n', ''),
    path: 'metadata.labels',
    line: 7,
    message: /customer-id/,
  },
  {
    name: 'cluster: bad cpu quantity',
    parse: parseQdrantCluster,
    text: replace('cpu: 100m', 'cpu: one'),
    path: 'spec.resources.cpu',
    line: 14,
    message: /Kubernetes quantity/,
  },
  {
    name: 'cluster: missing storage',
    parse: parseQdrantCluster,
    text: replace('    storage: "2Gi"\n', ''),
    path: 'spec.resources.storage',
    line: 13,
    message: /is required/,
  },
  {
    name: 'cluster: request above limit',
    parse: parseQdrantCluster,
    text: cluster('    requests:\n      memory: 2Gi\n'),
    path: 'spec.resources.requests.memory',
    line: 18,
    message: /must not exceed the memory limit/,
  },
  {
    name: 'cluster: unknown spec key',
    parse: parseQdrantCluster,
    text: cluster('  replicas: 3\n'),
    path: 'spec.replicas',
    line: 17,
    message: /did you mean|known keys/,
  },
  {
    name: 'cluster: misspelt servicePerNode',
    parse: parseQdrantCluster,
    text: cluster('  servicePerNod: false\n'),
    path: 'spec.servicePerNod',
    line: 17,
    message: /did you mean "servicePerNode"/,
  },
  {
    name: 'cluster: bad onDemandReplication',
    parse: parseQdrantCluster,
    text: cluster('  onDemandReplication: auto\n'),
    path: 'spec.onDemandReplication',
    line: 17,
    message: /did you mean "Auto"/,
  },
  {
    name: 'cluster: bad rebalanceStrategy',
    parse: parseQdrantCluster,
    text: cluster('  rebalanceStrategy: by-count\n'),
    path: 'spec.rebalanceStrategy',
    line: 17,
    message: /did you mean "by_count"/,
  },
  {
    name: 'cluster: iops (refused: driver-specific)',
    parse: parseQdrantCluster,
    text: cluster('  storage:\n    iops: 3000\n'),
    path: 'spec.storage.iops',
    line: 18,
    message: /VolumeAttributesClass/,
  },
  {
    name: 'cluster: throughput (refused: driver-specific)',
    parse: parseQdrantCluster,
    text: cluster('  storage:\n    throughput: 125\n'),
    path: 'spec.storage.throughput',
    line: 18,
    message: /volumeAttributesClassName/,
  },
  {
    name: 'cluster: readClusters (refused)',
    parse: parseQdrantCluster,
    text: cluster('  readClusters:\n    - id: other\n'),
    path: 'spec.readClusters',
    line: 18,
    message: /does not synchronise read clusters/,
  },
  {
    name: 'cluster: empty GPU devices',
    parse: parseQdrantCluster,
    text: cluster('  gpu:\n    gpuType: nvidia\n    devices: []\n'),
    path: 'spec.gpu.devices',
    line: 19,
    message: /at least 1 item/,
  },
  {
    name: 'cluster: unknown GPU type',
    parse: parseQdrantCluster,
    text: cluster('  gpu:\n    gpuType: intel\n'),
    path: 'spec.gpu.gpuType',
    line: 18,
    message: /"nvidia", "amd"/,
  },
  {
    name: 'cluster: api key without secretKeyRef',
    parse: parseQdrantCluster,
    text: cluster('  config:\n    service:\n      api_key: plain-text-key\n'),
    path: 'spec.config.service.api_key',
    line: 19,
    message: /expected a mapping/,
  },
  {
    name: 'cluster: bad service type',
    parse: parseQdrantCluster,
    text: cluster('  service:\n    type: ExternalName\n'),
    path: 'spec.service.type',
    line: 18,
    message: /"ClusterIP", "NodePort", "LoadBalancer"/,
  },
  {
    name: 'cluster: env var with value and valueFrom',
    parse: parseQdrantCluster,
    text: cluster(
      '  statefulSet:\n    pods:\n      extraEnv:\n        - name: A\n          value: x\n          valueFrom:\n            fieldRef: { fieldPath: metadata.name }\n',
    ),
    path: 'spec.statefulSet.pods.extraEnv[0].valueFrom',
    line: 23,
    message: /not be set together with value/,
  },
  {
    name: 'cluster: invalid pod label',
    parse: parseQdrantCluster,
    text: cluster('  statefulSet:\n    pods:\n      labels:\n        team: "-bad-"\n'),
    path: 'spec.statefulSet.pods.labels.team',
    line: 20,
    message: /starting and ending with a letter or digit/,
  },
  {
    name: 'cluster: toleration Exists with value',
    parse: parseQdrantCluster,
    text: cluster('  tolerations:\n    - key: a\n      operator: Exists\n      value: b\n'),
    path: 'spec.tolerations[0].value',
    line: 20,
    message: /empty when operator is Exists/,
  },
  {
    name: 'cluster: negative startup delay',
    parse: parseQdrantCluster,
    text: cluster('  startupDelaySeconds: -3\n'),
    path: 'spec.startupDelaySeconds',
    line: 17,
    message: /at least 0/,
  },
  {
    name: 'cluster: unknown phase in status',
    parse: parseQdrantCluster,
    text: cluster('status:\n  phase: Running\n'),
    path: 'status.phase',
    line: 18,
    message: /"Creating"/,
  },
  {
    name: 'cluster: wrong apiVersion',
    parse: parseQdrantCluster,
    text: replace('apiVersion: qdrant.io/v1', 'apiVersion: qdrant.io/v1alpha1'),
    path: 'apiVersion',
    line: 2,
    message: /must be "qdrant.io\/v1"/,
  },
];

export const CR_BAD_INPUTS: BadInput[] = [...CLUSTER_BAD_INPUTS, ...BACKUP_BAD_INPUTS];
