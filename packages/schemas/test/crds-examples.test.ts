import { describe, expect, it } from 'vitest';
import {
  QdrantCloudRegion,
  QdrantClusterRestore,
  QdrantClusterScheduledSnapshot,
  QdrantClusterSnapshot,
  QdrantEntity,
  QdrantRelease,
} from '../src/crds/index.ts';
import { fixture, unsetPaths } from './schema-coverage.ts';
import { expectValid } from './zod-issues.ts';

// The full and minimal example of every kind but QdrantCluster (crds-qdrant-cluster.test.ts).
describe.each([
  ['qdrant-cluster-snapshot', QdrantClusterSnapshot],
  ['qdrant-cluster-scheduled-snapshot', QdrantClusterScheduledSnapshot],
  ['qdrant-cluster-restore', QdrantClusterRestore],
  ['qdrant-entity', QdrantEntity],
  ['qdrant-release', QdrantRelease],
  ['qdrant-cloud-region', QdrantCloudRegion],
] as const)('%s examples', (name, schema) => {
  it('parses the full example unchanged, and it sets every field', () => {
    const written = fixture(`crds/${name}-full.yaml`);
    expect(schema.parse(written)).toEqual(written);
    // ObjectMeta's fields are covered by the QdrantCluster example.
    expect(unsetPaths(schema, written, ['metadata'])).toEqual([]);
  });

  it('parses the minimal example', () => {
    expectValid(schema, fixture(`crds/${name}-minimal.yaml`));
  });
});
