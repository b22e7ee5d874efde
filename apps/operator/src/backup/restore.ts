import {
  LABEL_CLUSTER_ID,
  LABEL_CUSTOMER_ID,
  clusterResourceName,
  safeValidateQdrantClusterRestore,
  type QdrantCluster,
  type QdrantClusterRestoreStatus,
  type QdrantClusterSnapshot,
} from '@qhc/schemas';
import { ANNOTATION_CLUSTER_SPEC, ANNOTATION_ORIGIN_CLUSTER, ANNOTATION_ORIGIN_RESTORE, ANNOTATION_ORIGIN_SNAPSHOT } from '@qhc/manifests';
import { splitKey, type KubeObject, type ReconcileResult } from '@qhc/kube';
import { proceed, runSteps, step, stop, type Step, type StepResult } from '../reconcile/steps.ts';
import { CLUSTER_RESTORE, QDRANT_CLUSTER, rfc3339, type BackupDeps } from './common.ts';
import { RestoreFailure, checkFits, ensureClaims, readSnapshot, type RestoreSource } from './restore-checks.ts';
import { awaitHealthy, readDestination, replaceVolumes, resumeRestored, suspendDestination, awaitSuspended } from './restore-in-place.ts';
import { finish, progress } from './restore-status.ts';
import { ANNOTATION_RESTORE_IN_PROGRESS, loaded, type ClusterObject, type RestorePass } from './restore-pass.ts';

export { ANNOTATION_RESTORE_IN_PROGRESS } from './restore-pass.ts';

/** A failed check ends the restore as Failed, with the check's reason. */
const failing = (inner: Step<RestorePass>): Step<RestorePass> =>
  step(inner.name, async (pass) => {
    try {
      return await inner.run(pass);
    } catch (error) {
      if (!(error instanceof RestoreFailure)) throw error;
      return finish(pass.deps, pass.object!, pass.started, 'Failed', error.reason, error.message, pass.now);
    }
  });

/** A step run before the one that sets what it needs is a wrong step order. */
function needs<T>(value: T | undefined, pass: RestorePass, what: string): T {
  if (value === undefined) throw new Error(`restore ${pass.ref.namespace}/${pass.ref.name}: a step ran before ${what}`);
  return value;
}

const readRestore = step<RestorePass>('readRestore', async (pass) => {
  const object = await pass.deps.client.get(pass.ref);
  if (!object || object.metadata.deletionTimestamp) return stop;
  const status = (object as { status?: QdrantClusterRestoreStatus }).status ?? {};
  if (status.phase === 'Succeeded' || status.phase === 'Failed') return stop;
  pass.object = object;
  pass.started = status;
  pass.now = pass.deps.now();
  return proceed;
});

const validateRestore = step<RestorePass>('validateRestore', async (pass) => {
  const object = needs(pass.object, pass, 'the restore was read');
  const parsed = safeValidateQdrantClusterRestore(object);
  if (!parsed.success) return finish(pass.deps, object, pass.started, 'Failed', 'InvalidSpec', parsed.error.message, pass.now);
  pass.restore = parsed.data;
  pass.uid = object.metadata.uid!;
  pass.started = { ...pass.started, startedAt: pass.started.startedAt ?? rfc3339(pass.now) };
  return proceed;
});

const readSource = step<RestorePass>('readSource', async (pass) => {
  const restore = needs(pass.restore, pass, 'the restore was validated');
  pass.source = await readSnapshot(pass.deps.client, restore);
  if (pass.source) return proceed;
  const message = `snapshot ${restore.spec.source.snapshotName} is still being taken`;
  return progress(pass.deps, pass.object!, pass.started, 'Pending', 'SnapshotRunning', message);
});

const CLUSTER_NAME_PREFIX = clusterResourceName('');
const idOf = (clusterName: string) => (clusterName.startsWith(CLUSTER_NAME_PREFIX) ? clusterName.slice(CLUSTER_NAME_PREFIX.length) : clusterName);

/**
 * Into a new cluster: each node's database claim is created with its VolumeSnapshot as
 * dataSource, then the QdrantCluster (the backed-up spec under the new id), which starts on them.
 */
const createDestination = step<RestorePass>('createDestination', async (pass): Promise<StepResult> => {
  const { object, restore, source } = loaded(pass);
  const { deps, uid, started: status } = pass;
  if (!restore.spec.destination.create) return proceed;
  const { client } = deps;
  const { name, namespace } = restore.spec.destination;
  // A QdrantCluster is named qdrant-<spec.id>; a new one named otherwise would be refused by its
  // own schema, and the control plane (which names clusters by id) could not adopt it.
  if (!name.startsWith(CLUSTER_NAME_PREFIX) || name.length === CLUSTER_NAME_PREFIX.length) {
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
  if (existing) return awaitHealthy(pass, status, existing);
  // Made once already and since deleted (through the control plane, or by hand): not made again.
  if (status.step === 'Creating')
    throw new RestoreFailure('DestinationDeleted', `QdrantCluster ${namespace}/${name} was deleted before it became Healthy; it is not created again`);
  const cluster = newClusterOf(object, source, name, namespace, uid);
  await checkFits(client, pass.settings, cluster, source.volumes);
  const claims = await ensureClaims(client, pass.settings, cluster, source.volumes, uid);
  await client.apply(cluster);
  const note = `creating cluster ${name} from ${source.volumes.length} volume snapshot(s) of ${source.snapshot.metadata.name}`;
  deps.recorder.record(object, { type: 'Normal', reason: 'RestoreStarted', note, action: 'Restore' });
  const message = `cluster ${name} created from the snapshot; waiting for it to be Healthy`;
  return progress(deps, object, { ...status, restoredClaims: claims, step: 'Creating' }, 'Running', 'Creating', message);
});

/** The backed-up spec under the new id, marked with this restore and where it came from. */
function newClusterOf(object: KubeObject, source: RestoreSource, name: string, namespace: string, uid: string): ClusterObject {
  const specText = source.snapshot.metadata.annotations?.[ANNOTATION_CLUSTER_SPEC];
  if (!specText)
    throw new RestoreFailure(
      'SnapshotWithoutClusterSpec',
      `QdrantClusterSnapshot ${source.snapshot.metadata.name} does not record its cluster's spec (annotation ${ANNOTATION_CLUSTER_SPEC}); restore it in place`,
    );
  const id = idOf(name);
  const customer = source.snapshot.metadata.labels?.[LABEL_CUSTOMER_ID] ?? 'restored';
  return {
    ...QDRANT_CLUSTER,
    metadata: {
      name,
      namespace,
      labels: { [LABEL_CLUSTER_ID]: id, [LABEL_CUSTOMER_ID]: customer },
      annotations: { [ANNOTATION_RESTORE_IN_PROGRESS]: uid, ...originAnnotations(object, source.snapshot) },
    },
    spec: { ...(JSON.parse(specText) as QdrantCluster['spec']), id, size: source.volumes.length },
  } as ClusterObject;
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

export const RESTORE_STEPS: readonly Step<RestorePass>[] = [
  readRestore,
  validateRestore,
  failing(readSource),
  failing(createDestination),
  failing(readDestination),
  failing(resumeRestored),
  failing(suspendDestination),
  failing(awaitSuspended),
  failing(replaceVolumes),
];

/**
 * One pass over a QdrantClusterRestore. Checks first (the snapshot exists and succeeded, its
 * VolumeSnapshots are ready, same namespace, node count, size and StorageClass fit), then
 * into a new cluster (createDestination) or in place (./restore-in-place.ts): the cluster is
 * suspended, its database claims replaced by claims from the snapshots, and it is resumed.
 * Succeeded once the cluster is Healthy. Every step is re-derived from what exists (claims
 * marked with this restore's uid), so a pass cut off anywhere is finished by the next.
 */
/** `steps` is for the mutation check (test/steps/backup-steps-order.test.ts); the controller runs RESTORE_STEPS. */
export async function reconcileRestore(deps: BackupDeps, key: string, steps: readonly Step<RestorePass>[] = RESTORE_STEPS): Promise<ReconcileResult> {
  const { namespace = 'default', name } = splitKey(key);
  const pass: RestorePass = {
    deps,
    settings: deps.settings(),
    ref: { ...CLUSTER_RESTORE, namespace, name },
    now: 0,
    uid: '',
    started: {},
    claims: [],
    live: new Map(),
  };
  return runSteps(steps, pass);
}
