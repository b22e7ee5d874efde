import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import {
  allKinds,
  isQdrantCluster,
  parseQdrantCloudRegion,
  parseQdrantCluster,
  parseQdrantClusterRestore,
  parseQdrantClusterScheduledSnapshot,
  parseQdrantClusterSnapshot,
  parseQdrantEntity,
  parseQdrantRelease,
  toYaml,
} from '../src/index.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const documents = (name: string) => parseAllDocuments(fixture(name)).map((d) => d.toString());

const PARSERS: Record<string, (text: string) => unknown> = {
  QdrantCluster: parseQdrantCluster,
  QdrantClusterSnapshot: parseQdrantClusterSnapshot,
  QdrantClusterScheduledSnapshot: parseQdrantClusterScheduledSnapshot,
  QdrantClusterRestore: parseQdrantClusterRestore,
  QdrantEntity: parseQdrantEntity,
  QdrantRelease: parseQdrantRelease,
  QdrantCloudRegion: parseQdrantCloudRegion,
};

describe('qdrant.io/v1 resources written against the public API', () => {
  const all = [
    ...documents('qdrantcluster-full.yaml'),
    ...documents('qdrantcluster-minimal.yaml'),
    ...documents('backups-full.yaml'),
    ...documents('others-full.yaml'),
  ];

  it('covers every kind with a full example', () => {
    const kinds = new Set(all.map((text) => (parseYaml(text) as { kind: string }).kind));
    expect([...kinds].toSorted()).toEqual(allKinds.map((k) => k.kind).toSorted());
  });

  it.each(all.map((text) => [(parseYaml(text) as { kind: string; metadata: { name: string } }).metadata.name, text] as const))(
    '%s parses, keeps every field as written, and round-trips',
    (_name, text) => {
      const written = parseYaml(text) as { kind: string };
      const parse = PARSERS[written.kind]!;
      const parsed = parse(text);
      // Defaults may be added; nothing written is dropped or changed.
      expect(parsed).toMatchObject(written);
      expect(parse(toYaml(parsed))).toEqual(parsed);
    },
  );

  it('applies the public API defaults to a minimal cluster', () => {
    const cluster = parseQdrantCluster(fixture('qdrantcluster-minimal.yaml'));
    expect(cluster.spec).toMatchObject({ servicePerNode: true, suspend: false, onDemandReplication: 'Off', multiAZ: false });
    expect(isQdrantCluster(cluster)).toBe(true);
    expect(isQdrantCluster({ apiVersion: 'qdrant.io/v1', kind: 'QdrantClusterSnapshot' })).toBe(false);
  });

  it('accepts a cluster read back from the apiserver, with server-set metadata', () => {
    const cluster = parseYaml(fixture('qdrantcluster-minimal.yaml')) as { metadata: Record<string, unknown> };
    cluster.metadata = {
      ...cluster.metadata,
      namespace: 'qdrant',
      uid: '6f1c',
      resourceVersion: '123',
      generation: 2,
      creationTimestamp: '2026-11-01T10:00:00Z',
      managedFields: [{ manager: 'qhc-operator', operation: 'Apply' }],
    };
    expect(() => parseQdrantCluster(JSON.stringify(cluster))).not.toThrow();
  });
});
