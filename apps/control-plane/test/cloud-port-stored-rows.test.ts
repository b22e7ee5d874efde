// stored-rows.test.ts on the Cloud API: rows an earlier release wrote, seeded in the database as
// it wrote them, are answered by the Cloud API (no Internal), kept as stored for the agent, and
// still restart, delete and take reports; an event of an unknown type is left out of the timeline.
import { clusterV1, qhcV1 } from '@qhc/cloud-api';
import { describe, expect, it } from 'vitest';
import { insertCluster } from '../src/repositories/clusters.ts';
import { storedSpec } from './support/backup.ts';
import { cloudPlane, type CloudPlane, type Dialect } from './support/cloud.ts';
import { clusterClient, makeRegion, reportStatus } from './support/cloud-clusters.ts';
import { grpcHybridClient } from './support/hybrid.ts';
import { qhcClients } from './support/qhc.ts';
import { sqlOn } from './support/sql.ts';

const OLD_REGISTRY = 'https://registry.example.com/Team/Qdrant/';

/** A cluster as /api/v1 stored them: no Cloud API message, objects named after it; its id. */
async function legacyCluster(plane: CloudPlane, regionName: string, name: string) {
  const region = await makeRegion(plane, regionName);
  const id = await insertCluster(plane.cp.store.db, region, { name, spec: storedSpec(), objectId: name }, () => null);
  return { region, id };
}

describe.each(['sqlite', 'postgres'] as const)('an environment and a cluster stored by an older release, over gRPC, on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);
  const sql = () => sqlOn(plane.cp.store.db);

  it('an environment spec with an upper-case registry path and no defaulted fields is answered, and kept as stored for the agent', async () => {
    const region = await makeRegion(plane, 'old-env');
    // An earlier release wrote no logLevel (defaulted now) and kept the registry path's case.
    const { logLevel: _dropped, ...advanced } = { ...region.spec.advanced, containerRegistryUrl: OLD_REGISTRY };
    const older = { ...region.spec, advanced };
    await sql().run('UPDATE regions SET spec = $1 WHERE id = $2', [JSON.stringify(older), region.id]);
    const hybrid = grpcHybridClient(plane);
    const ids = { accountId: plane.cp.accountId, hybridCloudEnvironmentId: region.id };
    const got = (await hybrid.getHybridCloudEnvironment(ids, { headers: plane.auth() })).hybridCloudEnvironment!;
    expect([got.id, got.name, got.configuration?.namespace, got.configuration?.containerRegistryUrl]).toEqual([
      region.id,
      'old-env',
      region.spec.namespace,
      OLD_REGISTRY,
    ]);
    const listed = await hybrid.listHybridCloudEnvironments({ accountId: plane.cp.accountId }, { headers: plane.auth() });
    expect(listed.items.map((e) => e.id)).toContain(region.id);
    expect((await plane.cp.store.desiredState(region.id)).region).toEqual(older);
  });

  it('a cluster spec with storage iops and throughput and version "latest" is answered, restarts and deletes', async () => {
    const { region, id } = await legacyCluster(plane, 'old-cluster', 'legacy');
    await insertCluster(plane.cp.store.db, region, { name: 'fine', spec: storedSpec(), objectId: 'fine' }, () => null);
    const older = { version: 'latest', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' }, storage: { iops: 3000, throughput: 125 } };
    await sql().run('UPDATE clusters SET spec = $1 WHERE id = $2', [JSON.stringify(older), id]);
    const client = clusterClient(plane);
    const ids = { accountId: plane.cp.accountId, clusterId: id };
    expect((await client.getCluster(ids, { headers: plane.auth() })).cluster?.name).toBe('legacy');
    const listed = await client.listClusters(
      { accountId: plane.cp.accountId, cloudProviderId: 'hybrid', cloudProviderRegionId: region.id },
      { headers: plane.auth() },
    );
    expect(listed.items.map((c) => c.name).toSorted()).toEqual(['fine', 'legacy']);
    const desired = () => plane.cp.store.desiredState(region.id);
    expect((await desired()).clusters.find((c) => c.id === 'legacy')?.spec).toEqual({ ...older, id: 'legacy' });
    await client.restartCluster(ids, { headers: plane.auth() });
    const restarted = (await client.getCluster(ids, { headers: plane.auth() })).cluster!;
    expect(restarted.state?.restartedAt).toBeDefined();
    expect((await desired()).clusters.find((c) => c.id === 'legacy')?.spec).toEqual({ ...older, id: 'legacy' });
    await client.deleteCluster(ids, { headers: plane.auth() });
    expect((await desired()).deletions).toEqual(['legacy']);
  });

  it('a previous cluster status this release cannot read does not block GetCluster nor the next report', async () => {
    const { region, id } = await legacyCluster(plane, 'old-status', 'st');
    await sql().run('UPDATE clusters SET status = $1 WHERE id = $2', [JSON.stringify({ phase: 7, conditions: 'none' }), id]);
    const client = clusterClient(plane);
    const ids = { accountId: plane.cp.accountId, clusterId: id };
    expect((await client.getCluster(ids, { headers: plane.auth() })).cluster?.name).toBe('st');
    await reportStatus(plane, region.id, [{ id: 'st', phase: 'Healthy', nodes: 1, nodesReady: 1 }]);
    expect((await client.getCluster(ids, { headers: plane.auth() })).cluster?.state?.phase).toBe(clusterV1.ClusterPhase.HEALTHY);
    const events = await qhcClients(plane).events.listClusterEvents({ ...ids, pageSize: 10, pageToken: '' }, { headers: plane.auth() });
    expect(events.items.slice(0, 2).map((e) => e.message)).toEqual(['1/1 nodes ready', 'Healthy']);
  });

  it('an event of an unknown type is left out of the timeline', async () => {
    const { id } = await legacyCluster(plane, 'old-events', 'ev');
    const at = '2999-01-01T00:00:00.000Z';
    await sql().run('INSERT INTO cluster_events (id, cluster_id, at, type, message) VALUES ($1, $2, $3, $4, $5)', [`${at}#000#x`, id, at, 'Scaled', 'newer']);
    const events = await qhcClients(plane).events.listClusterEvents(
      { accountId: plane.cp.accountId, clusterId: id, pageSize: 10, pageToken: '' },
      { headers: plane.auth() },
    );
    expect(events.items.map((e) => e.type)).toEqual([qhcV1.ClusterEventType.REQUESTED]);
  });
});
