// adoption.test.ts's "what adoption leaves alone", read through the Cloud API: a restored cluster
// in a report of an older revision, or a cluster made in the environment some other way, is not
// listed by ListClusters; a restored cluster over the objects of a cluster of the account leaves
// that cluster as it was (its configuration, the revision) and says why once in its timeline.
import { qhcV1 } from '@qhc/cloud-api';
import { describe, expect, it } from 'vitest';
import { cloudPlane, type CloudPlane, type Dialect } from './support/cloud.ts';
import { clusterClient, clusterInit, makeRegion } from './support/cloud-clusters.ts';
import { qhcClients } from './support/qhc.ts';

const spec = { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } };
// A restored cluster as the agent reports it: its spec as the operator made it from the backup.
const restored = (id: string) => ({ id, phase: 'Pending' as const, origin: { restore: `bk-to-${id}`, snapshot: 'bk', sourceCluster: 'source' }, spec });

async function reported(plane: CloudPlane, regionId: string, clusters: unknown[], appliedRevision?: number) {
  const revision = appliedRevision ?? (await plane.cp.store.revision(regionId))!;
  // The report's clusters as the agent sends them: the store parses them.
  await plane.cp.store.recordStatus(regionId, { appliedRevision: revision, clusters } as never);
}

const names = async (plane: CloudPlane, regionId: string) =>
  (
    await clusterClient(plane).listClusters(
      { accountId: plane.cp.accountId, cloudProviderId: 'hybrid', cloudProviderRegionId: regionId },
      { headers: plane.auth() },
    )
  ).items.map((c) => c.name);

describe.each(['sqlite', 'postgres'] as const)('what adoption leaves alone, through the Cloud API, on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it('a report of an older revision adopts nothing (it may predate a deletion); nor does a cluster made some other way', async () => {
    const region = await makeRegion(plane, 'alone');
    await reported(plane, region.id, [restored('late')], (await plane.cp.store.revision(region.id))! - 1);
    expect(await names(plane, region.id)).toEqual([]);
    await reported(plane, region.id, [
      { id: 'by-kubectl', phase: 'Healthy' },
      { id: 'no-spec', origin: { restore: 'x', snapshot: 'y' } },
    ]);
    expect(await names(plane, region.id)).toEqual([]);
    // The check can fail: a restored cluster in a current report is adopted.
    await reported(plane, region.id, [restored('adopted')]);
    expect(await names(plane, region.id)).toEqual(['adopted']);
  });

  it('refuses a clash: the cluster of those objects keeps its configuration and the revision, and says why once', async () => {
    const region = await makeRegion(plane, 'clash');
    const client = clusterClient(plane);
    const ids = { accountId: plane.cp.accountId, clusterId: '' };
    const { cluster } = await client.createCluster(
      { cluster: clusterInit(plane.cp.accountId, region.id, 'taken', { numberOfNodes: 2 }) },
      { headers: plane.auth() },
    );
    ids.clusterId = cluster!.id;
    const before = await plane.cp.store.revision(region.id);
    await reported(plane, region.id, [restored(cluster!.id)]);
    await reported(plane, region.id, [restored(cluster!.id)]);
    const kept = (await client.getCluster(ids, { headers: plane.auth() })).cluster!;
    expect([kept.name, kept.configuration?.numberOfNodes]).toEqual(['taken', 2]);
    expect(await plane.cp.store.revision(region.id)).toBe(before);
    const events = await qhcClients(plane).events.listClusterEvents({ ...ids, pageSize: 50, pageToken: '' }, { headers: plane.auth() });
    expect(events.items.filter((e) => e.type === qhcV1.ClusterEventType.CONFLICT)).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^not adopted: restore bk-to-\S+ made a cluster with this name/) }),
    ]);
  });
});
