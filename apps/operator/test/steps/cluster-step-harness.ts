import type { KubeObject } from '@qhc/kube';
import { CLUSTER_STEPS } from '../../src/reconcile/cluster.ts';
import { newClusterPass, type ClusterPass, type ClusterReconcilerDeps } from '../../src/reconcile/cluster-pass.ts';
import type { Step } from '../../src/reconcile/steps.ts';
import { clusterDeps } from './cluster-scenarios.ts';
import { FakeKube } from './fake-kube.ts';

/**
 * A pass brought to just before `name` by the real steps before it, with the journal
 * emptied, so a test sees only what the step under test reads and writes.
 */
export async function passBefore(
  name: string,
  objects: KubeObject[],
  tweak: (deps: ClusterReconcilerDeps, kube: FakeKube) => ClusterReconcilerDeps = (d) => d,
): Promise<{ pass: ClusterPass; kube: FakeKube; step: Step<ClusterPass> }> {
  const kube = new FakeKube(objects);
  const pass = newClusterPass(tweak(clusterDeps(kube), kube), 'qdrant', 'qdrant-a');
  const index = CLUSTER_STEPS.findIndex((s) => s.name === name);
  if (index < 0) throw new Error(`no step ${name}`);
  for (const s of CLUSTER_STEPS.slice(0, index)) {
    const result = await s.run(pass);
    if (result.kind !== 'continue') throw new Error(`step ${s.name} ended the pass before ${name}: ${result.kind}`);
  }
  kube.journal.length = 0;
  kube.events.length = 0;
  return { pass, kube, step: CLUSTER_STEPS[index]! };
}
