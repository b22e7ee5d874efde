import { describe, expect, it } from 'vitest';
import { ANNOTATION_DELAY_SECONDS, ANNOTATION_FAIL, KubeRequestError, waitFor } from '../src/index.ts';
import { useSandboxNamespace } from '../src/vitest.ts';

const sandbox = useSandboxNamespace('sandbox');

interface StatefulSet {
  status?: { readyReplicas?: number; replicas?: number };
}
interface Pvc {
  spec: { volumeName?: string; storageClassName?: string };
  status?: { phase?: string; capacity?: { storage?: string } };
}
interface PodList {
  items: Array<{ metadata: { name: string }; status?: { phase?: string; podIP?: string } }>;
}
interface VolumeSnapshot {
  status?: { readyToUse?: boolean; boundVolumeSnapshotContentName?: string; restoreSize?: string; error?: { message?: string } };
}

const ns = () => sandbox.namespace;
const get = <T>(path: string) => sandbox.client.call<T>('GET', path, { allowNotFound: true });

function statefulSet(name: string, replicas: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: ns() },
    spec: {
      replicas,
      serviceName: name,
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'example.invalid/never-pulled:1', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] },
      },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  };
}

function claim(name: string, storageClassName: string, storage = '1Gi') {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: ns() },
    spec: { storageClassName, accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
  };
}

const claimPath = (name: string) => `/api/v1/namespaces/${ns()}/persistentvolumeclaims/${name}`;
const snapshotPath = (name: string) => `/apis/snapshot.storage.k8s.io/v1/namespaces/${ns()}/volumesnapshots/${name}`;

async function boundClaim(name: string, storageClassName: string): Promise<Pvc> {
  await sandbox.client.apply(claimPath(name), claim(name, storageClassName));
  return waitFor(`claim ${name} to bind`, async () => {
    const pvc = await get<Pvc>(claimPath(name));
    return pvc?.status?.phase === 'Bound' ? pvc : undefined;
  });
}

describe('the kube sandbox', () => {
  it('runs a 3-replica StatefulSet to 3/3 Ready with bound claims, and scales it down', async () => {
    const path = `/apis/apps/v1/namespaces/${ns()}/statefulsets/web`;
    await sandbox.client.apply(path, statefulSet('web', 3));
    await waitFor('3/3 ready replicas', async () => ((await get<StatefulSet>(path))?.status?.readyReplicas === 3 ? true : undefined));

    for (const index of [0, 1, 2]) {
      const pvc = await get<Pvc>(claimPath(`data-web-${index}`));
      expect(pvc?.status?.phase).toBe('Bound');
      expect(pvc?.spec.storageClassName).toBe('qhc-expandable');
    }
    const pods = await get<PodList>(`/api/v1/namespaces/${ns()}/pods?labelSelector=app%3Dweb`);
    expect(pods?.items.map((p) => p.status?.phase)).toEqual(['Running', 'Running', 'Running']);
    expect(pods?.items.every((p) => p.status?.podIP)).toBe(true);

    await sandbox.client.apply(path, statefulSet('web', 1));
    const remaining = await waitFor('the scale-down to delete pods 1 and 2', async () => {
      const list = await get<PodList>(`/api/v1/namespaces/${ns()}/pods?labelSelector=app%3Dweb`);
      return list?.items.length === 1 ? list.items.map((p) => p.metadata.name) : undefined;
    });
    expect(remaining).toEqual(['web-0']);
    // As in Kubernetes, the claims of removed replicas stay.
    expect((await get<Pvc>(claimPath('data-web-2')))?.status?.phase).toBe('Bound');
  });

  it('binds claims on the fixed class too, and refuses to expand them', async () => {
    await boundClaim('fixed', 'qhc-fixed');
    const error = await sandbox.client.apply(claimPath('fixed'), claim('fixed', 'qhc-fixed', '2Gi')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeRequestError);
    expect((error as KubeRequestError).status).toBe(403);
    expect((error as KubeRequestError).message).toMatch(/resize|expansion|expand/i);
  });

  it('grants an expansion on the expandable class (the resizer double)', async () => {
    await boundClaim('grows', 'qhc-expandable');
    await sandbox.client.apply(claimPath('grows'), claim('grows', 'qhc-expandable', '3Gi'));
    const pvc = await waitFor('capacity 3Gi', async () => {
      const current = await get<Pvc>(claimPath('grows'));
      return current?.status?.capacity?.storage === '3Gi' ? current : undefined;
    });
    const pv = await get<{ spec: { capacity: { storage: string } } }>(`/api/v1/persistentvolumes/${pvc.spec.volumeName}`);
    expect(pv?.spec.capacity.storage).toBe('3Gi');
  });
});

describe('the kube sandbox: snapshots and restarts', () => {
  it('makes snapshots ready, fails the ones told to fail, and holds delayed ones back', async () => {
    await boundClaim('source', 'qhc-expandable');
    const snapshot = (name: string, annotations: Record<string, string> = {}) =>
      sandbox.client.apply(snapshotPath(name), {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        metadata: { name, namespace: ns(), annotations },
        spec: { volumeSnapshotClassName: 'csi-snapclass', source: { persistentVolumeClaimName: 'source' } },
      });
    await snapshot('good');
    await snapshot('bad', { [ANNOTATION_FAIL]: 'disk on fire' });
    await snapshot('slow', { [ANNOTATION_DELAY_SECONDS]: '3600' });

    const good = await waitFor('snapshot good to be ready', async () => {
      const vs = await get<VolumeSnapshot>(snapshotPath('good'));
      return vs?.status?.readyToUse ? vs : undefined;
    });
    expect(good.status?.restoreSize).toBe('1Gi');
    const content = await get<{ spec: { volumeSnapshotRef: { name: string } } }>(
      `/apis/snapshot.storage.k8s.io/v1/volumesnapshotcontents/${good.status?.boundVolumeSnapshotContentName}`,
    );
    expect(content?.spec.volumeSnapshotRef.name).toBe('good');

    const bad = await waitFor('snapshot bad to fail', async () => {
      const vs = await get<VolumeSnapshot>(snapshotPath('bad'));
      return vs?.status?.error?.message ? vs : undefined;
    });
    expect(bad.status).toMatchObject({ readyToUse: false, error: { message: 'disk on fire' } });

    // Both other snapshots have been handled by now; the delayed one is still untouched.
    expect((await get<VolumeSnapshot>(snapshotPath('slow')))?.status).toBeUndefined();

    await sandbox.client.call('DELETE', snapshotPath('good'));
    await waitFor('the content of a deleted snapshot to go', async () =>
      (await get(`/apis/snapshot.storage.k8s.io/v1/volumesnapshotcontents/${good.status?.boundVolumeSnapshotContentName}`)) === undefined ? true : undefined,
    );
  });

  it('restarts the apiserver and keeps the data', async () => {
    const path = `/api/v1/namespaces/${ns()}/configmaps/survivor`;
    await sandbox.client.apply(path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'survivor', namespace: ns() }, data: { a: 'b' } });
    await sandbox.restartApiServer();
    const readyz = await sandbox.client.request('GET', '/readyz');
    expect(readyz.status).toBe(200);
    expect((await get<{ data: Record<string, string> }>(path))?.data).toEqual({ a: 'b' });
  });

  it('restarts etcd on the same data; the running apiserver reconnects and writes again', async () => {
    const path = `/api/v1/namespaces/${ns()}/configmaps/etcd-survivor`;
    await sandbox.client.apply(path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'etcd-survivor', namespace: ns() }, data: { a: 'b' } });
    await sandbox.restartEtcd();
    expect((await get<{ data: Record<string, string> }>(path))?.data).toEqual({ a: 'b' });
    await sandbox.client.apply(path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'etcd-survivor', namespace: ns() }, data: { a: 'c' } });
    expect((await get<{ data: Record<string, string> }>(path))?.data).toEqual({ a: 'c' });
  });
});
