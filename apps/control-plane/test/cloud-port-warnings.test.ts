// region-health.test.ts's warnings on the Cloud API: CreateCluster in an environment whose
// StorageClass cannot expand (or does not exist) creates the cluster and says so in a Warning
// response header, over gRPC and through the REST gateway; a class that can expand says nothing.
// CreateBackup and CreateBackupSchedule in an environment without snapshot support warn too.
import { describe, expect, it } from 'vitest';
import { cloudPlane } from './support/cloud.ts';
import { backupClient } from './support/backup.ts';
import { clusterClient, clusterInit, makeRegion } from './support/cloud-clusters.ts';
import { callApi } from './support/http.ts';
import { healthReport, report } from './support/qhc.ts';

const FIXED =
  '299 - "StorageClass \\"fast\\" does not allow volume expansion: this cluster\'s storage cannot grow later (set allowVolumeExpansion: true on the class, or use another one)"';

/** The Warning header of the call's answer (null: none). */
async function warned(call: (onHeader: (h: Headers) => void) => Promise<unknown>): Promise<string | null> {
  let warning: string | null = null;
  await call((h) => (warning = h.get('warning')));
  return warning as string | null;
}

describe('warnings of CreateCluster', () => {
  const plane = cloudPlane('sqlite');
  const rest = cloudPlane('sqlite', { https: false });

  it('over gRPC: storage that cannot grow, or a StorageClass the environment lacks, is told in a Warning header; the cluster is created', async () => {
    const region = await makeRegion(plane, 'warned');
    const storageClasses = [
      { name: 'fast', provisioner: 'ebs.csi.aws.com', default: true, allowVolumeExpansion: false, reclaimPolicy: 'Delete' as const },
      { name: 'grow', provisioner: 'ebs.csi.aws.com', default: false, allowVolumeExpansion: true, reclaimPolicy: 'Delete' as const },
    ];
    await report(plane, region.id, { health: healthReport({ storageClasses }) });
    const create = async (name: string, databaseStorageClass?: string) => {
      let warning: string | null = null;
      const configuration = databaseStorageClass ? { clusterStorageConfiguration: { databaseStorageClass } } : {};
      const sent = clusterInit(plane.cp.accountId, region.id, name, configuration);
      const { cluster } = await clusterClient(plane).createCluster({ cluster: sent }, { headers: plane.auth(), onHeader: (h) => (warning = h.get('warning')) });
      return { cluster, warning: warning as string | null };
    };
    const fixed = await create('c-fixed');
    expect([fixed.cluster?.name, fixed.warning]).toEqual(['c-fixed', FIXED]);
    expect((await create('c-grow', 'grow')).warning).toBeNull();
    const missing = await create('c-missing', 'nope');
    expect(missing.cluster?.name).toBe('c-missing');
    expect(missing.warning).toContain('StorageClass \\"nope\\" does not exist in region');
  });

  it('through the REST gateway: the same Warning header on the 200', async () => {
    const region = await makeRegion(rest, 'warned-rest');
    await report(rest, region.id, {
      health: healthReport({ storageClasses: [{ name: 'fast', provisioner: 'x', default: true, allowVolumeExpansion: false, reclaimPolicy: 'Delete' }] }),
    });
    const accountId = rest.cp.accountId;
    const body = { cluster: clusterInit(accountId, region.id, 'c-rest') };
    const created = await callApi(rest.cp.url, 'POST', `/api/cluster/v1/accounts/${accountId}/clusters`, { body, headers: rest.auth() });
    expect([created.status, created.headers.get('warning')]).toEqual([200, FIXED]);
  });

  it('a backup or schedule in an environment without snapshot support warns; with it, it does not', async () => {
    const region = await makeRegion(plane, 'snapshots');
    await report(plane, region.id, { health: healthReport() });
    const accountId = plane.cp.accountId;
    const { cluster } = await clusterClient(plane).createCluster({ cluster: clusterInit(accountId, region.id, 'snapped') }, { headers: plane.auth() });
    const backups = backupClient(plane);
    const backup = (onHeader: (h: Headers) => void) =>
      backups.createBackup({ backup: { accountId, clusterId: cluster!.id, displayName: 'b' } }, { headers: plane.auth(), onHeader });
    const schedule = (onHeader: (h: Headers) => void) =>
      backups.createBackupSchedule({ backupSchedule: { accountId, clusterId: cluster!.id, schedule: '0 2 * * *' } }, { headers: plane.auth(), onHeader });
    expect(await warned(backup)).toMatch(
      /^299 - "region snapshots cannot take volume snapshots .*: this backup will fail until snapshot support is installed"$/,
    );
    expect(await warned(schedule)).toMatch(/^299 - "region snapshots /);
    const snapshots = healthReport({
      volumeSnapshotClasses: [{ name: 'csi-snapclass', driver: 'ebs.csi.aws.com', default: true, deletionPolicy: 'Delete' }],
      capabilities: { volumeSnapshot: true, volumeExpansion: true },
    });
    await report(plane, region.id, { health: snapshots });
    expect(await warned(backup)).toBeNull();
    expect(await warned(schedule)).toBeNull();
  });
});
