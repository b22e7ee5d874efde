// Exact echo: every valid configuration a client sends comes back byte for byte from Create and
// Get (a Terraform plan compares every field), and the spec the agent pulls is derived from it.
import { toBinary } from '@bufbuild/protobuf';
import { clusterV1 } from '@qhc/cloud-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloudPlane } from './support/cloud.ts';
import { asMessage, clusterClient, clusterInit, desiredClusterSpec, makeRegion, sentPart } from './support/cloud-clusters.ts';
import { clusterExtras, validConfiguration } from './support/cluster-arbitraries.ts';

const binary = (cluster: clusterV1.Cluster) => toBinary(clusterV1.ClusterSchema, sentPart(cluster));

describe('ClusterService echo', () => {
  const plane = cloudPlane('sqlite');

  it('answers 200 random valid clusters exactly as sent, from Create and from Get', async () => {
    const client = clusterClient(plane);
    const region = await makeRegion(plane, 'echo');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(validConfiguration, clusterExtras, async (configuration, extras) => {
        const sent = { ...clusterInit(plane.cp.accountId, region.id, `echo-${n++}`, {}), ...extras, configuration };
        const expected = toBinary(clusterV1.ClusterSchema, asMessage(sent));
        const created = (await client.createCluster({ cluster: sent }, { headers: plane.auth() })).cluster!;
        expect(binary(created)).toEqual(expected);
        const got = (await client.getCluster({ accountId: plane.cp.accountId, clusterId: created.id }, { headers: plane.auth() })).cluster!;
        expect(binary(got)).toEqual(expected);
        const desired = await desiredClusterSpec(plane, region.id, created.id);
        expect(desired.cluster?.spec.size).toBe(configuration.numberOfNodes);
      }),
      { seed: 21, numRuns: 200 },
    );
  });
});
