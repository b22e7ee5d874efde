import { describe, expect, it } from 'vitest';
import { useOperator, watchRollout, withReasons } from './support/harness.ts';

const h = useOperator('rollout');

const settled = (c: { metadata: { generation?: number }; status?: { phase?: string; availableNodes?: number; observedGeneration?: number } }) =>
  c.status?.phase === 'Healthy' && c.status.availableNodes === 3 && c.status.observedGeneration === c.metadata.generation;

/** Applies a change and returns how the pods went through it. */
async function rollout(id: string, change: () => Promise<unknown>, until: (pods: Awaited<ReturnType<typeof h.pods>>) => boolean) {
  const watch = await watchRollout(h, id);
  try {
    await change();
    await h.waitFor(id, 'the change rolled out', (c) => c.status?.phase !== 'Healthy' || c.status.observedGeneration === c.metadata.generation, 10_000);
    await h.waitFor(id, 'Healthy after the change', settled);
    const { waitFor } = await import('@qhc/kube-sandbox');
    await waitFor('every pod changed', async () => (until(await h.pods(id)) ? true : undefined), { timeoutMs: 30_000 });
    await h.waitFor(id, 'Healthy with the new pods', settled);
    return { ...watch.state, recreated: [...watch.state.recreated].toSorted() };
  } finally {
    await watch.stop();
  }
}

describe('rolling changes', () => {
  const id = 'r1';
  const names = [0, 1, 2].map((i) => `qdrant-${id}-${i}`);

  it('creates a 3-node cluster', async () => {
    await h.client.apply(h.clusterObject(id, { size: 3 }));
    const created = await h.waitFor(id, 'Healthy', settled);
    expect(Object.keys(created.status?.nodes ?? {})).toEqual(names);
  });

  it('rolls a resource change one pod at a time, each waiting for the previous to be Ready', async () => {
    const seen = await rollout(
      id,
      () => h.client.patch(h.ref(id), { spec: { resources: { cpu: '2', memory: '1Gi', storage: '1Gi' } } }),
      (pods) => pods.length === 3 && pods.every((p) => p.spec.containers[0]!.resources?.limits?.cpu === '2'),
    );
    expect(seen.recreated).toEqual(names);
    expect(seen.minReady).toBe(2);
    expect((await h.events(id, withReasons('Updating'))).map((e) => e.reason)).toContain('Updating');
  });

  it('upgrades the version as a rolling update (phase Upgrading), one pod at a time', async () => {
    const seen = await rollout(
      id,
      () => h.client.patch(h.ref(id), { spec: { version: 'v1.13.0' } }),
      (pods) => pods.length === 3 && pods.every((p) => p.spec.containers[0]!.image.endsWith(':v1.13.0')),
    );
    expect(seen.recreated).toEqual(names);
    expect(seen.minReady).toBe(2);
    const cluster = await h.waitFor(id, 'at v1.13.0', (c) => c.status?.version === 'v1.13.0');
    expect(Object.values(cluster.status?.nodes ?? {}).map((n) => n.version)).toEqual(['v1.13.0', 'v1.13.0', 'v1.13.0']);
    expect((await h.events(id, withReasons('Upgrading'))).some((e) => e.reason === 'Upgrading' && /rolling from v1.12.4 to v1.13.0/.test(e.note ?? ''))).toBe(
      true,
    );
  });

  it('restarts on request (the restartedAt annotation), one pod at a time', async () => {
    const before = new Map((await h.pods(id)).map((p) => [p.metadata.name!, p.metadata.uid!]));
    const seen = await rollout(
      id,
      () => h.client.patch(h.ref(id), { metadata: { annotations: { restartedAt: '2026-12-01T10:00:00Z' } } }),
      (pods) => pods.length === 3 && pods.every((p) => before.get(p.metadata.name!) !== p.metadata.uid),
    );
    expect(seen.recreated).toEqual(names);
    expect(seen.minReady).toBe(2);
  });

  it('with restartAllPodsConcurrently, restarts every pod at once', async () => {
    await h.client.patch(h.ref(id), { spec: { restartAllPodsConcurrently: true } });
    await h.waitFor(id, 'Healthy with the new strategy', settled);
    const before = new Map((await h.pods(id)).map((p) => [p.metadata.name!, p.metadata.uid!]));
    const seen = await rollout(
      id,
      () => h.client.patch(h.ref(id), { metadata: { annotations: { restartedAt: '2026-12-01T11:00:00Z' } } }),
      (pods) => pods.length === 3 && pods.every((p) => before.get(p.metadata.name!) !== p.metadata.uid),
    );
    expect(seen.recreated).toEqual(names);
    expect(seen.minReady).toBeLessThanOrEqual(1);
  });
});
