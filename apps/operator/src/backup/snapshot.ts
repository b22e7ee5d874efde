import {
  LABEL_CLUSTER_ID,
  safeValidateQdrantClusterSnapshot,
  statefulSetName,
  type QdrantCluster,
  type QdrantClusterSnapshot,
  type QdrantClusterSnapshotStatus,
  type SnapshotPhase,
} from '@qhc/schemas';
import { ANNOTATION_CLUSTER_SPEC, STORAGE_VOLUME, buildVolumeSnapshot } from '@qhc/manifests';
import { splitKey, type KubeObject, type ReconcileResult } from '@qhc/kube';
import { connectQdrant, readTopology } from '@qhc/qdrant';
import {
  CLUSTER_SNAPSHOT,
  STATUS_FIELD_MANAGER,
  VOLUME_SNAPSHOT,
  findCluster,
  goDuration,
  ownedBy,
  rfc3339,
  type BackupDeps,
  type VolumeSnapshotObject,
} from './common.ts';

type Claim = KubeObject & { spec: { storageClassName?: string; resources?: { requests?: { storage?: string } } }; status?: { phase?: string } };

const FINISHED: ReadonlySet<string> = new Set<SnapshotPhase>(['Succeeded', 'Failed', 'Skipped']);
const POLL_MS = 2_000;

/**
 * One pass over a QdrantClusterSnapshot. The backup is one VolumeSnapshot per node's
 * database volume, all created in one burst while the cluster is settled (Healthy or
 * Suspended, no scale-down, restart copies or shard transfers in flight), sharing one
 * backup point; then it waits for all of them to be ready, up to backupTimeout. A finished
 * backup is deleted with its VolumeSnapshots when its retention ends (Failed and Skipped
 * ones after backupHistoryRetentionDays).
 */
export async function reconcileSnapshot(deps: BackupDeps, key: string): Promise<ReconcileResult> {
  const { client } = deps;
  const { namespace = 'default', name } = splitKey(key);
  const ref = { ...CLUSTER_SNAPSHOT, namespace, name };
  const object = await client.get(ref);
  if (!object || object.metadata.deletionTimestamp) return;
  const log = deps.logger.with({ namespace, name });
  const settings = deps.settings().settings;
  const now = deps.now();

  const parsed = safeValidateQdrantClusterSnapshot(object);
  if (!parsed.success) {
    if ((object as { status?: { phase?: string } }).status?.phase !== 'Failed')
      await finish(deps, object, {}, 'Failed', 'InvalidSpec', parsed.error.message, now);
    return;
  }
  const snapshot = { ...parsed.data, metadata: { ...parsed.data.metadata, uid: object.metadata.uid } } as QdrantClusterSnapshot & {
    metadata: { uid?: string };
  };
  const status = snapshot.status ?? {};

  if (status.phase && FINISHED.has(status.phase)) {
    const expiry =
      status.phase === 'Succeeded'
        ? status.retainUntil
          ? Date.parse(status.retainUntil)
          : undefined
        : Date.parse(status.completedAt ?? rfc3339(now)) + settings.backupHistoryRetentionDays * 86_400_000;
    if (expiry === undefined) return;
    if (now >= expiry) {
      // The VolumeSnapshots (and through them the storage's snapshots) first, by hand: the
      // garbage collector would get there too, but only once it has discovered their kind.
      const owned = ownedBy(
        (await client.list<VolumeSnapshotObject>(VOLUME_SNAPSHOT, { namespace, labelSelector: `${LABEL_CLUSTER_ID}=${snapshot.spec['cluster-id']}` })).items,
        object.metadata.uid,
      );
      await discard(deps, owned);
      await client.delete(ref, { preconditions: { uid: object.metadata.uid } });
      deps.metrics.backupsExpired.inc();
      log.info('backup expired and deleted', { phase: status.phase, until: rfc3339(expiry) });
      return;
    }
    return { requeueAfterMs: Math.min(expiry - now, 3_600_000) };
  }

  const clusterId = snapshot.spec['cluster-id'];
  const cluster = await findCluster(client, namespace, clusterId);
  if (!cluster) return finish(deps, object, status, 'Failed', 'ClusterNotFound', `no QdrantCluster with spec.id ${clusterId} in namespace ${namespace}`, now);
  const startedAt = status.startedAt ? Date.parse(status.startedAt) : now;
  const timeoutMs = settings.backupTimeout * 1000;
  const existing = ownedBy(
    (await client.list<VolumeSnapshotObject>(VOLUME_SNAPSHOT, { namespace, labelSelector: `${LABEL_CLUSTER_ID}=${clusterId}` })).items,
    object.metadata.uid,
  );

  let planned = status.volumeSnapshots ?? [];
  if (planned.length === 0) {
    const blocker = whyNotNow(cluster);
    if (blocker) return finish(deps, object, status, 'Skipped', 'ClusterNotSettled', `not taken: ${blocker}`, now);
    const transfers = await transfersInFlight(deps, cluster);
    if (transfers) {
      if (now - startedAt >= timeoutMs)
        return finish(
          deps,
          object,
          { ...status, startedAt: rfc3339(startedAt) },
          'Failed',
          'BackupTimeout',
          `shard transfers were still running after backupTimeout (${settings.backupTimeout}s): ${transfers}`,
          now,
        );
      await writeStatus(deps, object, {
        ...status,
        phase: 'Running',
        startedAt: rfc3339(startedAt),
        message: `waiting for shard transfers to end: ${transfers}`,
      });
      return { requeueAfterMs: POLL_MS };
    }
    const className = cluster.spec.storage?.volumeSnapshotClassName ?? settings.storage.snapshot_class;
    if (!className)
      return finish(
        deps,
        object,
        status,
        'Failed',
        'NoSnapshotClass',
        'neither the cluster (spec.volumeSnapshotClassName) nor the operator settings (storage.snapshot_class) name a VolumeSnapshotClass',
        now,
      );
    const snapshotClass = await client.get({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', name: className }).catch(() => undefined);
    if (!snapshotClass)
      return finish(
        deps,
        object,
        status,
        'Failed',
        'SnapshotClassNotFound',
        `VolumeSnapshotClass ${className} does not exist (is a CSI snapshotter installed?)`,
        now,
      );
    const claims = await databaseClaims(deps, cluster);
    if (claims.length === 0) return finish(deps, object, status, 'Skipped', 'NoVolumes', `cluster ${clusterId} has no bound database volumes`, now);

    const point = rfc3339(now);
    const volumeSnapshots = claims.map((claim) =>
      buildVolumeSnapshot({
        snapshot,
        claim: {
          name: claim.metadata.name!,
          node: claim.node,
          storageClassName: claim.spec.storageClassName,
          storage: claim.spec.resources?.requests?.storage,
        },
        volumeSnapshotClassName: className,
        point,
      }),
    );
    planned = volumeSnapshots.map((vs) => ({
      volumeSnapshotName: vs.metadata.name,
      volumeName: (vs.spec as { source: { persistentVolumeClaimName: string } }).source.persistentVolumeClaimName,
      readyToUse: false,
    }));
    // The plan and the cluster's spec first: a pass cut off after this creates what is missing.
    await client.patch(ref, { metadata: { annotations: { [ANNOTATION_CLUSTER_SPEC]: JSON.stringify({ ...cluster.spec, size: claims.length }) } } });
    await writeStatus(deps, object, {
      ...status,
      phase: 'Running',
      startedAt: point,
      volumeSnapshots: planned,
      message: `taking ${planned.length} volume snapshot(s) of cluster ${clusterId}`,
    });
    await deps.recorder.record(object, {
      type: 'Normal',
      reason: 'BackupStarted',
      note: `${planned.length} volume snapshot(s) of cluster ${clusterId} at ${point}`,
      action: 'Backup',
    });
    // One burst, so the volumes are captured as close together as the storage allows.
    await Promise.all(volumeSnapshots.map((vs) => client.apply(vs)));
    log.info('volume snapshots created', { cluster: clusterId, count: planned.length, point });
    return { requeueAfterMs: POLL_MS };
  }

  // Taking: a planned snapshot that is not there (a cut-off pass) is made now, once.
  const byName = new Map(existing.map((vs) => [vs.metadata.name!, vs]));
  const observed = planned.map((p) => {
    const vs = byName.get(p.volumeSnapshotName);
    return {
      volumeSnapshotName: p.volumeSnapshotName,
      volumeName: p.volumeName,
      readyToUse: vs?.status?.readyToUse === true,
      ...(vs?.status?.boundVolumeSnapshotContentName ? { snapshotHandle: vs.status.boundVolumeSnapshotContentName } : {}),
      ...(vs?.status?.error?.message ? { error: { message: vs.status.error.message, ...(vs.status.error.time ? { time: vs.status.error.time } : {}) } } : {}),
    };
  });
  const missing = planned.filter((p) => !byName.has(p.volumeSnapshotName));
  if (missing.length > 0 && now - startedAt < 30_000) {
    const className = cluster.spec.storage?.volumeSnapshotClassName ?? settings.storage.snapshot_class ?? '';
    const claims = await databaseClaims(deps, cluster);
    for (const m of missing) {
      const claim = claims.find((c) => c.metadata.name === m.volumeName);
      if (claim)
        await client.apply(
          buildVolumeSnapshot({
            snapshot,
            claim: {
              name: claim.metadata.name!,
              node: claim.node,
              storageClassName: claim.spec.storageClassName,
              storage: claim.spec.resources?.requests?.storage,
            },
            volumeSnapshotClassName: className,
            point: status.startedAt ?? rfc3339(now),
          }),
        );
    }
    return { requeueAfterMs: POLL_MS };
  }
  const failed = observed.filter((o) => o.error);
  if (missing.length > 0 || failed.length > 0) {
    const why = [
      ...missing.map((m) => `${m.volumeSnapshotName} (${m.volumeName}): the VolumeSnapshot is gone`),
      ...failed.map((f) => `${f.volumeSnapshotName} (${f.volumeName}): ${f.error!.message}`),
    ].join('; ');
    await discard(deps, existing);
    return finish(
      deps,
      object,
      { ...status, volumeSnapshots: observed },
      'Failed',
      missing.length > 0 ? 'VolumeSnapshotMissing' : 'VolumeSnapshotFailed',
      why,
      now,
    );
  }
  if (observed.every((o) => o.readyToUse)) {
    return finish(
      deps,
      object,
      { ...status, volumeSnapshots: observed },
      'Succeeded',
      'Completed',
      `${observed.length} volume snapshot(s) ready`,
      now,
      snapshot.spec.retention,
    );
  }
  if (now - startedAt >= timeoutMs) {
    const waiting = observed.filter((o) => !o.readyToUse).map((o) => o.volumeSnapshotName);
    await discard(deps, existing);
    return finish(
      deps,
      object,
      { ...status, volumeSnapshots: observed },
      'Failed',
      'BackupTimeout',
      `${waiting.length} of ${observed.length} volume snapshot(s) not ready after backupTimeout (${settings.backupTimeout}s): ${waiting.join(', ')}`,
      now,
    );
  }
  await writeStatus(deps, object, {
    ...status,
    phase: 'Running',
    volumeSnapshots: observed,
    message: `${observed.filter((o) => o.readyToUse).length} of ${observed.length} volume snapshot(s) ready`,
  });
  return { requeueAfterMs: Math.min(POLL_MS, startedAt + timeoutMs - now + 50) };
}

/** Why a backup must not be taken now, if it must not. */
function whyNotNow(cluster: QdrantCluster): string | undefined {
  const status = cluster.status;
  if (cluster.spec.pauses?.length) return 'the cluster is paused';
  if (status?.deleteInProgressNodeIndexes?.length) return `node(s) ${status.deleteInProgressNodeIndexes.join(', ')} are being removed`;
  if (status?.temporaryReplicas?.length) return 'a restart with on-demand replication is in progress';
  if (status?.phase !== 'Healthy' && status?.phase !== 'Suspended') return `the cluster is ${status?.phase ?? 'not yet created'}`;
  return undefined;
}

/** Shard transfers under way, as Qdrant reports them; a cluster that cannot be asked has none we can wait for. */
async function transfersInFlight(deps: BackupDeps, cluster: QdrantCluster): Promise<string | undefined> {
  if (cluster.status?.phase !== 'Healthy') return undefined;
  try {
    const topology = await readTopology(connectQdrant(await deps.qdrant(cluster, 0), { timeoutMs: 5_000 }));
    const running = topology.collections.flatMap((c) => c.transfers.map((t) => `${c.name}/${t.shardId} ${t.from}→${t.to}`));
    return running.length > 0 ? running.join(', ') : undefined;
  } catch (error) {
    deps.logger.warn('could not ask Qdrant about shard transfers; taking the backup', {
      namespace: cluster.metadata.namespace,
      name: cluster.metadata.name,
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}

async function databaseClaims(deps: BackupDeps, cluster: QdrantCluster): Promise<Array<Claim & { node: number }>> {
  const prefix = `${STORAGE_VOLUME}-${statefulSetName(cluster.spec.id)}-`;
  const claims = await deps.client.list<Claim>(
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
    { namespace: cluster.metadata.namespace, labelSelector: `${LABEL_CLUSTER_ID}=${cluster.spec.id}` },
  );
  return claims.items
    .filter(
      (c) =>
        c.metadata.name?.startsWith(prefix) &&
        /^\d+$/.test(c.metadata.name.slice(prefix.length)) &&
        !c.metadata.deletionTimestamp &&
        c.status?.phase === 'Bound',
    )
    .map((c) => ({ ...c, node: Number(c.metadata.name!.slice(prefix.length)) }))
    .filter((c) => c.node < cluster.spec.size)
    .toSorted((a, b) => a.node - b.node);
}

/** A failed backup's snapshots hold no usable whole: they are deleted, the status keeps their names and errors. */
async function discard(deps: BackupDeps, volumeSnapshots: VolumeSnapshotObject[]): Promise<void> {
  for (const vs of volumeSnapshots) await deps.client.delete({ ...VOLUME_SNAPSHOT, namespace: vs.metadata.namespace, name: vs.metadata.name! });
}

async function writeStatus(deps: BackupDeps, object: KubeObject, status: QdrantClusterSnapshotStatus): Promise<void> {
  const full = { ...status, observedGeneration: (object.metadata.generation as number | undefined) ?? 0 };
  await deps.client.applyStatus(
    { ...CLUSTER_SNAPSHOT, metadata: { name: object.metadata.name, namespace: object.metadata.namespace }, status: full } as KubeObject,
    { fieldManager: STATUS_FIELD_MANAGER },
  );
}

async function finish(
  deps: BackupDeps,
  object: KubeObject,
  status: QdrantClusterSnapshotStatus,
  phase: SnapshotPhase,
  reason: string,
  message: string,
  now: number,
  retention?: string,
): Promise<ReconcileResult> {
  const started = status.startedAt ? Date.parse(status.startedAt) : now;
  const retainUntil = retention ? rfc3339(now + Number.parseInt(retention, 10) * 3_600_000) : undefined;
  await writeStatus(deps, object, {
    ...status,
    phase,
    reason,
    message,
    startedAt: rfc3339(started),
    completedAt: rfc3339(now),
    completionTime: goDuration(now - started),
    ...(retainUntil ? { retainUntil } : {}),
  });
  deps.metrics.backups.inc({ result: phase });
  if (phase === 'Succeeded') deps.metrics.backupSeconds.observe({}, (now - started) / 1000);
  await deps.recorder.record(object, {
    type: phase === 'Succeeded' ? 'Normal' : 'Warning',
    reason: phase === 'Succeeded' ? 'BackupSucceeded' : reason,
    note: message,
    action: 'Backup',
  });
  deps.logger.info('backup finished', { namespace: object.metadata.namespace, name: object.metadata.name, phase, reason, message });
  // Come back for the retention.
  return { requeueAfterMs: 1_000 };
}
