import { QDRANT_API_VERSION } from '@qhc/schemas';
import type { KubeObject } from '@qhc/kube';
import { describe, expect, it } from 'vitest';
import { FINALIZER, reconcileCluster } from '../../src/reconcile/cluster.ts';
import { clusterDeps, clusterObject } from './cluster-scenarios.ts';
import { FakeKube } from './fake-kube.ts';
import { settle } from './mutations.ts';

// A pass reads its cluster from the clusters' informer: every write of the cluster must hand
// its answer to the cache (Informer.wrote), or the next pass computes against the version
// before it (a redundant status write, a repeated phase event).

const REF = { apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster', namespace: 'qdrant', name: 'qdrant-a' };

describe('the cluster cache takes every write of the cluster', () => {
  it("an earlier version's finalizer removed, the status written, the finalizer removed from a deleted cluster: each answer, as the apiserver has it", async () => {
    const kube = new FakeKube([clusterObject({}, { metadata: { finalizers: [FINALIZER] } })]);
    const written: KubeObject[] = [];
    const deps = { ...clusterDeps(kube), cache: { ...kube.cache, wrote: (o: KubeObject) => written.push(structuredClone(o)) } };
    const version = () => kube.find(REF)?.metadata.resourceVersion;

    await settle(() => reconcileCluster(deps, 'qdrant/qdrant-a'));
    expect(written.map((o) => o.metadata.finalizers)).toEqual([[], []]);
    expect((written[1] as { status?: { phase?: string } }).status?.phase).toBe('Creating');
    expect(written.at(-1)?.metadata.resourceVersion).toBe(version());

    // Deleted while it still had the finalizer (an earlier version's pass never got to it).
    const live = kube.find(REF)!;
    kube.put({ ...live, metadata: { ...live.metadata, finalizers: [FINALIZER], deletionTimestamp: '2026-01-01T00:00:00Z' } });
    await settle(() => reconcileCluster(deps, 'qdrant/qdrant-a'));
    expect(written.at(-1)?.metadata.finalizers).toEqual([]);
    expect(written.at(-1)?.metadata.resourceVersion).toBe(version());
  });
});
