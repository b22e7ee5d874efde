import { LABEL_CLUSTER_ID, type QdrantClusterRestoreStatus } from '@qhc/schemas';
import { ANNOTATION_RESTORED_BY } from '@qhc/manifests';
import { proceed, step, type StepResult } from '../reconcile/steps.ts';
import { databaseClaimNameOf } from '../reconcile/volumes.ts';
import { QDRANT_CLUSTER } from './common.ts';
import { ANNOTATION_RESTORE_IN_PROGRESS, ANNOTATION_SUSPEND_BEFORE, loaded, type Claim, type ClusterObject, type RestorePass } from './restore-pass.ts';
import { RestoreFailure, checkFits, ensureClaims } from './restore-checks.ts';
import { finish, progress } from './restore-status.ts';

// A restore in place: the cluster is suspended (pods go, volumes stay), its database claims
// are replaced by claims from the snapshots, and it is resumed. Each step reads where the
// restore is from what exists: the annotations on the cluster, the claims marked with this
// restore's uid.

const CLAIM = { apiVersion: 'v1', kind: 'PersistentVolumeClaim' } as const;

function target(pass: RestorePass): ClusterObject {
  if (!pass.cluster) throw new Error(`restore ${pass.ref.namespace}/${pass.ref.name}: a step ran before its cluster was read`);
  return pass.cluster;
}

const restoredBy = (pass: RestorePass) =>
  pass.claims.every((c) => pass.live.get(c)?.metadata.annotations?.[ANNOTATION_RESTORED_BY] === pass.uid && !pass.live.get(c)?.metadata.deletionTimestamp);
const inProgress = (pass: RestorePass) => target(pass).metadata.annotations?.[ANNOTATION_RESTORE_IN_PROGRESS] === pass.uid;
const clusterRef = (cluster: ClusterObject) => ({ ...QDRANT_CLUSTER, namespace: cluster.metadata.namespace, name: cluster.metadata.name! });

export const readDestination = step<RestorePass>('readDestination', async (pass) => {
  const { restore, source } = loaded(pass);
  const { client } = pass.deps;
  const { name, namespace } = restore.spec.destination;
  const cluster = await client.get<ClusterObject>({ ...QDRANT_CLUSTER, namespace, name });
  if (!cluster) throw new RestoreFailure('DestinationNotFound', `QdrantCluster ${namespace}/${name} does not exist; set destination.create: true to make it`);
  pass.cluster = cluster;
  pass.claims = source.volumes.map((v) => databaseClaimNameOf(cluster.spec.id, v.node));
  const claims = await client.list<Claim>(CLAIM, { namespace, labelSelector: `${LABEL_CLUSTER_ID}=${cluster.spec.id}` });
  pass.live = new Map(claims.items.map((c) => [c.metadata.name!, c]));
  return proceed;
});

/** Every claim restored: the cluster's suspend goes back to what it was, then it must become Healthy. */
export const resumeRestored = step<RestorePass>('resumeRestored', async (pass) => {
  const { object } = loaded(pass);
  const cluster = target(pass);
  if (!restoredBy(pass)) return proceed;
  if (!inProgress(pass)) return awaitHealthy(pass, pass.started, cluster);
  const before = cluster.metadata.annotations?.[ANNOTATION_SUSPEND_BEFORE] === 'true';
  await pass.deps.client.patch(clusterRef(cluster), {
    metadata: { annotations: { [ANNOTATION_RESTORE_IN_PROGRESS]: null, [ANNOTATION_SUSPEND_BEFORE]: null } },
    spec: { suspend: before },
  });
  const status = { ...pass.started, restoredClaims: pass.claims, step: 'Resuming' as const };
  return progress(pass.deps, object, status, 'Running', 'Resuming', `volumes replaced; resuming cluster ${cluster.metadata.name}`);
});

/** Marked with this restore (and the suspend it had), then suspended: the checks run before anything changes. */
export const suspendDestination = step<RestorePass>('suspendDestination', async (pass) => {
  const { object, source } = loaded(pass);
  const cluster = target(pass);
  if (inProgress(pass)) return proceed;
  await checkFits(pass.deps.client, pass.settings, cluster, source.volumes);
  await pass.deps.client.patch(clusterRef(cluster), {
    metadata: { annotations: { [ANNOTATION_RESTORE_IN_PROGRESS]: pass.uid, [ANNOTATION_SUSPEND_BEFORE]: String(cluster.spec.suspend === true) } },
    spec: { suspend: true },
  });
  const note = `suspending cluster ${cluster.metadata.name} to replace its ${pass.claims.length} database volume(s) from ${source.snapshot.metadata.name}`;
  pass.deps.recorder.record(object, { type: 'Normal', reason: 'RestoreStarted', note, action: 'Restore' });
  return progress(pass.deps, object, { ...pass.started, step: 'Suspending' }, 'Running', 'Suspending', `suspending cluster ${cluster.metadata.name}`);
});

export const awaitSuspended = step<RestorePass>('awaitSuspended', async (pass) => {
  const { object } = loaded(pass);
  const cluster = target(pass);
  if (cluster.status?.phase === 'Suspended') return proceed;
  const message = `waiting for cluster ${cluster.metadata.name} to be Suspended (now ${cluster.status?.phase ?? 'unknown'})`;
  return progress(pass.deps, object, { ...pass.started, step: 'Suspending' }, 'Running', 'Suspending', message);
});

/** Suspended: no pod uses the volumes. The old claims go, then claims from the snapshots. */
export const replaceVolumes = step<RestorePass>('replaceVolumes', async (pass) => {
  const { object, source } = loaded(pass);
  const cluster = target(pass);
  const { deps, uid } = pass;
  const namespace = cluster.metadata.namespace;
  let waiting = false;
  for (const c of pass.claims) {
    const claim = pass.live.get(c);
    if (claim && claim.metadata.annotations?.[ANNOTATION_RESTORED_BY] !== uid) {
      if (!claim.metadata.deletionTimestamp) await deps.client.delete({ ...CLAIM, namespace, name: c }, { preconditions: { uid: claim.metadata.uid } });
      waiting = true;
    }
  }
  const replacing = { ...pass.started, step: 'ReplacingVolumes' as const };
  if (waiting)
    return progress(deps, object, replacing, 'Running', 'ReplacingVolumes', `removing the current database volumes of cluster ${cluster.metadata.name}`);
  const made = await ensureClaims(deps.client, pass.settings, cluster, source.volumes, uid);
  return progress(deps, object, { ...replacing, restoredClaims: made }, 'Running', 'ReplacingVolumes', `created ${made.length} volume(s) from the snapshot`);
});

/** Succeeded once the cluster is Healthy at its current generation; the restore's mark comes off first. */
export async function awaitHealthy(pass: RestorePass, status: QdrantClusterRestoreStatus, cluster: ClusterObject): Promise<StepResult> {
  const { deps } = pass;
  const object = pass.object!;
  if (cluster.status?.phase === 'Healthy' && cluster.status.observedGeneration === cluster.metadata.generation) {
    if (cluster.metadata.annotations?.[ANNOTATION_RESTORE_IN_PROGRESS]) {
      await deps.client.patch(clusterRef(cluster), { metadata: { annotations: { [ANNOTATION_RESTORE_IN_PROGRESS]: null } } });
    }
    const message = `cluster ${cluster.metadata.name} is Healthy on ${status.restoredClaims?.length ?? cluster.spec.size} restored volume(s)`;
    return finish(deps, object, status, 'Succeeded', 'Restored', message, pass.now);
  }
  const message = `waiting for cluster ${cluster.metadata.name} to be Healthy (now ${cluster.status?.phase ?? 'unknown'})`;
  return progress(deps, object, status, 'Running', status.step ?? 'Creating', message);
}
