import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@qhc/kube';
import { useOperator, withReasons, type Cluster } from './support/harness.ts';

const h = useOperator('storage');

interface Claim extends KubeObject {
  spec: { resources: { requests: { storage: string } } };
  status?: { capacity?: { storage?: string } };
}
const claims = async (id: string) =>
  (
    await h.client.list<Claim>({ apiVersion: 'v1', kind: 'PersistentVolumeClaim' }, { namespace: h.sandbox.namespace, labelSelector: `cluster-id=${id}` })
  ).items.filter((c) => c.metadata.name!.startsWith('qdrant-storage-'));
const condition = (c: Cluster) => c.status?.conditions?.find((x) => x.type === 'StorageResize');
const storageOfTemplate = async (id: string) => {
  const sts = await h.client.get<KubeObject & { spec: { volumeClaimTemplates: Claim[] } }>({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    namespace: h.sandbox.namespace,
    name: `qdrant-${id}`,
  });
  return sts!.spec.volumeClaimTemplates.find((t) => t.metadata.name === 'qdrant-storage')!.spec.resources.requests.storage;
};

describe('storage growth', () => {
  it("expands the volumes on an expandable storage class, without touching the StatefulSet's templates", async () => {
    const id = 'v1';
    await h.client.apply(h.clusterObject(id, { size: 2 }));
    await h.waitFor(id, 'Healthy', (c) => c.status?.phase === 'Healthy' && c.status.availableNodes === 2);
    await h.client.patch(h.ref(id), { spec: { resources: { cpu: '1', memory: '1Gi', storage: '2Gi' } } });
    const done = await h.waitFor(
      id,
      'volumes at 2Gi',
      (c) => condition(c)?.reason === 'AtRequestedSize' && c.status?.observedGeneration === c.metadata.generation,
    );
    expect(condition(done)).toMatchObject({ status: 'True', message: 'all 2 database volumes have 2Gi' });
    for (const claim of await claims(id)) {
      expect(claim.spec.resources.requests.storage).toBe('2Gi');
      expect(claim.status?.capacity?.storage).toBe('2Gi');
    }
    expect(await storageOfTemplate(id)).toBe('1Gi');
    expect(done.status?.phase).toBe('Healthy');
    expect(Object.values(done.status?.nodes ?? {}).map((n) => n.databasePVCStatus?.capacity?.storage)).toEqual(['2Gi', '2Gi']);
    expect((await h.events(id, withReasons('Expanding'))).map((e) => e.reason)).toContain('Expanding');

    // Shrinking is impossible: said so, nothing changed.
    await h.client.patch(h.ref(id), { spec: { resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } } });
    const refused = await h.waitFor(id, 'shrink refused', (c) => condition(c)?.reason === 'ShrinkNotSupported');
    expect(condition(refused)?.message).toBe(
      `volumes cannot shrink: qdrant-storage-qdrant-${id}-0, qdrant-storage-qdrant-${id}-1 ask 2Gi, the spec asks 1Gi; they stay as they are`,
    );
    expect((await claims(id)).map((c) => c.spec.resources.requests.storage)).toEqual(['2Gi', '2Gi']);
  });

  it('on a storage class without expansion, sets a clear condition and changes nothing', async () => {
    const id = 'v2';
    await h.client.apply(h.clusterObject(id, { size: 2, storageClassNames: { db: 'qhc-fixed' } }));
    await h.waitFor(id, 'Healthy', (c) => c.status?.phase === 'Healthy' && c.status.availableNodes === 2);
    await h.client.patch(h.ref(id), { spec: { resources: { cpu: '1', memory: '1Gi', storage: '2Gi' } } });
    const refused = await h.waitFor(id, 'expansion refused', (c) => condition(c)?.reason === 'StorageClassNotExpandable');
    expect(condition(refused)).toMatchObject({
      status: 'False',
      message: 'storage class qhc-fixed does not allow volume expansion: the volumes stay at 1Gi, the spec asks 2Gi',
    });
    expect((await claims(id)).map((c) => c.spec.resources.requests.storage)).toEqual(['1Gi', '1Gi']);
    expect(await storageOfTemplate(id)).toBe('1Gi');
    expect(refused.status?.phase).toBe('Healthy');
    expect((await h.events(id, withReasons('StorageClassNotExpandable'))).some((e) => e.type === 'Warning' && e.reason === 'StorageClassNotExpandable')).toBe(
      true,
    );
  });
});
