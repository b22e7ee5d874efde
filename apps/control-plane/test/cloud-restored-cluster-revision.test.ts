// A cluster CreateClusterFromBackup makes is left out of the desired state until the agent first
// reports it; that report must raise the region's revision, or the agent, already up to date,
// would never apply the cluster (and so never own it, nor delete it later).
import { describe, expect, it } from 'vitest';
import { backupClient, backupWorld, fromBackupClient, reportRegion, storedSpec } from './support/backup.ts';

describe('a restored cluster joining the desired state', () => {
  const { plane, world } = backupWorld('sqlite');

  it('raises the revision once, on its first status', async () => {
    const { accountId, region } = world();
    const headers = { headers: plane.auth() };
    const { backup } = await backupClient(plane).createBackup({ backup: { accountId, clusterId: world().clusters.a, displayName: 'b' } }, headers);
    const { cluster } = await fromBackupClient(plane).createClusterFromBackup({ accountId, backupId: backup!.id, clusterName: 'joined' }, headers);
    const id = cluster!.id;
    const { items } = await backupClient(plane).listBackupRestores({ accountId, clusterId: id }, headers);
    const origin = { restore: `qdrant-restore-${items[0]!.id}`, snapshot: backup!.name, sourceCluster: world().clusters.a };
    const before = await plane.cp.store.desiredState(region.id);
    expect(before.clusters.map((c) => c.id)).not.toContain(id);

    const { id: _id, ...spec } = { ...storedSpec(), id };
    await reportRegion(plane, region, { clusters: [{ id, phase: 'Pending', origin, spec }] });
    const joined = await plane.cp.store.desiredState(region.id);
    expect(joined.clusters.map((c) => c.id)).toContain(id);
    expect(Number(joined.revision)).toBeGreaterThan(Number(before.revision));

    // Its next status is no new desired state.
    await reportRegion(plane, region, { clusters: [{ id, phase: 'Healthy', origin, spec }] });
    expect((await plane.cp.store.desiredState(region.id)).revision).toBe(joined.revision);
  });
});
