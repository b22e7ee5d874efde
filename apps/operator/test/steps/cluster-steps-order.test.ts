import { describe, expect, it } from 'vitest';
import { CLUSTER_STEPS } from '../../src/reconcile/cluster.ts';
import { formatOutcome, goldenPath, runScenario } from './cluster-scenarios.ts';
import { expectCaught, mutations, type Catch } from './mutations.ts';

// The mutation check of the cluster reconcile. Each mutated list (one step dropped, or two
// neighbours swapped) is run through the scenario named below, whose golden file
// (cluster-scenarios.test.ts) it must then miss, or it must throw the named guard message.
// A new step, or a new order, needs its line here: the table must name exactly the
// mutations of CLUSTER_STEPS.

const guard = (message: string) => `Error: cluster qdrant/qdrant-a: ${message}`;
const NOT_READ = guard('a step ran before the cluster was read');
const NOT_ADOPTED = guard('a step ran before the cluster was read and adopted');
const NOT_VALIDATED = guard('adopted before its spec was validated');
const NOT_OBSERVED = guard('managed before it was observed');
const NOT_WRITTEN = guard('decided before the status was written');

const CAUGHT_BY: Record<string, Catch> = {
  'drop readCluster': { scenario: 'new cluster', throws: NOT_READ },
  'drop releaseDeleted': { scenario: 'deleted invalid cluster' },
  'drop validateSpec': { scenario: 'new cluster', throws: NOT_VALIDATED },
  'drop adoptCluster': { scenario: 'new cluster', throws: NOT_ADOPTED },
  'drop buildDesired': { scenario: 'new cluster' },
  'drop scaleDown': { scenario: 'scale-down' },
  'drop recreateNodes': { scenario: 'scale-down' },
  'drop applyDesired': { scenario: 'new cluster' },
  'drop pruneUnwanted': { scenario: 'scale-down' },
  'drop applyTraefik': { scenario: 'new cluster' },
  'drop restartGuarded': { scenario: 'guarded restart' },
  'drop resizeStorage': { scenario: 'scale-down' },
  'drop observeCluster': { scenario: 'new cluster', throws: NOT_OBSERVED },
  'drop manageCluster': { scenario: 'scale-down' },
  'drop writeStatus': { scenario: 'new cluster', throws: NOT_WRITTEN },
  'drop decideNextPass': { scenario: 'new cluster' },
  'swap readCluster/releaseDeleted': { scenario: 'new cluster', throws: NOT_READ },
  'swap releaseDeleted/validateSpec': { scenario: 'deleted invalid cluster' },
  'swap validateSpec/adoptCluster': { scenario: 'invalid spec', throws: NOT_VALIDATED },
  'swap adoptCluster/buildDesired': { scenario: 'new cluster', throws: NOT_ADOPTED },
  'swap buildDesired/scaleDown': { scenario: 'scale-down' },
  'swap scaleDown/recreateNodes': { scenario: 'scale-down' },
  'swap recreateNodes/applyDesired': { scenario: 'scale-down' },
  'swap applyDesired/pruneUnwanted': { scenario: 'scale-down' },
  'swap pruneUnwanted/applyTraefik': { scenario: 'new cluster' },
  'swap applyTraefik/restartGuarded': { scenario: 'guarded restart' },
  'swap restartGuarded/resizeStorage': { scenario: 'guarded restart' },
  'swap resizeStorage/observeCluster': { scenario: 'scale-down' },
  'swap observeCluster/manageCluster': { scenario: 'scale-down', throws: NOT_OBSERVED },
  'swap manageCluster/writeStatus': { scenario: 'guarded restart with copies' },
  'swap writeStatus/decideNextPass': { scenario: 'new cluster', throws: NOT_WRITTEN },
};

describe('cluster steps: the mutation table', () => {
  it('names every drop and every neighbour swap of CLUSTER_STEPS, nothing else', () => {
    expect(Object.keys(CAUGHT_BY).toSorted()).toEqual(
      mutations(CLUSTER_STEPS)
        .map(([name]) => name)
        .toSorted(),
    );
  });
});

describe('cluster steps: every mutation is caught by its scenario', () => {
  it.each(mutations(CLUSTER_STEPS))('%s misses the golden file of its scenario', async (mutation, steps) => {
    await expectCaught(CAUGHT_BY[mutation]!, (scenario, mutated) => runScenario(scenario, mutated ? steps : CLUSTER_STEPS), formatOutcome, goldenPath);
  });
});
