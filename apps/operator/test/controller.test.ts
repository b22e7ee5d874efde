import { describe, expect, it } from 'vitest';
import { qdrantClusterFixture } from '@qhc/schemas/test';
import type { KubeObject } from '@qhc/kube';
import { PRIORITY } from '@qhc/kube';
import {
  addedWithProgress,
  apiKeySecretRoutes,
  claimReportChanged,
  clusterEventRoutes,
  readChanged,
  specOrMetaChanged,
  specUnobserved,
} from '../src/event-filters.ts';

describe('specOrMetaChanged', () => {
  const fixture = qdrantClusterFixture('c');
  const base = {
    ...fixture,
    metadata: { ...fixture.metadata, generation: 3, resourceVersion: '10', annotations: { a: '1' }, finalizers: ['example.com/backup'] },
  };
  it('ignores a status write (only the resourceVersion moves)', () => {
    expect(specOrMetaChanged({ ...base, metadata: { ...base.metadata, resourceVersion: '11' }, status: { phase: 'Healthy' } } as never, base)).toBe(false);
  });
  it("sees a spec change, an annotation (restartedAt), another's finalizer and a deletion", () => {
    expect(specOrMetaChanged({ ...base, metadata: { ...base.metadata, generation: 4 } }, base)).toBe(true);
    expect(specOrMetaChanged({ ...base, metadata: { ...base.metadata, annotations: { a: '1', restartedAt: 'now' } } }, base)).toBe(true);
    expect(specOrMetaChanged({ ...base, metadata: { ...base.metadata, finalizers: [] } }, base)).toBe(true);
    expect(specOrMetaChanged({ ...base, metadata: { ...base.metadata, deletionTimestamp: '2026-12-01T00:00:00Z' } }, base)).toBe(true);
  });
});

describe('specOrMetaChanged: the finalizer', () => {
  const fixture = qdrantClusterFixture('c');
  const without = { ...fixture, metadata: { ...fixture.metadata, resourceVersion: '1', finalizers: ['other'] } };
  it("ignores an earlier version's finalizer coming or going (a pass removes it), sees another one added or removed", () => {
    const legacy = { ...without, metadata: { ...without.metadata, resourceVersion: '2', finalizers: ['other', 'qhc.dev/cluster'] } };
    expect(specOrMetaChanged(without, legacy)).toBe(false);
    expect(specOrMetaChanged(legacy, without)).toBe(false);
    expect(specOrMetaChanged({ ...without, metadata: { ...without.metadata, finalizers: ['other', 'more'] } }, without)).toBe(true);
    expect(specOrMetaChanged({ ...without, metadata: { ...without.metadata, finalizers: [] } }, without)).toBe(true);
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

const cluster = { apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', metadata: { name: 'c', namespace: 'ns', generation: 1, resourceVersion: '1' } };

function routes(synced: boolean) {
  const queued: Array<[string, number | undefined]> = [];
  const forgotten: string[] = [];
  const r = clusterEventRoutes(
    (o, p) => queued.push([o.metadata.name!, p]),
    () => synced,
    (o) => forgotten.push(o.metadata.name!),
  );
  return { r, queued, forgotten };
}

describe('clusterEventRoutes', () => {
  it('queues the first list of clusters already acted on and a resync at the low priority, a change at the normal one', () => {
    const first = routes(false);
    first.r.add({ ...cluster, status: { observedGeneration: 1 } });
    expect(first.queued).toEqual([['c', PRIORITY.low]]);
    const later = routes(true);
    later.r.add(cluster);
    later.r.update(cluster, cluster);
    later.r.update({ ...cluster, metadata: { ...cluster.metadata, generation: 2 } }, cluster);
    expect(later.queued).toEqual([
      ['c', PRIORITY.normal],
      ['c', PRIORITY.low],
      ['c', undefined],
    ]);
    expect(PRIORITY.normal).toBeGreaterThan(PRIORITY.low);
  });
  it('queues a first-listed cluster whose spec no pass has acted on at the normal priority', () => {
    const first = routes(false);
    first.r.add(cluster);
    first.r.add({ ...cluster, metadata: { ...cluster.metadata, generation: 2 }, status: { observedGeneration: 1 } });
    first.r.add({ ...cluster, metadata: { ...cluster.metadata, generation: undefined }, status: {} });
    expect(first.queued).toEqual([
      ['c', PRIORITY.normal],
      ['c', PRIORITY.normal],
      ['c', PRIORITY.normal],
    ]);
    expect(specUnobserved({ ...cluster, metadata: { ...cluster.metadata, generation: 3 }, status: { observedGeneration: 3 } } as never)).toBe(false);
    // A resync is no change, whatever the status says.
    const later = routes(true);
    later.r.update(cluster, cluster);
    expect(later.queued).toEqual([['c', PRIORITY.low]]);
  });
  it('skips a status write, and forgets a deleted cluster before queueing it', () => {
    const { r, queued, forgotten } = routes(true);
    r.update({ ...cluster, metadata: { ...cluster.metadata, resourceVersion: '2' } }, cluster);
    r.delete(cluster);
    expect(forgotten).toEqual(['c']);
    expect(queued).toEqual([['c', undefined]]);
  });
});

describe('apiKeySecretRoutes', () => {
  it('queues the users of a changed Secret at the normal priority, of a resynced one at the low, of a new version alone none', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keys', namespace: 'ns', resourceVersion: '1' }, data: { k: 'YQ==' } };
    const queued: Array<[string, number | undefined]> = [];
    const r = apiKeySecretRoutes((o, p) => queued.push([o.metadata.name!, p]));
    r.update(secret, secret);
    r.update({ ...secret, metadata: { ...secret.metadata, resourceVersion: '2' } }, secret);
    r.update({ ...secret, data: { k: 'Yg==' } }, secret);
    r.add(secret);
    r.delete(secret);
    expect(queued).toEqual([
      ['keys', PRIORITY.low],
      ['keys', undefined],
      ['keys', undefined],
      ['keys', undefined],
    ]);
  });
});
