import { describe, expect, it } from 'vitest';
import { K8S_DISTRIBUTIONS, QdrantCloudRegion, QdrantEntity, QdrantRelease } from '../src/crds/index.ts';
import { fixture } from './schema-coverage.ts';
import { expectOnlyIssue, expectValid } from './zod-issues.ts';

type Doc = { metadata: Record<string, unknown>; spec: Record<string, unknown>; status?: Record<string, unknown> };
const doc = (name: string) => fixture(`crds/${name}.yaml`) as Doc;

const entity = (spec: Record<string, unknown>, status?: unknown) => ({ ...doc('qdrant-entity-minimal'), spec, ...(status ? { status } : {}) });
const release = (spec: Record<string, unknown>) => ({ ...doc('qdrant-release-minimal'), spec });
const region = (change: Partial<Doc>) => ({ ...doc('qdrant-cloud-region-full'), ...change });
const regionStatus = (change: Record<string, unknown>) => region({ status: { ...doc('qdrant-cloud-region-full').status, ...change } });

describe.each([
  ['qdrant-entity', QdrantEntity],
  ['qdrant-release', QdrantRelease],
  ['qdrant-cloud-region', QdrantCloudRegion],
] as const)('%s examples', (name, schema) => {
  it('needs no labels (only cluster-scoped backups and clusters do)', () => {
    const object = doc(`${name}-minimal`);
    delete object.metadata.labels;
    expectValid(schema, object);
  });
});

describe('QdrantEntity', () => {
  it('accepts an empty spec, as upstream does', () => {
    expectValid(QdrantEntity, entity({}));
  });

  it.each([
    [{ createdAt: '2026-11-20 08:00' }, 'spec.createdAt', /RFC 3339/],
    [{ payload: [1, 2] }, 'spec.payload', /expected object/],
    [{ payload: 'text' }, 'spec.payload', /expected object/],
    [{ entity_type: 'x' }, 'spec', /entity_type/],
  ] as const)('refuses %j', (spec, path, message) => {
    expectOnlyIssue(QdrantEntity, entity(spec), path, message);
  });

  it('keeps any JSON inside payload', () => {
    const payload = { nested: { list: [1, 'two', null, { deep: true }] } };
    expect(QdrantEntity.parse(entity({ payload })).spec.payload).toEqual(payload);
  });

  it('checks status phase and result', () => {
    expectOnlyIssue(QdrantEntity, entity({}, { phase: 'Gone' }), 'status.phase', /Deleted/);
    expectOnlyIssue(QdrantEntity, entity({}, { result: { result: 'OK' } }), 'status.result.result', /Ok/);
  });
});

describe('QdrantRelease', () => {
  it('defaults default, unavailable and endOfLife to false', () => {
    expect(QdrantRelease.parse(doc('qdrant-release-minimal')).spec).toEqual({ version: 'v1.15.5', default: false, unavailable: false, endOfLife: false });
  });

  it.each([
    [{ version: 'latest' }, 'spec.version', /version such as "v1.12.4"/],
    [{ version: 'v1.12' }, 'spec.version', /version such as/],
    [{ releaseNotesURL: 'see notes' }, 'spec.releaseNotesURL', /must be a URL/],
    [{ default: 'true' }, 'spec.default', /expected boolean/],
    [{ accountIds: 'acme' }, 'spec.accountIds', /expected array/],
  ] as const)('refuses %j', (spec, path, message) => {
    expectOnlyIssue(QdrantRelease, release(spec), path, message);
  });

  it('accepts pre-release versions and has no status', () => {
    expectValid(QdrantRelease, release({ version: 'v1.17.0-rc.1' }));
    expectOnlyIssue(QdrantRelease, { ...doc('qdrant-release-minimal'), status: {} }, '', /status/);
  });
});

describe('QdrantCloudRegion', () => {
  it('lists the distributions upstream knows', () => {
    expect(K8S_DISTRIBUTIONS).toContain('openshift');
    expect(K8S_DISTRIBUTIONS).toHaveLength(14);
  });

  it.each([
    [{ spec: { components: [{ kind: 'HelmRelease', name: 'x', namespace: 'q' }] } }, 'spec.components[0].apiVersion', /expected string/],
    [{ spec: { helmReleases: [{ objekt: {} }] } }, 'spec.helmReleases[0]', /objekt/],
  ] as const)('refuses %j', (change, path, message) => {
    expectOnlyIssue(QdrantCloudRegion, region(change), path, message);
  });

  it.each([
    [{ phase: 'Syncing' }, 'status.phase', /FailedToSync/],
    [{ k8sDistribution: 'eks' }, 'status.k8sDistribution', /aws/],
    [{ monitoring: { nodeMetricSource: 'prometheus' } }, 'status.monitoring.nodeMetricSource', /kubelet|api/],
    [{ numberOfNodes: -1 }, 'status.numberOfNodes', />=0|at least 0|too small/i],
    [
      { storageClasses: [{ name: 'gp3', default: true, provisioner: 'p', allowVolumeExpansion: true }] },
      'status.storageClasses[0].reclaimPolicy',
      /expected string/,
    ],
    [{ volumeSnapshotClasses: [{ name: 'csi-snapclass' }] }, 'status.volumeSnapshotClasses[0].driver', /expected string/],
    [{ helmReleases: [{ name: 'op', phase: 'Installed' }] }, 'status.helmReleases[0].phase', /NotFound/],
    [
      { nodeInfos: [{ name: 'n1', capacity: { cpu: '1', memory: '1Gi', pods: '10', ephemeralStorage: '1Gi' } }] },
      'status.nodeInfos[0].allocatable',
      /expected object/,
    ],
  ] as const)('refuses status %j', (change, path, message) => {
    expectOnlyIssue(QdrantCloudRegion, regionStatus(change), path, message);
  });
});
