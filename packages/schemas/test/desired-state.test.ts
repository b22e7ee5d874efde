import { describe, expect, it } from 'vitest';
import { API_KEY_MAX_LENGTH, DESIRED_STATE_BOUNDS, DesiredState, allKinds, buildCrd, regionStatusOf, type DesiredStateInput } from '../src/index.ts';
import { clusterSnapshotFixture, clusterSpecFixture } from '../src/test/index.ts';

const region = { name: 'eu-1', namespace: 'qdrant', agentVersion: '1.0.0', operatorVersion: '1.0.0', advanced: { proxy: { noProxy: [] } } };

/** What the control plane's store answers: the release's CRDs, a cluster with keys, a backup, deletions. */
function controlPlaneAnswer(): DesiredStateInput {
  const backup = clusterSnapshotFixture('nightly-1', 'c1');
  return {
    revision: 7,
    region,
    clusters: [
      {
        id: 'c1',
        spec: clusterSpecFixture('c1'),
        apiKeys: { apiKey: 'k', readOnlyApiKey: 'r' },
        annotations: { restartedAt: '2026-01-01T00:00:00Z' },
        origin: { restore: 'r1', snapshot: 's1', sourceCluster: 'c0' },
      },
    ],
    deletions: ['c0'],
    resources: [{ kind: backup.kind, name: backup.metadata.name, clusterId: 'c1', spec: backup.spec }],
    resourceDeletions: [{ kind: 'QdrantClusterSnapshot', name: 'old' }],
    registryCredentials: { username: 'u', password: 'p' },
    crds: allKinds.map((kind) => buildCrd(kind) as unknown as Record<string, unknown>),
  };
}

describe('DesiredState: what parses', () => {
  it("parses the control plane's answer, the release's real CRDs included, keeping every field", () => {
    const answer = controlPlaneAnswer();
    const parsed = DesiredState.parse(answer);
    expect(parsed.clusters[0]).toEqual(answer.clusters[0]);
    expect(parsed.crds).toHaveLength(allKinds.length);
    expect(parsed.crds.map((c) => c.metadata.name)).toContain('qdrantclusters.qdrant.io');
    expect(parsed.resources).toEqual(answer.resources);
    expect(parsed.resourceDeletions).toEqual(answer.resourceDeletions);
    expect(parsed.registryCredentials).toEqual({ username: 'u', password: 'p' });
    expect(parsed.region).toEqual(region);
  });

  it("takes an older control plane's answer: no resources, deletions of resources or CRDs", () => {
    const parsed = DesiredState.parse({ revision: 1, region, clusters: [], deletions: [] });
    expect(parsed).toMatchObject({ resources: [], resourceDeletions: [], crds: [] });
  });

  it("keeps a newer control plane's unknown spec and region fields, drops its unknown top-level ones", () => {
    const parsed = DesiredState.parse({ ...controlPlaneAnswer(), clusters: [{ id: 'c1', spec: { id: 'c1', future: { on: true } } }], later: 1 });
    expect(parsed.clusters[0]?.spec).toEqual({ id: 'c1', future: { on: true } });
    expect(parsed).not.toHaveProperty('later');
  });
});

const pathOf = (value: unknown) => DesiredState.safeParse(value).error?.issues[0]?.path;

describe('DesiredState: what is refused, naming the field', () => {
  it.each([
    ['a cluster without a spec id', { clusters: [{ id: 'c1', spec: {} }] }, ['clusters', 0, 'spec', 'id']],
    ['a revision that is not an integer', { revision: '7' }, ['revision']],
    ['a deletion that is not a name', { deletions: [''] }, ['deletions', 0]],
    ['a resource without a kind', { resources: [{ name: 'b', clusterId: 'c1', spec: {} }] }, ['resources', 0, 'kind']],
    ['a region without a name', { region: { namespace: 'qdrant' } }, ['region', 'name']],
    ['a CRD without metadata', { crds: [{ kind: 'CustomResourceDefinition' }] }, ['crds', 0, 'metadata']],
  ])('refuses %s', (_name, change, path) => {
    expect(pathOf({ ...controlPlaneAnswer(), ...change })).toEqual(path);
  });

  it('refuses a spec nested past its bounds before the typed parse walks it', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = { a: deep };
    const path = pathOf({ ...controlPlaneAnswer(), clusters: [{ id: 'c1', spec: { id: 'c1', deep } }] });
    expect(path?.slice(0, 4)).toEqual(['clusters', 0, 'spec', 'deep']);
    expect(path!.length).toBeLessThanOrEqual(DESIRED_STATE_BOUNDS.maxDepth);
  });

  it('refuses more clusters than the bound', () => {
    const clusters = Array.from({ length: 10_001 }, (_, i) => ({ id: `c${i}`, spec: { id: `c${i}` } }));
    expect(pathOf({ ...controlPlaneAnswer(), clusters })).toEqual(['clusters']);
  });
});

describe('regionStatusOf', () => {
  it('reads what the agent reported, and leaves out a health this release cannot read', () => {
    expect(regionStatusOf({ phase: 'Ready', numberOfNodes: 3 })).toEqual({ phase: 'Ready', numberOfNodes: 3 });
    expect(regionStatusOf({ phase: 'Ready', health: { unknown: true } })).toEqual({ phase: 'Ready' });
    expect(regionStatusOf({ phase: 7 })).toBeUndefined();
    expect(regionStatusOf(undefined)).toBeUndefined();
  });
});

describe('what the control plane accepts, the agent applies', () => {
  it('a long env value (a PEM bundle), many annotations and a 4096-character API key parse', () => {
    const spec = {
      ...clusterSpecFixture('big'),
      statefulSet: {
        annotations: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`a${i}`, 'x'])),
        pods: { extraEnv: [{ name: 'CA', value: 'x'.repeat(40_000) }] },
      },
    };
    const answer = { revision: 1, region: { name: 'r' }, clusters: [{ id: 'big', spec, apiKeys: { apiKey: 'k'.repeat(API_KEY_MAX_LENGTH) } }], deletions: [] };
    expect(DesiredState.safeParse(answer).success).toBe(true);
    const tooLong = { ...answer, clusters: [{ id: 'big', spec, apiKeys: { apiKey: 'k'.repeat(API_KEY_MAX_LENGTH + 1) } }] };
    expect(DesiredState.safeParse(tooLong).success).toBe(false);
  });
});
