import { describe, expect, it } from 'vitest';
import { KubeApiError, type KubeClient, type KubeList, type KubeObject } from '@qhc/kube';
import { buildDesiredStateObjects } from '@qhc/manifests';
import { DesiredState, parseRegion } from '@qhc/schemas';
import { clusterSpecFixture, scheduledSnapshotFixture } from '@qhc/schemas/test';
import { listLive } from '../src/live-objects.ts';

// One LIST per kind, without an apiserver: a stub answers each kind's LIST.

const nightly = scheduledSnapshotFixture('c0-nightly', 'c0', { scheduleShortId: 'n1' });
const objects = buildDesiredStateObjects(
  DesiredState.parse({
    revision: 1,
    region: parseRegion(JSON.stringify({ name: 'r1', namespace: 'ns', operatorVersion: '0.1.0', agentVersion: '0.1.0' })),
    clusters: [{ id: 'c0', spec: clusterSpecFixture('c0'), apiKeys: { apiKey: 'k' } }],
    resources: [{ kind: nightly.kind, name: 'c0-nightly', clusterId: 'c0', spec: nightly.spec }],
    deletions: [],
  }),
  { namespace: 'ns' },
);

/** A client whose LIST of `kind` answers `answer`; every other kind lists one object of that kind. */
const stub = (kind: string, answer: () => never) =>
  ({
    list: async (ref: { kind: string }): Promise<KubeList<KubeObject>> => {
      if (ref.kind === kind) answer();
      return { apiVersion: 'v1', kind: `${ref.kind}List`, metadata: {}, items: [{ apiVersion: '', kind: '', metadata: { name: `one-${ref.kind}` } }] };
    },
  }) as unknown as KubeClient;
const notServed = (kind: string) => () => {
  throw new KubeApiError({ method: 'GET', path: '/apis/qdrant.io/v1', status: 404, body: { message: `the server has no kind ${kind}` } });
};

const forbidden = () => {
  throw new KubeApiError({ method: 'GET', path: '/api/v1/secrets', status: 403, body: { message: 'forbidden' } });
};

describe('listLive', () => {
  it('lists every kind the desired state applies, each item under its kind', async () => {
    const live = await listLive(stub('none', notServed('none')), 'ns', objects);
    expect([...live.keys()].toSorted()).toEqual(['QdrantCluster/one-QdrantCluster', `${nightly.kind}/one-${nightly.kind}`, 'Secret/one-Secret'].toSorted());
  });

  it('a kind the apiserver does not serve (its CRD not installed) has no live objects: the other kinds are still read', async () => {
    const live = await listLive(stub(nightly.kind, notServed(nightly.kind)), 'ns', objects);
    expect([...live.keys()].toSorted()).toEqual(['QdrantCluster/one-QdrantCluster', 'Secret/one-Secret']);
  });

  it('any other failure is thrown: what is live is not guessed', async () => {
    await expect(listLive(stub('Secret', forbidden), 'ns', objects)).rejects.toThrow('forbidden');
  });
});
