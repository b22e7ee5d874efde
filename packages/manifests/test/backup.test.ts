import { describe, expect, it } from 'vitest';
import { buildRestoredClaim, buildScheduledSnapshot, buildVolumeSnapshot, suffixedName } from '../src/index.ts';

const snapshot = {
  metadata: {
    name: 'nightly',
    namespace: 'qdrant',
    uid: 'u-1',
    labels: { 'cluster-id': 'abc', 'customer-id': 'acme' },
    annotations: { team: 'search', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
  },
  spec: { 'cluster-id': 'abc' },
};

describe('backup builders', () => {
  it('a VolumeSnapshot per node: owned by the backup, its labels and annotations, the point and the source claim', () => {
    const vs = buildVolumeSnapshot({
      snapshot,
      claim: { name: 'qdrant-storage-qdrant-abc-2', node: 2, storageClassName: 'fast', storage: '10Gi' },
      volumeSnapshotClassName: 'csi-snapclass',
      point: '2026-12-01T10:00:00Z',
    });
    expect(vs).toEqual({
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshot',
      metadata: {
        name: 'nightly-2',
        namespace: 'qdrant',
        labels: { 'app.kubernetes.io/managed-by': 'qhc-operator', 'cluster-id': 'abc', 'customer-id': 'acme', 'qhc.dev/node-index': '2' },
        annotations: {
          'qhc.dev/snapshot-point': '2026-12-01T10:00:00Z',
          'qhc.dev/source-storage': '10Gi',
          'qhc.dev/source-storage-class': 'fast',
          team: 'search',
        },
        ownerReferences: [
          { apiVersion: 'qdrant.io/v1', kind: 'QdrantClusterSnapshot', name: 'nightly', uid: 'u-1', controller: true, blockOwnerDeletion: true },
        ],
      },
      spec: { source: { persistentVolumeClaimName: 'qdrant-storage-qdrant-abc-2' }, volumeSnapshotClassName: 'csi-snapclass' },
    });
  });

  it('a scheduled snapshot is named by its time, so making it twice finds the first', () => {
    const schedule = {
      metadata: { name: 'hourly', namespace: 'qdrant', labels: { 'cluster-id': 'abc', 'customer-id': 'acme' } },
      spec: { 'cluster-id': 'abc', scheduleShortId: 'h1', schedule: '0 * * * *', retention: '72h' },
    };
    const made = buildScheduledSnapshot(schedule, Date.parse('2026-12-01T10:00:00Z'));
    expect(made).toMatchObject({
      kind: 'QdrantClusterSnapshot',
      metadata: { name: 'hourly-1796119200', labels: { 'cluster-id': 'abc', 'customer-id': 'acme', 'qhc.dev/schedule-id': 'h1' } },
      spec: { 'cluster-id': 'abc', 'creation-timestamp': 1796119200, scheduleShortId: 'h1', retention: '72h' },
    });
    expect(buildScheduledSnapshot(schedule, Date.parse('2026-12-01T10:00:00.900Z'))).toEqual(made);
  });

  it("a restored claim has the StatefulSet's name for that node and the VolumeSnapshot as its data source", () => {
    const claim = buildRestoredClaim({
      namespace: 'qdrant',
      clusterId: 'new',
      node: 1,
      volumeSnapshotName: 'nightly-1',
      storage: '10Gi',
      storageClassName: 'fast',
      restoreUid: 'r-1',
    });
    expect(claim).toMatchObject({
      metadata: { name: 'qdrant-storage-qdrant-new-1', annotations: { 'qhc.dev/restored-by': 'r-1' }, labels: { 'cluster-id': 'new' } },
      spec: {
        storageClassName: 'fast',
        resources: { requests: { storage: '10Gi' } },
        dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'nightly-1' },
      },
    });
  });

  it('long names are shortened with a hash and stay within the limit', () => {
    const long = 'a'.repeat(250);
    const name = suffixedName(long, '12');
    expect(name.length).toBeLessThanOrEqual(253);
    expect(name.endsWith('-12')).toBe(true);
    expect(suffixedName(long, '13')).not.toBe(name);
  });
});
