// cluster-events.test.ts's timeline on the Cloud API: the changes asked for through ClusterService
// and those the agent reported, newest first (qhc.v1 ClusterEventService), each once; at most the
// newest events of a cluster are kept.
import { qhcV1 } from '@qhc/cloud-api';
import { describe, expect, it } from 'vitest';
import { MAX_EVENTS_PER_CLUSTER, recordClusterEvents } from '../src/cluster-events.ts';
import { cloudPlane, type CloudPlane, type Dialect } from './support/cloud.ts';
import { clusterClient, clusterInit, makeRegion } from './support/cloud-clusters.ts';
import { qhcClients } from './support/qhc.ts';

const TYPE = Object.fromEntries(Object.entries(qhcV1.ClusterEventType).map(([name, value]) => [value, name]));

async function timeline(plane: CloudPlane, clusterId: string): Promise<qhcV1.ClusterEvent[]> {
  const ids = { accountId: plane.cp.accountId, clusterId, pageSize: 1000, pageToken: '' };
  return (await qhcClients(plane).events.listClusterEvents(ids, { headers: plane.auth() })).items;
}

describe.each(['sqlite', 'postgres'] as const)('a cluster timeline through the Cloud API on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it('keeps the changes asked for and those the agent reported, newest first', async () => {
    const region = await makeRegion(plane, 'ev');
    const client = clusterClient(plane);
    const { cluster } = await client.createCluster(
      { cluster: clusterInit(plane.cp.accountId, region.id, 'c1', { numberOfNodes: 1 }) },
      { headers: plane.auth() },
    );
    const ids = { accountId: plane.cp.accountId, clusterId: cluster!.id };
    const report = async (status: Record<string, unknown>) => plane.cp.store.recordStatus(region.id, { clusters: [{ id: cluster!.id, ...status }] } as never);
    await report({ phase: 'Creating', nodes: 1, nodesReady: 0 });
    await report({ phase: 'Creating', nodes: 1, nodesReady: 0 });
    await report({ phase: 'Healthy', nodes: 1, nodesReady: 1 });
    const scaled = clusterInit(plane.cp.accountId, region.id, 'c1', { numberOfNodes: 2 });
    await client.updateCluster(
      { cluster: { ...scaled, id: cluster!.id }, updateMask: { paths: ['configuration.number_of_nodes'] } },
      { headers: plane.auth() },
    );
    await client.restartCluster(ids, { headers: plane.auth() });
    const events = await timeline(plane, cluster!.id);
    expect(events.map((e) => `${TYPE[e.type]}: ${e.message}`)).toEqual([
      'REQUESTED: restart of every node',
      expect.stringMatching(/^REQUESTED: .*2/),
      'NODES: 1/1 nodes ready',
      'PHASE: Creating → Healthy',
      'NODES: 0/1 nodes ready',
      'PHASE: Creating',
      expect.stringMatching(/^REQUESTED: created: 1 node\(s\) of /),
    ]);
    expect(events[0]!.time?.seconds).toBeGreaterThan(0n);
  });

  it('keeps at most the newest events of a cluster', async () => {
    const region = await makeRegion(plane, 'many');
    const { cluster } = await clusterClient(plane).createCluster({ cluster: clusterInit(plane.cp.accountId, region.id, 'c1') }, { headers: plane.auth() });
    const many = Array.from({ length: MAX_EVENTS_PER_CLUSTER + 5 }, (_, i) => ({ type: 'Nodes' as const, message: `n${i}` }));
    await recordClusterEvents(plane.cp.store.db, cluster!.id, many, '2999-01-01T00:00:00.000Z');
    const events = await timeline(plane, cluster!.id);
    expect(events).toHaveLength(MAX_EVENTS_PER_CLUSTER);
    expect(events[0]!.message).toBe(`n${MAX_EVENTS_PER_CLUSTER + 4}`);
  });
});
