// ClusterService.CreateClusterFromBackup (this module's function, served here by a test-only
// ClusterService behind the Cloud API's interceptors): a new cluster row in the backup's
// environment at once, made in the region by a QdrantClusterRestore; the desired state leaves
// it to the restore until the agent reports it, and the adoption does not make it twice.
import { Code } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { markClusterRestoresDeleted } from '../src/repositories/cloud-resources.ts';
import { listClusters } from '../src/repositories/clusters.ts';
import { backupClient, backupWorld, fromBackupClient, reportRegion, storedSpec } from './support/backup.ts';
import type { Dialect } from './support/cloud.ts';
import { sqlOn } from './support/sql.ts';

describe.each(['sqlite', 'postgres'] as const)('CreateClusterFromBackup on %s', (dialect: Dialect) => {
  const { plane, world } = backupWorld(dialect);
  const backups = () => backupClient(plane);
  const fromBackup = () => fromBackupClient(plane);

  it('makes a cluster named by id in the backup environment, restored by the region and adopted once', async () => {
    const { accountId, region } = world();
    const db = plane.cp.store.db;
    const { backup } = await backups().createBackup({ backup: { accountId, clusterId: world().clusters.a, displayName: 'b' } }, { headers: plane.auth() });
    const { cluster } = await fromBackup().createClusterFromBackup({ accountId, backupId: backup!.id, clusterName: 'restored_1' }, { headers: plane.auth() });
    expect(cluster).toMatchObject({ accountId, name: 'restored_1', cloudProviderId: 'hybrid', cloudProviderRegionId: region.id });
    expect(cluster!.configuration).toMatchObject({ numberOfNodes: 1, version: 'v1.12.4' });
    const id = cluster!.id;
    const listed = await listClusters(db, region.id, { limit: 100 });
    expect(listed.items.find((c) => c.id === id)).toMatchObject({ name: 'restored_1', spec: storedSpec(), apiKeys: { apiKey: 'alpha-api-key-123' } });
    const row = await sqlOn(db).one('SELECT object_id, origin FROM clusters WHERE id = $1', [id]);
    const { items: restores } = await backups().listBackupRestores({ accountId, clusterId: id }, { headers: plane.auth() });
    expect(restores).toEqual([expect.objectContaining({ clusterId: id, backupId: backup!.id })]);
    const origin = { restore: `qdrant-restore-${restores[0]!.id}`, snapshot: backup!.name, sourceCluster: world().clusters.a };
    expect({ objectId: row!.object_id, origin: JSON.parse(String(row!.origin)) }).toEqual({ objectId: id, origin });

    const before = await plane.cp.store.desiredState(region.id);
    expect(before.resources?.find((r) => r.name === origin.restore)?.spec).toEqual({
      source: { snapshotName: backup!.name, namespace: 'ns-env' },
      destination: { name: `qdrant-${id}`, namespace: 'ns-env', create: true },
    });
    // Not applied by the agent while the restore makes it.
    expect(before.clusters.map((c) => c.id)).not.toContain(id);
    // The operator made it; the agent reports it with its origin.
    const { id: _id, ...reportedSpec } = { ...storedSpec(), id };
    await reportRegion(plane, region, { clusters: [{ id, phase: 'Pending', origin, spec: reportedSpec }] });
    const after = await plane.cp.store.desiredState(region.id);
    expect(after.clusters.filter((c) => c.id === id)).toHaveLength(1);
    expect((await listClusters(db, region.id, { limit: 100 })).items.filter((c) => c.name === 'restored_1' || c.name === id)).toHaveLength(1);
  });

  it('stops the restore making a cluster deleted before the region reported it', async () => {
    const { accountId, clusters, region } = world();
    const { backup } = await backups().createBackup({ backup: { accountId, clusterId: clusters.a, displayName: 'b' } }, { headers: plane.auth() });
    const { cluster } = await fromBackup().createClusterFromBackup({ accountId, backupId: backup!.id, clusterName: 'short-lived' }, { headers: plane.auth() });
    const stamp = new Date(plane.clock.now).toISOString();
    expect(await markClusterRestoresDeleted(plane.cp.store.db, accountId, cluster!.id, stamp)).toBe(1);
    const { items } = await backups().listBackupRestores({ accountId, clusterId: cluster!.id }, { headers: plane.auth() });
    const deletions = (await plane.cp.store.desiredState(region.id)).resourceDeletions;
    expect(deletions).toContainEqual({ kind: 'QdrantClusterRestore', name: `qdrant-restore-${items[0]!.id}` });
    // Nothing else: the in-place restores and other clusters' restores stay.
    expect(await markClusterRestoresDeleted(plane.cp.store.db, accountId, cluster!.id, stamp)).toBe(0);
    expect(await markClusterRestoresDeleted(plane.cp.store.db, accountId, clusters.a, stamp)).toBe(0);
  });

  it('refuses a taken name, a malformed request and another account backup, writing nothing', async () => {
    const { accountId, other } = world();
    const { backup } = await backups().createBackup({ backup: { accountId, clusterId: world().clusters.b, displayName: 'b' } }, { headers: plane.auth() });
    await fromBackup().createClusterFromBackup({ accountId, backupId: backup!.id, clusterName: 'copy-of-beta' }, { headers: plane.auth() });
    const before = await sqlOn(plane.cp.store.db).all('SELECT id FROM clusters ORDER BY id');
    const call = (req: { accountId: string; backupId: string; clusterName: string }, key?: string) =>
      fromBackup().createClusterFromBackup(req, { headers: plane.auth(key) });
    await expect(call({ accountId, backupId: backup!.id, clusterName: 'copy-of-beta' })).rejects.toMatchObject({ code: Code.AlreadyExists });
    await expect(call({ accountId, backupId: backup!.id, clusterName: 'a b' })).rejects.toMatchObject({
      code: Code.InvalidArgument,
      rawMessage: expect.stringMatching(/^cluster_name: /),
    });
    await expect(call({ accountId, backupId: 'nope', clusterName: 'valid-name' })).rejects.toMatchObject({
      code: Code.InvalidArgument,
      rawMessage: expect.stringMatching(/^backup_id: /),
    });
    await expect(call({ accountId: other.accountId, backupId: backup!.id, clusterName: 'stolen' }, other.key)).rejects.toMatchObject({ code: Code.NotFound });
    expect(await sqlOn(plane.cp.store.db).all('SELECT id FROM clusters ORDER BY id')).toEqual(before);
  });
});
