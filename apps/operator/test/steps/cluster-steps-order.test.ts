import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLUSTER_STEPS } from '../../src/reconcile/cluster.ts';
import type { ClusterPass } from '../../src/reconcile/cluster-pass.ts';
import type { Step } from '../../src/reconcile/steps.ts';
import { formatOutcome, goldenPath, runScenario } from './cluster-scenarios.ts';

// The mutation check of the cluster reconcile: every step matters and so does the order of
// every two neighbours. Each mutated list (one step dropped, or two neighbours swapped) is
// run through the scenario named below, whose test ("<scenario>: reads and writes what its
// golden file lists", cluster-scenarios.test.ts) must then fail. A new step, or a new order,
// needs its line here: the table must name exactly the mutations of CLUSTER_STEPS.

const CAUGHT_BY: Record<string, string> = {
  'drop readCluster': 'new cluster',
  'drop releaseDeleted': 'deleted invalid cluster',
  'drop validateSpec': 'invalid spec',
  'drop adoptCluster': 'new cluster',
  'drop buildDesired': 'new cluster',
  'drop scaleDown': 'scale-down',
  'drop recreateNodes': 'scale-down',
  'drop applyDesired': 'new cluster',
  'drop pruneUnwanted': 'scale-down',
  'drop applyTraefik': 'new cluster',
  'drop restartGuarded': 'guarded restart',
  'drop resizeStorage': 'scale-down',
  'drop observeCluster': 'new cluster',
  'drop manageCluster': 'scale-down',
  'drop writeStatus': 'new cluster',
  'drop decideNextPass': 'new cluster',
  'swap readCluster/releaseDeleted': 'new cluster',
  'swap releaseDeleted/validateSpec': 'deleted invalid cluster',
  'swap validateSpec/adoptCluster': 'invalid spec',
  'swap adoptCluster/buildDesired': 'new cluster',
  'swap buildDesired/scaleDown': 'scale-down',
  'swap scaleDown/recreateNodes': 'scale-down',
  'swap recreateNodes/applyDesired': 'scale-down',
  'swap applyDesired/pruneUnwanted': 'scale-down',
  'swap pruneUnwanted/applyTraefik': 'new cluster',
  'swap applyTraefik/restartGuarded': 'guarded restart',
  'swap restartGuarded/resizeStorage': 'guarded restart',
  'swap resizeStorage/observeCluster': 'scale-down',
  'swap observeCluster/manageCluster': 'scale-down',
  'swap manageCluster/writeStatus': 'guarded restart',
  'swap writeStatus/decideNextPass': 'new cluster',
};

function mutations(steps: readonly Step<ClusterPass>[]): Array<[string, Step<ClusterPass>[]]> {
  const out: Array<[string, Step<ClusterPass>[]]> = steps.map((s, i) => [`drop ${s.name}`, steps.filter((_, j) => j !== i)]);
  for (let i = 0; i + 1 < steps.length; i++) {
    const swapped = [...steps];
    [swapped[i], swapped[i + 1]] = [steps[i + 1]!, steps[i]!];
    out.push([`swap ${steps[i]!.name}/${steps[i + 1]!.name}`, swapped]);
  }
  return out;
}

describe('cluster steps: the mutation table', () => {
  it('names every drop and every neighbour swap of CLUSTER_STEPS, nothing else', () => {
    expect(Object.keys(CAUGHT_BY).toSorted()).toEqual(
      mutations(CLUSTER_STEPS)
        .map(([name]) => name)
        .toSorted(),
    );
  });
});

describe('cluster steps: every mutation fails its scenario', () => {
  it.each(mutations(CLUSTER_STEPS))('%s fails the golden test of its scenario', async (mutation, steps) => {
    const scenario = CAUGHT_BY[mutation]!;
    const golden = readFileSync(goldenPath(scenario), 'utf8');
    expect(formatOutcome(await runScenario(scenario, CLUSTER_STEPS))).toBe(golden);
    expect(formatOutcome(await runScenario(scenario, steps))).not.toBe(golden);
  });
});
