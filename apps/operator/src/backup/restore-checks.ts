import { LABEL_NODE_INDEX, ANNOTATION_SOURCE_STORAGE_CLASS, clusterLabels, buildRestoredClaim, resolveCluster } from '@qhc/manifests';
import { parseQuantity, type OperatorSettings, type QdrantCluster, type QdrantClusterRestore, type QdrantClusterSnapshot } from '@qhc/schemas';
import type { KubeClient, KubeObject } from '@qhc/kube';
import { CLUSTER_SNAPSHOT, VOLUME_SNAPSHOT, type VolumeSnapshotObject } from './common.ts';

// What a restore checks before it touches anything, and the claims it makes from the
// snapshot's VolumeSnapshots. A failed check is a RestoreFailure: the restore ends Failed.

export interface Volume {
  node: number;
  name: string;
  restoreSize?: string;
  storageClass?: string;
}
export class RestoreFailure extends Error {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.reason = reason;
  }
}

export type RestoreSource = { volumes: Volume[]; snapshot: QdrantClusterSnapshot & KubeObject };

/** The snapshot's volumes by node, or undefined while it is still being taken. */
export async function readSnapshot(
  client: KubeClient,
  restore: QdrantClusterRestore,
): Promise<{ volumes: Volume[]; snapshot: QdrantClusterSnapshot & KubeObject } | undefined> {
  const { snapshotName, namespace } = restore.spec.source;
  if (namespace !== restore.spec.destination.namespace) {
    throw new RestoreFailure(
      'CrossNamespace',
      `the snapshot is in namespace ${namespace} and the destination in ${restore.spec.destination.namespace}: a VolumeSnapshot can only be restored in its own namespace`,
    );
  }
  const snapshot = await client.get<QdrantClusterSnapshot & KubeObject>({ ...CLUSTER_SNAPSHOT, namespace, name: snapshotName });
  if (!snapshot) throw new RestoreFailure('SnapshotNotFound', `QdrantClusterSnapshot ${namespace}/${snapshotName} does not exist`);
  const phase = snapshot.status?.phase;
  if (phase === undefined || phase === 'Running') return undefined;
  if (phase !== 'Succeeded')
    throw new RestoreFailure(
      'SnapshotNotReady',
      `QdrantClusterSnapshot ${snapshotName} is ${phase}${snapshot.status?.message ? `: ${snapshot.status.message}` : ''}`,
    );
  const volumes: Volume[] = [];
  for (const info of snapshot.status?.volumeSnapshots ?? []) {
    const vs = await client.get<VolumeSnapshotObject>({ ...VOLUME_SNAPSHOT, namespace, name: info.volumeSnapshotName });
    if (!vs || vs.metadata.deletionTimestamp)
      throw new RestoreFailure('SnapshotNotFound', `VolumeSnapshot ${info.volumeSnapshotName} of QdrantClusterSnapshot ${snapshotName} does not exist`);
    if (vs.status?.readyToUse !== true)
      throw new RestoreFailure(
        'SnapshotNotReady',
        `VolumeSnapshot ${info.volumeSnapshotName} is not ready to use${vs.status?.error?.message ? `: ${vs.status.error.message}` : ''}`,
      );
    volumes.push({
      node: Number(vs.metadata.labels?.[LABEL_NODE_INDEX] ?? volumes.length),
      name: vs.metadata.name!,
      restoreSize: vs.status.restoreSize,
      storageClass: vs.metadata.annotations?.[ANNOTATION_SOURCE_STORAGE_CLASS],
    });
  }
  if (volumes.length === 0) throw new RestoreFailure('SnapshotNotReady', `QdrantClusterSnapshot ${snapshotName} lists no volume snapshots`);
  return { volumes: volumes.toSorted((a, b) => a.node - b.node), snapshot };
}

/** The target's node count, storage size and StorageClass must fit the snapshot's volumes. */
export async function checkFits(client: KubeClient, settings: OperatorSettings, cluster: QdrantCluster, volumes: Volume[]): Promise<void> {
  if (cluster.spec.size !== volumes.length) {
    throw new RestoreFailure(
      'NodeCountMismatch',
      `cluster ${cluster.metadata.name} has ${cluster.spec.size} node(s) and the snapshot ${volumes.length} volume(s); set spec.size to ${volumes.length} first`,
    );
  }
  const storage = resolveCluster(cluster, settings).storageSize;
  for (const v of volumes) {
    if (v.restoreSize && parseQuantity(v.restoreSize) > parseQuantity(storage)) {
      throw new RestoreFailure(
        'StorageTooSmall',
        `VolumeSnapshot ${v.name} needs ${v.restoreSize} and cluster ${cluster.metadata.name} asks for ${storage} per node`,
      );
    }
  }
  const target = resolveCluster(cluster, settings).dbStorageClass ?? (await defaultStorageClass(client));
  for (const v of volumes) {
    if (v.storageClass && target && v.storageClass !== target) {
      throw new RestoreFailure(
        'StorageClassMismatch',
        `VolumeSnapshot ${v.name} was taken from StorageClass ${v.storageClass} and cluster ${cluster.metadata.name} uses ${target}; a snapshot restores within its driver's classes`,
      );
    }
  }
}

async function defaultStorageClass(client: KubeClient): Promise<string | undefined> {
  const classes = await client.list({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass' });
  return classes.items.find((c) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true')?.metadata.name;
}

export async function ensureClaims(client: KubeClient, settings: OperatorSettings, cluster: QdrantCluster, volumes: Volume[], uid: string): Promise<string[]> {
  const labels = clusterLabels(cluster, 'database');
  const resolved = resolveCluster(cluster, settings);
  const names: string[] = [];
  for (const v of volumes) {
    const claim = buildRestoredClaim({
      namespace: cluster.metadata.namespace!,
      clusterId: cluster.spec.id,
      node: v.node,
      volumeSnapshotName: v.name,
      storage: resolved.storageSize,
      storageClassName: resolved.dbStorageClass,
      restoreUid: uid,
      labels,
    });
    await client.apply(claim);
    names.push(claim.metadata.name);
  }
  return names;
}
