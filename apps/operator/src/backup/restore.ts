import {
  LABEL_CLUSTER_ID,
  LABEL_CUSTOMER_ID,
  parseQuantity,
  safeValidateQdrantClusterRestore,
  type OperatorSettings,
  type QdrantCluster,
  type QdrantClusterRestore,
  type QdrantClusterRestoreStatus,
  type QdrantClusterSnapshot,
  type RestorePhase,
} from '@qhc/schemas';
import {
  ANNOTATION_CLUSTER_SPEC,
  ANNOTATION_ORIGIN_CLUSTER,
  ANNOTATION_ORIGIN_RESTORE,
  ANNOTATION_ORIGIN_SNAPSHOT,
  ANNOTATION_RESTORED_BY,
  ANNOTATION_SOURCE_STORAGE_CLASS,
  LABEL_NODE_INDEX,
  STORAGE_VOLUME,
  buildRestoredClaim,
  clusterLabels,
  resolveCluster,
} from '@qhc/manifests';
import { splitKey, type KubeClient, type KubeObject, type ReconcileResult } from '@qhc/kube';
import { CLUSTER_SNAPSHOT, QDRANT_CLUSTER, STATUS_FIELD_MANAGER, VOLUME_SNAPSHOT, rfc3339, type BackupDeps, type VolumeSnapshotObject } from './common.ts';

const RESTORE = { apiVersion: 'qdrant.io/v1', kind: 'QdrantClusterRestore' } as const;
const CLAIM = { apiVersion: 'v1', kind: 'PersistentVolumeClaim' } as const;
/** On a cluster being restored in place: the restore's uid and the cluster's suspend before it. */
export const ANNOTATION_RESTORE_IN_PROGRESS = 'qhc.dev/restore-in-progress';
const ANNOTATION_SUSPEND_BEFORE = 'qhc.dev/suspend-before-restore';
const POLL_MS = 2_000;

type Claim = KubeObject & { spec: { dataSource?: { name?: string } }; metadata: { annotations?: Record<string, string> } };
type ClusterObject = KubeObject & QdrantCluster;
interface Volume {
  node: number;
  name: string;
  restoreSize?: string;
  storageClass?: string;
}
class RestoreFailure extends Error {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.reason = reason;
  }
}

/**
 * One pass over a QdrantClusterRestore. Checks first (the snapshot exists and succeeded, its
 * VolumeSnapshots are ready, same namespace, node count, size and StorageClass fit), then:
 * - into a new cluster: each node's database claim is created with its VolumeSnapshot as
 *   dataSource, then the QdrantCluster (the backed-up spec under the new id), which starts on
 *   them;
 * - in place: the cluster is suspended (pods go, volumes stay), its database claims are
 *   replaced by claims from the snapshots, and it is resumed.
 * Succeeded once the cluster is Healthy. Every step is re-derived from what exists (claims
 * marked with this restore's uid), so a pass cut off anywhere is finished by the next.
 */
export async function reconcileRestore(deps: BackupDeps, key: string): Promise<ReconcileResult> {
  const { client } = deps;
  const { namespace = 'default', name } = splitKey(key);
  const object = await client.get({ ...RESTORE, namespace, name });
  if (!object || object.metadata.deletionTimestamp) return;
  const status = (object as { status?: QdrantClusterRestoreStatus }).status ?? {};
  if (status.phase === 'Succeeded' || status.phase === 'Failed') return;
  const now = deps.now();
  const parsed = safeValidateQdrantClusterRestore(object);
  if (!parsed.success) return finish(deps, object, status, 'Failed', 'InvalidSpec', parsed.error.message, now);
  const restore = parsed.data;
  const uid = object.metadata.uid!;
  const started = { ...status, startedAt: status.startedAt ?? rfc3339(now) };
  try {
    const volumes = await readSnapshot(client, restore);
    if (!volumes)
      return await progress(deps, object, started, 'Pending', 'SnapshotRunning', `snapshot ${restore.spec.source.snapshotName} is still being taken`);
    return restore.spec.destination.create
      ? await restoreIntoNew(deps, object, restore, started, volumes, uid, now)
      : await restoreInPlace(deps, object, restore, started, volumes, uid, now);
  } catch (error) {
    if (!(error instanceof RestoreFailure)) throw error;
    return finish(deps, object, started, 'Failed', error.reason, error.message, now);
  }
}

/** The snapshot's volumes by node, or undefined while it is still being taken. */
async function readSnapshot(
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
async function checkFits(client: KubeClient, settings: OperatorSettings, cluster: QdrantCluster, volumes: Volume[]): Promise<void> {
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

const idOf = (clusterName: string) => (clusterName.startsWith('qdrant-') ? clusterName.slice('qdrant-'.length) : clusterName);
const claimName = (id: string, node: number) => `${STORAGE_VOLUME}-qdrant-${id}-${node}`;

async function restoreIntoNew(
  deps: BackupDeps,
  object: KubeObject,
  restore: QdrantClusterRestore,
  status: QdrantClusterRestoreStatus,
  source: { volumes: Volume[]; snapshot: QdrantClusterSnapshot & KubeObject },
  uid: string,
  now: number,
): Promise<ReconcileResult> {
  const { client } = deps;
  const { name, namespace } = restore.spec.destination;
  // A QdrantCluster is named qdrant-<spec.id>; a new one named otherwise would be refused by its
  // own schema, and the control plane (which names clusters by id) could not adopt it.
  if (!name.startsWith('qdrant-') || name.length === 'qdrant-'.length) {
    throw new RestoreFailure(
      'InvalidDestinationName',
      `destination.name ${JSON.stringify(name)} must be qdrant-<id>: a new QdrantCluster is named after its id`,
    );
  }
  const existing = await client.get<ClusterObject>({ ...QDRANT_CLUSTER, namespace, name });
  if (existing && existing.metadata.annotations?.[ANNOTATION_RESTORE_IN_PROGRESS] !== uid) {
    throw new RestoreFailure(
      'DestinationExists',
      `QdrantCluster ${namespace}/${name} already exists; restore into it in place (destination.create: false) or choose another name`,
    );
  }
  if (existing) return awaitHealthy(deps, object, status, existing, now);
  // Made once already and since deleted (through the control plane, or by hand): not made again.
  if (status.step === 'Creating')
    throw new RestoreFailure('DestinationDeleted', `QdrantCluster ${namespace}/${name} was deleted before it became Healthy; it is not created again`);
  const specText = source.snapshot.metadata.annotations?.[ANNOTATION_CLUSTER_SPEC];
  if (!specText)
    throw new RestoreFailure(
      'SnapshotWithoutClusterSpec',
      `QdrantClusterSnapshot ${source.snapshot.metadata.name} does not record its cluster's spec (annotation ${ANNOTATION_CLUSTER_SPEC}); restore it in place`,
    );
  const id = idOf(name);
  const customer = source.snapshot.metadata.labels?.[LABEL_CUSTOMER_ID] ?? 'restored';
  const cluster = {
    ...QDRANT_CLUSTER,
    metadata: {
      name,
      namespace,
      labels: { [LABEL_CLUSTER_ID]: id, [LABEL_CUSTOMER_ID]: customer },
      annotations: { [ANNOTATION_RESTORE_IN_PROGRESS]: uid, ...originAnnotations(object, source.snapshot) },
    },
    spec: { ...(JSON.parse(specText) as QdrantCluster['spec']), id, size: source.volumes.length },
  } as ClusterObject;
  await checkFits(client, deps.settings(), cluster, source.volumes);
  const claims = await ensureClaims(deps, cluster, source.volumes, uid);
  await client.apply(cluster);
  await deps.recorder.record(object, {
    type: 'Normal',
    reason: 'RestoreStarted',
    note: `creating cluster ${name} from ${source.volumes.length} volume snapshot(s) of ${source.snapshot.metadata.name}`,
    action: 'Restore',
  });
  return progress(
    deps,
    object,
    { ...status, restoredClaims: claims, step: 'Creating' },
    'Running',
    'Creating',
    `cluster ${name} created from the snapshot; waiting for it to be Healthy`,
  );
}

/** Where the new cluster came from, kept on it for good: the agent reports it, the control plane adopts by it. */
function originAnnotations(restore: KubeObject, snapshot: QdrantClusterSnapshot & KubeObject): Record<string, string> {
  const source = snapshot.spec['cluster-id'];
  return {
    [ANNOTATION_ORIGIN_RESTORE]: restore.metadata.name!,
    [ANNOTATION_ORIGIN_SNAPSHOT]: snapshot.metadata.name!,
    ...(source ? { [ANNOTATION_ORIGIN_CLUSTER]: source } : {}),
  };
}

async function restoreInPlace(
  deps: BackupDeps,
  object: KubeObject,
  restore: QdrantClusterRestore,
  status: QdrantClusterRestoreStatus,
  source: { volumes: Volume[]; snapshot: QdrantClusterSnapshot & KubeObject },
  uid: string,
  now: number,
): Promise<ReconcileResult> {
  const { client } = deps;
  const { name, namespace } = restore.spec.destination;
  const cluster = await client.get<ClusterObject>({ ...QDRANT_CLUSTER, namespace, name });
  if (!cluster) throw new RestoreFailure('DestinationNotFound', `QdrantCluster ${namespace}/${name} does not exist; set destination.create: true to make it`);
  const ref = { ...QDRANT_CLUSTER, namespace, name };
  const claims = source.volumes.map((v) => claimName(cluster.spec.id, v.node));
  const live = new Map(
    (await client.list<Claim>(CLAIM, { namespace, labelSelector: `${LABEL_CLUSTER_ID}=${cluster.spec.id}` })).items.map((c) => [c.metadata.name!, c]),
  );
  const restored = claims.every((c) => live.get(c)?.metadata.annotations?.[ANNOTATION_RESTORED_BY] === uid && !live.get(c)?.metadata.deletionTimestamp);

  if (restored) {
    if (cluster.metadata.annotations?.[ANNOTATION_RESTORE_IN_PROGRESS] === uid) {
      const before = cluster.metadata.annotations[ANNOTATION_SUSPEND_BEFORE] === 'true';
      await client.patch(ref, {
        metadata: { annotations: { [ANNOTATION_RESTORE_IN_PROGRESS]: null, [ANNOTATION_SUSPEND_BEFORE]: null } },
        spec: { suspend: before },
      });
      return progress(
        deps,
        object,
        { ...status, restoredClaims: claims, step: 'Resuming' },
        'Running',
        'Resuming',
        `volumes replaced; resuming cluster ${name}`,
      );
    }
    return awaitHealthy(deps, object, status, cluster, now);
  }

  if (cluster.metadata.annotations?.[ANNOTATION_RESTORE_IN_PROGRESS] !== uid) {
    await checkFits(client, deps.settings(), cluster, source.volumes);
    await client.patch(ref, {
      metadata: { annotations: { [ANNOTATION_RESTORE_IN_PROGRESS]: uid, [ANNOTATION_SUSPEND_BEFORE]: String(cluster.spec.suspend === true) } },
      spec: { suspend: true },
    });
    await deps.recorder.record(object, {
      type: 'Normal',
      reason: 'RestoreStarted',
      note: `suspending cluster ${name} to replace its ${claims.length} database volume(s) from ${source.snapshot.metadata.name}`,
      action: 'Restore',
    });
    return progress(deps, object, { ...status, step: 'Suspending' }, 'Running', 'Suspending', `suspending cluster ${name}`);
  }
  if (cluster.status?.phase !== 'Suspended')
    return progress(
      deps,
      object,
      { ...status, step: 'Suspending' },
      'Running',
      'Suspending',
      `waiting for cluster ${name} to be Suspended (now ${cluster.status?.phase ?? 'unknown'})`,
    );
  // Suspended: no pod uses the volumes. The old claims go, then claims from the snapshots.
  let waiting = false;
  for (const c of claims) {
    const claim = live.get(c);
    if (claim && claim.metadata.annotations?.[ANNOTATION_RESTORED_BY] !== uid) {
      if (!claim.metadata.deletionTimestamp) await client.delete({ ...CLAIM, namespace, name: c }, { preconditions: { uid: claim.metadata.uid } });
      waiting = true;
    }
  }
  if (waiting)
    return progress(
      deps,
      object,
      { ...status, step: 'ReplacingVolumes' },
      'Running',
      'ReplacingVolumes',
      `removing the current database volumes of cluster ${name}`,
    );
  const made = await ensureClaims(deps, cluster, source.volumes, uid);
  return progress(
    deps,
    object,
    { ...status, restoredClaims: made, step: 'ReplacingVolumes' },
    'Running',
    'ReplacingVolumes',
    `created ${made.length} volume(s) from the snapshot`,
  );
}

async function ensureClaims(deps: BackupDeps, cluster: QdrantCluster, volumes: Volume[], uid: string): Promise<string[]> {
  const labels = clusterLabels(cluster, 'database');
  const names: string[] = [];
  for (const v of volumes) {
    const claim = buildRestoredClaim({
      namespace: cluster.metadata.namespace!,
      clusterId: cluster.spec.id,
      node: v.node,
      volumeSnapshotName: v.name,
      storage: resolveCluster(cluster, deps.settings()).storageSize,
      storageClassName: resolveCluster(cluster, deps.settings()).dbStorageClass,
      restoreUid: uid,
      labels,
    });
    await deps.client.apply(claim);
    names.push(claim.metadata.name);
  }
  return names;
}

async function awaitHealthy(
  deps: BackupDeps,
  object: KubeObject,
  status: QdrantClusterRestoreStatus,
  cluster: ClusterObject,
  now: number,
): Promise<ReconcileResult> {
  if (cluster.status?.phase === 'Healthy' && cluster.status.observedGeneration === cluster.metadata.generation) {
    if (cluster.metadata.annotations?.[ANNOTATION_RESTORE_IN_PROGRESS]) {
      await deps.client.patch(
        { ...QDRANT_CLUSTER, namespace: cluster.metadata.namespace, name: cluster.metadata.name! },
        { metadata: { annotations: { [ANNOTATION_RESTORE_IN_PROGRESS]: null } } },
      );
    }
    return finish(
      deps,
      object,
      status,
      'Succeeded',
      'Restored',
      `cluster ${cluster.metadata.name} is Healthy on ${status.restoredClaims?.length ?? cluster.spec.size} restored volume(s)`,
      now,
    );
  }
  return progress(
    deps,
    object,
    status,
    'Running',
    status.step ?? 'Creating',
    `waiting for cluster ${cluster.metadata.name} to be Healthy (now ${cluster.status?.phase ?? 'unknown'})`,
  );
}

async function writeStatus(deps: BackupDeps, object: KubeObject, status: QdrantClusterRestoreStatus): Promise<void> {
  const full = { ...status, observedGeneration: (object.metadata.generation as number | undefined) ?? 0 };
  await deps.client.applyStatus({ ...RESTORE, metadata: { name: object.metadata.name, namespace: object.metadata.namespace }, status: full } as KubeObject, {
    fieldManager: STATUS_FIELD_MANAGER,
  });
}

async function progress(
  deps: BackupDeps,
  object: KubeObject,
  status: QdrantClusterRestoreStatus,
  phase: RestorePhase,
  reason: string,
  message: string,
): Promise<ReconcileResult> {
  const previous = (object as { status?: QdrantClusterRestoreStatus }).status;
  await writeStatus(deps, object, { ...status, phase, reason, message });
  if (previous?.phase !== phase || previous.reason !== reason) await deps.recorder.record(object, { type: 'Normal', reason, note: message, action: 'Restore' });
  return { requeueAfterMs: POLL_MS };
}

async function finish(
  deps: BackupDeps,
  object: KubeObject,
  status: QdrantClusterRestoreStatus,
  phase: RestorePhase,
  reason: string,
  message: string,
  now: number,
): Promise<ReconcileResult> {
  await writeStatus(deps, object, { ...status, phase, reason, message, completedAt: rfc3339(now) });
  deps.metrics.restores.inc({ result: phase, reason });
  await deps.recorder.record(object, {
    type: phase === 'Succeeded' ? 'Normal' : 'Warning',
    reason: phase === 'Succeeded' ? 'RestoreSucceeded' : reason,
    note: message,
    action: 'Restore',
  });
  deps.logger.info('restore finished', { namespace: object.metadata.namespace, name: object.metadata.name, phase, reason, message });
  return undefined;
}
