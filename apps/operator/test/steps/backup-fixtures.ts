import { LABEL_CLUSTER_ID, defaultOperatorSettings } from '@qhc/schemas';
import { silentLogger, type KubeObject } from '@qhc/kube';
import type { BackupDeps } from '../../src/backup/common.ts';
import { OperatorMetrics } from '../../src/metrics.ts';
import type { FakeKube } from './fake-kube.ts';
import { NOW, clusterObject } from './cluster-scenarios.ts';

// Fixtures for the backup kinds' step tests: a fake apiserver with a settled cluster whose
// database volume can be snapshotted under the class `csi`.

export const SNAPSHOT_CLASS = 'csi';

export function backupDeps(kube: FakeKube, clock: { now: number } = { now: NOW }): BackupDeps {
  const defaults = defaultOperatorSettings();
  const settings = { ...defaults, settings: { ...defaults.settings, storage: { ...defaults.settings.storage, snapshot_class: SNAPSHOT_CLASS } } };
  return {
    client: kube.client,
    settings: () => settings,
    recorder: kube.recorder,
    logger: silentLogger,
    metrics: new OperatorMetrics(),
    qdrant: async () => {
      throw new Error('Qdrant is not reachable in step tests');
    },
    now: () => clock.now,
  };
}

export function boundClaim(node: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: `qdrant-storage-qdrant-a-${node}`, namespace: 'qdrant', labels: { [LABEL_CLUSTER_ID]: 'a' } },
    spec: { storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } },
    status: { phase: 'Bound' },
  } as KubeObject;
}

export const snapshotClass = { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: SNAPSHOT_CLASS } } as KubeObject;

export const settledCluster = (phase = 'Healthy', spec: Record<string, unknown> = {}) => clusterObject(spec, { status: { phase, conditions: [] } });

/** Marks every VolumeSnapshot of the fake ready, as the CSI snapshotter would. */
export function markReady(kube: FakeKube): void {
  for (const vs of kube.all({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot' }, 'qdrant')) {
    kube.put({ ...vs, status: { readyToUse: true, restoreSize: '1Gi' } } as KubeObject);
  }
}
