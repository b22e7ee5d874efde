import {
  LABEL_CLUSTER_ID,
  statefulSetName,
  type OperatorSettings,
  type QdrantCluster,
  type QdrantClusterSnapshot,
  type QdrantClusterSnapshotStatus,
  type SnapshotPhase,
} from '@qhc/schemas';
import { STORAGE_VOLUME, buildVolumeSnapshot } from '@qhc/manifests';
import type { KubeObject } from '@qhc/kube';
import { connectQdrant, readTopology } from '@qhc/qdrant';
import { requeue, type StepResult } from '../reconcile/steps.ts';
import { CLUSTER_SNAPSHOT, STATUS_FIELD_MANAGER, VOLUME_SNAPSHOT, goDuration, rfc3339, type BackupDeps, type VolumeSnapshotObject } from './common.ts';

type Claim = KubeObject & { spec: { storageClassName?: string; resources?: { requests?: { storage?: string } } }; status?: { phase?: string } };
export type DatabaseClaim = Claim & { node: number };

export const POLL_MS = 2_000;

type Planned = NonNullable<QdrantClusterSnapshotStatus['volumeSnapshots']>;

export interface SnapshotPass {
  readonly deps: BackupDeps;
  readonly ref: { apiVersion: string; kind: string; namespace: string; name: string };
  /** Read once: a reload while the pass runs applies from the next one. */
  readonly settings: OperatorSettings;
  /** One clock reading for the whole pass, taken once the backup is read. */
  now: number;
  object?: KubeObject;
  snapshot?: QdrantClusterSnapshot & { metadata: { uid?: string } };
  status: QdrantClusterSnapshotStatus;
  cluster?: QdrantCluster;
  startedAt: number;
  timeoutMs: number;
  /** The VolumeSnapshots this backup owns now. */
  existing: VolumeSnapshotObject[];
  /** The VolumeSnapshots the backup is made of, once planned (status.volumeSnapshots). */
  planned: Planned;
  className?: string;
  observed?: Planned;
  missing?: Planned;
}

export function loaded(pass: SnapshotPass): { object: KubeObject; snapshot: NonNullable<SnapshotPass['snapshot']>; cluster: QdrantCluster } {
  if (!pass.object || !pass.snapshot || !pass.cluster)
    throw new Error(`backup ${pass.ref.namespace}/${pass.ref.name}: a step ran before its cluster was found`);
  return { object: pass.object, snapshot: pass.snapshot, cluster: pass.cluster };
}

export const finish = (pass: SnapshotPass, end: Finish) => finishBackup(pass.deps, pass.object!, pass.now, end);

/** Why a backup must not be taken now, if it must not. */
export function whyNotNow(cluster: QdrantCluster): string | undefined {
  const status = cluster.status;
  if (cluster.spec.pauses?.length) return 'the cluster is paused';
  if (status?.deleteInProgressNodeIndexes?.length) return `node(s) ${status.deleteInProgressNodeIndexes.join(', ')} are being removed`;
  if (status?.temporaryReplicas?.length) return 'a restart with on-demand replication is in progress';
  if (status?.phase !== 'Healthy' && status?.phase !== 'Suspended') return `the cluster is ${status?.phase ?? 'not yet created'}`;
  return undefined;
}

/** Shard transfers under way, as Qdrant reports them; a cluster that cannot be asked has none we can wait for. */
export async function transfersInFlight(deps: BackupDeps, cluster: QdrantCluster): Promise<string | undefined> {
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

export async function databaseClaims(deps: BackupDeps, cluster: QdrantCluster): Promise<DatabaseClaim[]> {
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

export function volumeSnapshotOf(snapshot: QdrantClusterSnapshot & { metadata: { uid?: string } }, claim: DatabaseClaim, className: string, point: string) {
  return buildVolumeSnapshot({
    snapshot,
    claim: { name: claim.metadata.name!, node: claim.node, storageClassName: claim.spec.storageClassName, storage: claim.spec.resources?.requests?.storage },
    volumeSnapshotClassName: className,
    point,
  });
}

/** A failed backup's snapshots hold no usable whole: they are deleted, the status keeps their names and errors. */
export async function discard(deps: BackupDeps, volumeSnapshots: VolumeSnapshotObject[]): Promise<void> {
  for (const vs of volumeSnapshots) await deps.client.delete({ ...VOLUME_SNAPSHOT, namespace: vs.metadata.namespace, name: vs.metadata.name! });
}

export async function writeSnapshotStatus(deps: BackupDeps, object: KubeObject, status: QdrantClusterSnapshotStatus): Promise<void> {
  const full = { ...status, observedGeneration: (object.metadata.generation as number | undefined) ?? 0 };
  await deps.client.applyStatus(
    { ...CLUSTER_SNAPSHOT, metadata: { name: object.metadata.name, namespace: object.metadata.namespace }, status: full } as KubeObject,
    { fieldManager: STATUS_FIELD_MANAGER },
  );
}

export interface Finish {
  status: QdrantClusterSnapshotStatus;
  phase: SnapshotPhase;
  reason: string;
  message: string;
  retention?: string;
}

/** The backup's end: status, metrics, event; the pass comes back for the retention. */
export async function finishBackup(deps: BackupDeps, object: KubeObject, now: number, end: Finish): Promise<StepResult> {
  const { status, phase, reason, message, retention } = end;
  const started = status.startedAt ? Date.parse(status.startedAt) : now;
  const retainUntil = retention ? rfc3339(now + Number.parseInt(retention, 10) * 3_600_000) : undefined;
  await writeSnapshotStatus(deps, object, {
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
  deps.recorder.record(object, {
    type: phase === 'Succeeded' ? 'Normal' : 'Warning',
    reason: phase === 'Succeeded' ? 'BackupSucceeded' : reason,
    note: message,
    action: 'Backup',
  });
  deps.logger.info('backup finished', { namespace: object.metadata.namespace, name: object.metadata.name, phase, reason, message });
  return requeue(1_000, 'the retention of a finished backup');
}
