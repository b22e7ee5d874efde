import { parseQdrantClusterRestore, parseQdrantClusterScheduledSnapshot, parseQdrantClusterSnapshot } from '../src/index.ts';
import type { BadInput } from './bad-input.ts';

const snapshotHead = [
  'apiVersion: qdrant.io/v1',
  'kind: QdrantClusterSnapshot',
  'metadata:',
  '  name: snap-1',
  '  labels: { cluster-id: c1, customer-id: acme }',
  'spec:',
  '  cluster-id: c1',
].join('\n');

const scheduled = (schedule: string) =>
  [
    'apiVersion: qdrant.io/v1',
    'kind: QdrantClusterScheduledSnapshot',
    'metadata:',
    '  name: nightly',
    '  labels: { cluster-id: c1, customer-id: acme }',
    'spec:',
    '  cluster-id: c1',
    '  scheduleShortId: nightly',
    `  schedule: "${schedule}"`,
    '  retention: 24h',
  ].join('\n');

export const BACKUP_BAD_INPUTS: BadInput[] = [
  {
    name: 'snapshot: bad retention',
    parse: parseQdrantClusterSnapshot,
    text: `${snapshotHead}\n  retention: 3d\n`,
    path: 'spec.retention',
    line: 8,
    message: /number of hours such as "72h"/,
  },
  {
    name: 'snapshot: scheduleShortId too long',
    parse: parseQdrantClusterSnapshot,
    text: `${snapshotHead}\n  scheduleShortId: abcdefghi\n`,
    path: 'spec.scheduleShortId',
    line: 8,
    message: /at most 8 characters/,
  },
  {
    name: 'snapshot: missing cluster-id',
    parse: parseQdrantClusterSnapshot,
    text: snapshotHead.replace('  cluster-id: c1', '  retention: 1h'),
    path: 'spec.cluster-id',
    line: 6,
    message: /is required/,
  },
  {
    name: 'scheduled: bad cron minute',
    parse: parseQdrantClusterScheduledSnapshot,
    text: scheduled('61 * * * *'),
    path: 'spec.schedule',
    line: 9,
    message: /minute "61" must be 0-59/,
  },
  {
    name: 'scheduled: cron with 3 fields',
    parse: parseQdrantClusterScheduledSnapshot,
    text: scheduled('0 2 *'),
    path: 'spec.schedule',
    line: 9,
    message: /must have 5 fields/,
  },
  {
    name: 'scheduled: unknown descriptor',
    parse: parseQdrantClusterScheduledSnapshot,
    text: scheduled('@fortnightly'),
    path: 'spec.schedule',
    line: 9,
    message: /unknown descriptor/,
  },
  {
    name: 'scheduled: backwards range',
    parse: parseQdrantClusterScheduledSnapshot,
    text: scheduled('0 5-2 * * *'),
    path: 'spec.schedule',
    line: 9,
    message: /runs backwards/,
  },
  {
    name: 'restore: missing destination',
    parse: parseQdrantClusterRestore,
    text: 'apiVersion: qdrant.io/v1\nkind: QdrantClusterRestore\nmetadata:\n  name: r1\n  labels: { cluster-id: c1, customer-id: acme }\nspec:\n  source: { snapshotName: s1, namespace: qdrant }\n',
    path: 'spec.destination',
    line: 6,
    message: /is required/,
  },
  {
    name: 'restore: missing labels',
    parse: parseQdrantClusterRestore,
    text: 'apiVersion: qdrant.io/v1\nkind: QdrantClusterRestore\nmetadata:\n  name: r1\nspec:\n  source: { snapshotName: s1, namespace: qdrant }\n  destination: { name: qdrant-c1, namespace: qdrant, create: true }\n',
    path: 'metadata.labels',
    line: 3,
    message: /cluster-id/,
  },
];
