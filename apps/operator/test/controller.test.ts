import { describe, expect, it } from 'vitest';
import { qdrantClusterFixture } from '@qhc/schemas/test';
import type { KubeObject } from '@qhc/kube';
import { addedWithProgress, claimReportChanged, readChanged, specOrMetaChanged } from '../src/event-filters.ts';

describe('specOrMetaChanged', () => {
  const fixture = qdrantClusterFixture('c');
  const base = {
    ...fixture,
    metadata: { ...fixture.metadata, generation: 3, resourceVersion: '10', annotations: { a: '1' }, finalizers: ['qhc.dev/cluster'] },
  };
  it('ignores a status write (only the resourceVersion moves)', () => {
    expect(specOrMetaChanged({ ...base, metadata: { ...base.metadata, resourceVersion: '11' }, status: { phase: 'Healthy' } } as never, base)).toBe(false);
  });
  it('sees a spec change, an annotation (restartedAt), a finalizer and a deletion', () => {
    expect(specOrMetaChanged({ ...base, metadata: { ...base.metadata, generation: 4 } }, base)).toBe(true);
    expect(specOrMetaChanged({ ...base, metadata: { ...base.metadata, annotations: { a: '1', restartedAt: 'now' } } }, base)).toBe(true);
    expect(specOrMetaChanged({ ...base, metadata: { ...base.metadata, finalizers: [] } }, base)).toBe(true);
    expect(specOrMetaChanged({ ...base, metadata: { ...base.metadata, deletionTimestamp: '2026-12-01T00:00:00Z' } }, base)).toBe(true);
  });
});

describe('specOrMetaChanged: the finalizer', () => {
  const fixture = qdrantClusterFixture('c');
  const without = { ...fixture, metadata: { ...fixture.metadata, resourceVersion: '1', finalizers: ['other'] } };
  it('ignores ours added (the pass that added it goes on), sees ours removed and another one added', () => {
    const added = { ...without, metadata: { ...without.metadata, resourceVersion: '2', finalizers: ['other', 'qhc.dev/cluster'] } };
    expect(specOrMetaChanged(added, without)).toBe(false);
    expect(specOrMetaChanged(without, added)).toBe(true);
    expect(specOrMetaChanged({ ...without, metadata: { ...without.metadata, finalizers: ['other', 'more'] } }, without)).toBe(true);
  });
});

describe('readChanged', () => {
  const sts = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 's', namespace: 'n', resourceVersion: '1', managedFields: [{ manager: 'a' }] },
    status: { readyReplicas: 0 },
  };
  it('ignores a resync (the same object) and a new resourceVersion alone', () => {
    expect(readChanged(sts, sts)).toBe(false);
    expect(readChanged({ ...sts, metadata: { ...sts.metadata, resourceVersion: '2', managedFields: [{ manager: 'b' }] } }, sts)).toBe(false);
  });
  it('sees a changed status or label', () => {
    expect(readChanged({ ...sts, metadata: { ...sts.metadata, resourceVersion: '2' }, status: { readyReplicas: 1 } }, sts)).toBe(true);
    expect(readChanged({ ...sts, metadata: { ...sts.metadata, labels: { a: 'b' } } }, sts)).toBe(true);
  });
});

const claim = (phase: string, storage?: string) =>
  ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'c', resourceVersion: phase },
    spec: { storageClassName: 'fast' },
    status: { phase, ...(storage ? { capacity: { storage } } : {}) },
  }) as KubeObject;

describe('claimReportChanged', () => {
  it("sees what the nodes' details report of a claim: its phase and capacity", () => {
    expect(claimReportChanged(claim('Bound', '1Gi'), claim('Lost'))).toBe(true);
    expect(claimReportChanged(claim('Bound', '2Gi'), claim('Bound', '1Gi'))).toBe(true);
  });
  it('ignores the rest (a new resourceVersion, an annotation)', () => {
    const annotated = { ...claim('Bound', '1Gi'), metadata: { name: 'c', resourceVersion: '9', annotations: { a: 'b' } } };
    expect(claimReportChanged(annotated, claim('Bound', '1Gi'))).toBe(false);
  });
});

describe('addedWithProgress', () => {
  const created = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's', namespace: 'n', resourceVersion: '1' }, status: { replicas: 0 } };
  const rolledOut = { ...created, metadata: { ...created.metadata, resourceVersion: '9' }, status: { observedGeneration: 1, replicas: 1, readyReplicas: 1 } };
  it('wakes the owner of a StatefulSet a relist finds already rolled out (its watch events were lost)', () => {
    expect(addedWithProgress(rolledOut, true)).toBe(true);
  });
  it("not for a creation's own ADDED event, nor during the first list (every cluster is queued then)", () => {
    expect(addedWithProgress(created, true)).toBe(false);
    expect(addedWithProgress(rolledOut, false)).toBe(false);
    expect(addedWithProgress({ ...rolledOut, kind: 'Service' }, true)).toBe(false);
  });
});
