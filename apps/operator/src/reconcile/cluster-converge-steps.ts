import { onDemandReplicationMode, podSelector } from '@qhc/manifests';
import { applyIfChanged } from '@qhc/kube';
import type { Kind } from '../cache.ts';
import { FIELD_MANAGER, POD, listPodsFresh, loaded, observe, type ClusterPass } from './cluster-pass.ts';
import { writeClusterStatus } from './cluster-status.ts';
import { inProcessRestartGuard, stepGuardedRestart, type RecordedReplica } from './guarded-restart.ts';
import { prune } from './prune.ts';
import { recreateAnnotatedNodes } from './recreate-node.ts';
import { inProcessDrainer, stepScaleDown } from './scale-down.ts';
import { proceed, step } from './steps.ts';
import { isTraefikObject, reconcileTraefik } from './traefik.ts';
import { reconcileStorage } from './volumes.ts';

// The steps that make the cluster what its spec says, in an order that matters: the
// scale-down decides the StatefulSet's replicas before it is applied; the desired objects
// exist before the unwanted ones are pruned; a restart waits for any scale-down to end.

/** One node at a time from the highest index, drained before the StatefulSet lets it go (./scale-down.ts). */
export const scaleDown = step<ClusterPass>('scaleDown', async (pass) => {
  const { object, cluster } = loaded(pass);
  const { deps, desiredSts, live } = pass;
  if (!desiredSts) return proceed;
  const scale = await stepScaleDown({
    client: deps.client,
    drain:
      pass.managed && deps.clusterManager
        ? deps.clusterManager.drainer
        : inProcessDrainer(deps.qdrant, (job, s) => deps.onDrainStep?.(job.cluster, job.node, s)),
    logger: deps.logger,
    cluster,
    live,
    // Fresh, not cached: whether a node's pod exists decides whether it is drained.
    pods: async () => new Set((await listPodsFresh(deps, cluster)).map((p) => p.metadata.name!)),
    deadline: pass.deadline,
    signal: deps.signal,
    markDeleting: async (indexes) => {
      const current = pass.cluster!;
      const observed = { cluster: current, statefulSet: live, pods: await listPodsFresh(deps, current), deleting: indexes };
      const { status } = await writeClusterStatus(pass, current, observed, { claims: [], deleting: indexes });
      // The status as written (phase, conditions, indexes): the report step compares with it.
      pass.cluster = { ...current, status };
    },
  });
  desiredSts.spec.replicas = scale.replicas;
  pass.deleting = scale.deleting;
  pass.busy = scale.deleting.length > 0;
  if (scale.failure) {
    pass.failure = { ...scale.failure, retry: true };
    deps.recorder.record(object, { type: 'Warning', reason: scale.failure.reason, note: scale.failure.message, action: 'ScaleDown' });
  } else if (scale.done) {
    deps.recorder.record(object, { type: 'Normal', reason: 'NodeRemoved', note: scale.done, action: 'ScaleDown' });
  }
  return proceed;
});

/** Pods annotated for recreation lose their volumes and start again as new peers (./recreate-node.ts). */
export const recreateNodes = step<ClusterPass>('recreateNodes', async (pass) => {
  const { object, cluster } = loaded(pass);
  const { deps, live } = pass;
  if (!live || !pass.desiredSts) return proceed;
  await recreateAnnotatedNodes({
    client: deps.client,
    recorder: deps.recorder,
    logger: deps.logger,
    cluster,
    object,
    pods: deps.cache.list(POD, pass.namespace, podSelector(cluster)),
    claimTemplates: (live.spec.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? '').filter(Boolean),
  });
  return proceed;
});

/** Server-side apply of what changed (Traefik's kinds have their own step: they may not be served). */
export const applyDesired = step<ClusterPass>('applyDesired', async (pass) => {
  const { deps, desired } = pass;
  if (!desired) return proceed;
  for (const item of desired) {
    if (isTraefikObject(item)) continue;
    const cached = deps.cache.get(item as unknown as Kind, pass.namespace, item.metadata.name!);
    const applied = await applyIfChanged(deps.client, item, cached, { fieldManager: FIELD_MANAGER });
    if (applied && item.kind === 'StatefulSet') pass.appliedSts = applied;
  }
  return proceed;
});

export const pruneUnwanted = step<ClusterPass>('pruneUnwanted', async (pass) => {
  const { object, cluster } = loaded(pass);
  if (!pass.desired) return proceed;
  await prune(pass.deps, object, cluster, new Set(pass.desired.map((d) => `${d.kind}/${d.metadata.name}`)));
  return proceed;
});

export const applyTraefik = step<ClusterPass>('applyTraefik', async (pass) => {
  const { object, cluster } = loaded(pass);
  const { deps, desired } = pass;
  if (!desired) return proceed;
  const traefik = await reconcileTraefik({
    client: deps.client,
    fieldManager: FIELD_MANAGER,
    cluster,
    desired: desired.filter(isTraefikObject),
    now: pass.now(),
  });
  if (traefik) {
    pass.failure = { ...traefik, retry: true };
    deps.recorder.record(object, { type: 'Warning', reason: traefik.reason, note: traefik.message, action: 'Apply' });
  }
  return proceed;
});

/** onDemandReplication's rollout, one node at a time, never during a scale-down (./guarded-restart.ts). */
export const restartGuarded = step<ClusterPass>('restartGuarded', async (pass) => {
  const { object, cluster } = loaded(pass);
  const { deps } = pass;
  if (!pass.desiredSts || pass.deleting.length > 0) return proceed;
  const restart = await stepGuardedRestart({
    client: deps.client,
    guard: pass.managed && deps.clusterManager ? deps.clusterManager.restartGuard : inProcessRestartGuard(deps.qdrant),
    logger: deps.logger,
    cluster,
    mode: onDemandReplicationMode(cluster),
    statefulSet: (pass.appliedSts ?? pass.live) as Parameters<typeof stepGuardedRestart>[0]['statefulSet'],
    pods: () => listPodsFresh(deps, pass.cluster!),
    deadline: pass.deadline,
    signal: deps.signal,
    // Compared with the status as it is, not as it will be: the copies must be written now.
    record: async (replicas: RecordedReplica[]) => {
      const current = pass.cluster!;
      const observed = observe(deps, current, undefined, pass.appliedSts);
      const { status } = await writeClusterStatus(pass, current, observed, { claims: pass.claims, deleting: pass.deleting, temporaryReplicas: replicas });
      // The status as written, not the old one with the copies: its phase and conditions changed too.
      pass.cluster = { ...current, status };
    },
  });
  pass.restarting = restart.busy;
  if (restart.failure) {
    pass.failure = { ...restart.failure, retry: true };
    deps.recorder.record(object, { type: 'Warning', reason: restart.failure.reason, note: restart.failure.message, action: 'Restart' });
  } else if (restart.restarted) {
    const { node, detail } = restart.restarted;
    const note = `node ${node} restarted after its shards were secured: ${detail}`;
    deps.recorder.record(object, { type: 'Normal', reason: 'NodeRestarted', note, action: 'Restart' });
  }
  return proceed;
});

/** Grows the database volumes to the spec's size where the storage class allows (./volumes.ts). */
export const resizeStorage = step<ClusterPass>('resizeStorage', async (pass) => {
  const { object, cluster } = loaded(pass);
  const { deps, desiredSts } = pass;
  if (!desiredSts) return proceed;
  const storage = await reconcileStorage(deps.client, cluster, pass.claims, desiredSts.spec.replicas);
  pass.storage = storage;
  const { condition } = storage;
  if (condition.status === 'False' && cluster.status?.conditions?.find((c) => c.type === condition.type)?.reason !== condition.reason) {
    deps.recorder.record(object, {
      type: condition.reason === 'Expanding' ? 'Normal' : 'Warning',
      reason: condition.reason,
      note: condition.message,
      action: 'ResizeStorage',
    });
  }
  return proceed;
});
