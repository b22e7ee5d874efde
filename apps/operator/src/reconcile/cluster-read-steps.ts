import { safeValidateQdrantCluster, statefulSetName, type QdrantCluster } from '@qhc/schemas';
import { ManifestError, buildClusterObjects, usesClusterManager } from '@qhc/manifests';
import { KubeApiError, hasFinalizer, removeFinalizer, type KubeObject } from '@qhc/kube';
import { FINALIZER, QDRANT_CLUSTER, STATEFUL_SET, listClaims, loaded, operationDeadline, type ClusterPass, type DesiredSts, type Sts } from './cluster-pass.ts';
import { writeClusterStatus } from './cluster-status.ts';
import { proceed, step, stop } from './steps.ts';
import { pinClaimTemplates } from './volumes.ts';
import { apiKeysHash, withApiKeysHash } from './api-keys-hash.ts';

// The first steps of a cluster pass: read the cluster, let a deleted one go, refuse an invalid
// spec, take the cluster in hand (deadline) and build what should exist.

function objectOf(pass: ClusterPass): KubeObject {
  if (!pass.object) throw new Error(`cluster ${pass.namespace}/${pass.name}: a step ran before the cluster was read`);
  return pass.object;
}

/**
 * From the clusters' informer, which holds the operator's own writes as soon as they are
 * answered (Informer.wrote), so a pass never computes against the status before its last
 * write. Not there (not seen yet, or deleted): one GET. Gone: nothing to do.
 */
export const readCluster = step<ClusterPass>('readCluster', async (pass) => {
  const ref = { ...QDRANT_CLUSTER, namespace: pass.namespace, name: pass.name };
  pass.object = pass.deps.cache.get(QDRANT_CLUSTER, pass.namespace, pass.name) ?? (await pass.deps.client.get(ref));
  return pass.object ? proceed : stop;
});

/**
 * Removes the finalizer earlier versions added. The operator holds no cluster back from its
 * deletion: owned objects go by their owner references (the garbage collector), the volumes
 * by the StatefulSet's retention policy (kept unless the cluster's qhc.dev/volume-retention
 * annotation says Delete). A finalizer with nothing to release would only make a deletion
 * wait for the operator (Terminating for good once it is uninstalled) and cost every new
 * cluster a write.
 */
async function releaseFinalizer(pass: ClusterPass): Promise<'kept' | 'released' | 'gone'> {
  const object = objectOf(pass);
  if (!hasFinalizer(object, FINALIZER)) return 'kept';
  const released = await removeFinalizer(pass.deps.client, object, FINALIZER);
  if (!released) return 'gone';
  pass.deps.cache.wrote?.(released);
  pass.object = released;
  pass.log.info('finalizer of an earlier version removed');
  return 'released';
}

/** A deleted cluster: nothing to do but let an earlier version's finalizer go. */
export const releaseDeleted = step<ClusterPass>('releaseDeleted', async (pass) => {
  if (!objectOf(pass).metadata.deletionTimestamp) return proceed;
  await releaseFinalizer(pass);
  pass.log.info('cluster deleted');
  return stop;
});

/**
 * A live cluster's old finalizer is tidying, not the pass's work: a cluster written meanwhile
 * (its resourceVersion moved: 409, or 422 for the JSON patch's test) keeps it for a later
 * pass rather than failing this one into the retry backoff; a cluster gone ends the pass.
 */
async function tidyFinalizer(pass: ClusterPass): Promise<boolean> {
  try {
    return (await releaseFinalizer(pass)) !== 'gone';
  } catch (error) {
    if (!(error instanceof KubeApiError) || (error.status !== 409 && error.status !== 422)) throw error;
    pass.log.info('finalizer of an earlier version left for a later pass: the cluster moved');
    return true;
  }
}

/** An invalid spec is reported in the status and an event, and waits for a new spec. */
export const validateSpec = step<ClusterPass>('validateSpec', async (pass) => {
  const object = objectOf(pass);
  const parsed = safeValidateQdrantCluster(object);
  if (parsed.success) {
    pass.parsed = parsed.data;
    return proceed;
  }
  const cluster = object as unknown as QdrantCluster;
  const failure = { reason: 'InvalidSpec', message: parsed.error.message };
  await writeClusterStatus(pass, cluster, { cluster, statefulSet: undefined, pods: [], failure }, { claims: [], deleting: [] });
  pass.deps.recorder.record(object, { type: 'Warning', reason: 'InvalidSpec', note: parsed.error.message, action: 'Validate' });
  return stop;
});

/**
 * The pass's view of the cluster and the one deadline its drains and restarts share; a cluster
 * an earlier version took in hand loses its finalizer (one write, once, after an upgrade).
 */
export const adoptCluster = step<ClusterPass>('adoptCluster', async (pass) => {
  const { deps, parsed } = pass;
  if (!parsed) throw new Error(`cluster ${pass.namespace}/${pass.name}: adopted before its spec was validated`);
  if (!(await tidyFinalizer(pass))) return stop;
  const object = objectOf(pass);
  const cluster = { ...parsed, metadata: { ...parsed.metadata, uid: object.metadata.uid, resourceVersion: object.metadata.resourceVersion } } as QdrantCluster;
  pass.cluster = cluster;
  pass.managed = usesClusterManager(cluster, pass.settings) && deps.clusterManager !== undefined;
  pass.deleting = cluster.status?.deleteInProgressNodeIndexes ?? [];
  pass.claims = listClaims(deps, cluster);
  // Short of handlerTimeout, so a drain or a restart stops on its own terms (aborting its
  // transfer) and the failure reaches the status before the pass itself is cut off.
  const { handlerTimeout, operationTimeout } = pass.settings.settings;
  const now = pass.now();
  pass.deadline = Math.min(now + handlerTimeout * 800, operationDeadline(cluster, operationTimeout, now));
  return proceed;
});

/**
 * What should exist; nothing while paused. A spec the builders refuse is a failure of the pass,
 * not retried. The pods' API keys are hashed onto their template (./api-keys-hash.ts).
 */
export const buildDesired = step<ClusterPass>('buildDesired', async (pass) => {
  const { object, cluster } = loaded(pass);
  if (cluster.spec.pauses?.length) return proceed;
  let desired: KubeObject[];
  try {
    desired = buildClusterObjects(cluster, pass.settings) as unknown as KubeObject[];
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    pass.failure = { reason: 'InvalidCombination', message: error.message };
    pass.deps.recorder.record(object, { type: 'Warning', reason: 'InvalidCombination', note: error.message, action: 'Build' });
    return proceed;
  }
  pass.desired = desired;
  pass.live = pass.deps.cache.get<Sts>(STATEFUL_SET, pass.namespace, statefulSetName(cluster.spec.id));
  pass.desiredSts = desired.find((o) => o.kind === 'StatefulSet') as DesiredSts | undefined;
  if (pass.desiredSts) {
    pinClaimTemplates(pass.desiredSts, pass.live);
    withApiKeysHash(pass.desiredSts, await apiKeysHash(pass.deps, cluster));
  }
  return proceed;
});
