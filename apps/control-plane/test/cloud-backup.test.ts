// BackupService's backups over gRPC (HTTP/2 + TLS): each a QdrantClusterSnapshot named after its
// UUID in the cluster's region; read, listed, paged, renamed and deleted; their status is what
// the agent reports.
import { toBinary } from '@bufbuild/protobuf';
import { durationFromMs } from '@bufbuild/protobuf/wkt';
import { backupV1 } from '@qhc/cloud-api';
import { describe, expect, it } from 'vitest';
import { BackupStatus } from '../src/cloud/backup/enums.ts';
import { markClusterBackupsDeleted } from '../src/repositories/cloud-resources.ts';
import { backupClient, backupWorld, reportRegion } from './support/backup.ts';
import type { Dialect } from './support/cloud.ts';
import { callApi } from './support/http.ts';
import { sqlOn } from './support/sql.ts';

const DAY_MS = 86_400_000;
const observedPhase = (name: string, phase: string) => ({ kind: 'QdrantClusterSnapshot', name, status: { phase } });
const same = (a: backupV1.Backup, b: backupV1.Backup) =>
  Buffer.from(toBinary(backupV1.BackupSchema, a)).equals(Buffer.from(toBinary(backupV1.BackupSchema, b)));

describe.each(['sqlite', 'postgres'] as const)('backups on %s', (dialect: Dialect) => {
  const { plane, world } = backupWorld(dialect);
  const client = () => backupClient(plane);
  const desired = () => plane.cp.store.desiredState(world().region.id);

  it('takes a backup as a QdrantClusterSnapshot named after its id, and answers it back', async () => {
    const { accountId, clusters, region } = world();
    const sent = { accountId, clusterId: clusters.a, displayName: 'before upgrade', retentionPeriod: durationFromMs(7 * DAY_MS) };
    const { backup } = await client().createBackup({ backup: sent }, { headers: plane.auth() });
    expect(backup).toMatchObject({ ...sent, name: `qdrant-backup-${backup!.id}`, status: BackupStatus.UNSPECIFIED });
    expect(backup!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(backup!.createdAt?.seconds).toBe(BigInt(plane.clock.now / 1000));
    expect(backup!.clusterInfo).toMatchObject({ name: 'alpha', cloudProviderId: 'hybrid', cloudProviderRegionId: region.id });
    expect(backup!.clusterInfo?.configuration).toMatchObject({ numberOfNodes: 1, version: 'v1.12.4' });
    expect(backup!.clusterInfo?.resourcesSummary).toMatchObject({ cpu: { amount: 1000, unit: 'm' }, ram: { amount: 1, unit: 'Gi' } });
    // What the agent applies: the operator's snapshot of the cluster's objects (qdrant-<cluster id>).
    expect((await desired()).resources).toContainEqual({
      kind: 'QdrantClusterSnapshot',
      name: backup!.name,
      clusterId: clusters.a,
      spec: { 'cluster-id': clusters.a, retention: '168h' },
    });
    const got = await client().getBackup({ accountId, backupId: backup!.id }, { headers: plane.auth() });
    expect(same(got.backup!, backup!)).toBe(true);
  });

  it('lists the account backups, of one cluster, a page at a time', async () => {
    const { accountId, clusters } = world();
    const make = (clusterId: string, displayName: string) =>
      client().createBackup({ backup: { accountId, clusterId, displayName } }, { headers: plane.auth() });
    const b1 = (await make(clusters.b, 'one')).backup!;
    const b2 = (await make(clusters.b, 'two')).backup!;
    const ofB = await client().listBackups({ accountId, clusterId: clusters.b }, { headers: plane.auth() });
    expect(ofB.items.map((b) => b.id).toSorted()).toEqual([b1.id, b2.id].toSorted());
    expect(ofB.totalSize).toBeUndefined();
    const all = await client().listBackups({ accountId }, { headers: plane.auth() });
    expect(all.items.some((b) => b.clusterId === clusters.a)).toBe(true);
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await client().listBackups(
        { accountId, clusterId: clusters.b, pageSize: 1, ...(pageToken ? { pageToken } : {}) },
        { headers: plane.auth() },
      );
      expect(page.items).toHaveLength(1);
      expect(page.totalSize).toBe(2);
      seen.push(page.items[0]!.id);
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen).toEqual(ofB.items.map((b) => b.id));
  });

  it('renames a backup without touching the region, and deletes it through the agent', async () => {
    const { accountId, clusters, region } = world();
    const { backup } = await client().createBackup({ backup: { accountId, clusterId: clusters.a, displayName: 'old' } }, { headers: plane.auth() });
    const revision = (await desired()).revision;
    const renamed = await client().updateBackup({ backup: { ...backup!, displayName: 'new' } }, { headers: plane.auth() });
    expect(renamed.backup).toMatchObject({ id: backup!.id, displayName: 'new', name: backup!.name });
    expect((await desired()).revision).toBe(revision);
    await client().deleteBackup({ accountId, backupId: backup!.id }, { headers: plane.auth() });
    const deleting = await client().getBackup({ accountId, backupId: backup!.id }, { headers: plane.auth() });
    expect(deleting.backup!.deletedAt?.seconds).toBe(BigInt(plane.clock.now / 1000));
    expect((await desired()).resourceDeletions).toContainEqual({ kind: 'QdrantClusterSnapshot', name: backup!.name });
    // The agent, up to date, no longer has it: the backup is gone.
    await reportRegion(plane, region, { resources: [] });
    await expect(client().getBackup({ accountId, backupId: backup!.id }, { headers: plane.auth() })).rejects.toMatchObject({ code: 5 });
  });
});

describe('backup statuses from the agent report', () => {
  const { plane, world } = backupWorld('sqlite');
  const client = () => backupClient(plane);

  it('follows the operator phase: running, then succeeded with how long it took, or failed', async () => {
    const { accountId, clusters, region } = world();
    const take = async () =>
      (await client().createBackup({ backup: { accountId, clusterId: clusters.a, displayName: 'b' } }, { headers: plane.auth() })).backup!;
    const [ok, bad] = [await take(), await take()];
    const observed = (name: string, status: Record<string, unknown>) => ({ kind: 'QdrantClusterSnapshot', name, spec: { 'cluster-id': clusters.a }, status });
    const get = async (id: string) => (await client().getBackup({ accountId, backupId: id }, { headers: plane.auth() })).backup!;
    await reportRegion(plane, region, { resources: [observed(ok.name, { phase: 'Running' }), observed(bad.name, { phase: 'Running' })] });
    expect((await get(ok.id)).status).toBe(BackupStatus.RUNNING);
    const done = { phase: 'Succeeded', startedAt: '2026-01-01T00:00:00Z', completedAt: '2026-01-01T00:01:30Z' };
    await reportRegion(plane, region, { resources: [observed(ok.name, done), observed(bad.name, { phase: 'Failed', message: 'no CSI driver' })] });
    const succeeded = await get(ok.id);
    expect(succeeded.status).toBe(BackupStatus.SUCCEEDED);
    expect(succeeded.backupDuration?.seconds).toBe(90n);
    expect((await get(bad.id)).status).toBe(BackupStatus.FAILED);
  });

  it('says unknown for a backup under way once the agent has been silent for two minutes; a finished one keeps its status', async () => {
    const { accountId, clusters, region } = world();
    const take = async () =>
      (await client().createBackup({ backup: { accountId, clusterId: clusters.a, displayName: 'b' } }, { headers: plane.auth() })).backup!;
    const [running, done] = [await take(), await take()];
    const get = async (id: string) => (await client().getBackup({ accountId, backupId: id }, { headers: plane.auth() })).backup!.status;
    await reportRegion(plane, region, { resources: [observedPhase(running.name, 'Running'), observedPhase(done.name, 'Succeeded')] });
    // The report is stamped by the wall clock: set to the control plane's, which the test moves.
    await sqlOn(plane.cp.store.db).run('UPDATE regions SET last_seen_at = $1 WHERE id = $2', [new Date(plane.clock.now).toISOString(), region.id]);
    expect([await get(running.id), await get(done.id)]).toEqual([BackupStatus.RUNNING, BackupStatus.SUCCEEDED]);
    plane.clock.now += 120_001;
    try {
      expect([await get(running.id), await get(done.id)]).toEqual([BackupStatus.UNKNOWN, BackupStatus.SUCCEEDED]);
    } finally {
      plane.clock.now -= 120_001;
    }
  });

  it('lists a backup made through /api/v1 with its cluster and its name as the label', async () => {
    const { accountId, clusters, region } = world();
    const store = plane.cp.store;
    await store.createResource(region, 'backups', { name: 'by-hand', clusterId: 'legacy', spec: { 'cluster-id': 'legacy', retention: '24h' } });
    const listed = await client().listBackups({ accountId, clusterId: clusters.legacy }, { headers: plane.auth() });
    expect(listed.items).toEqual([
      expect.objectContaining({
        name: 'by-hand',
        displayName: 'by-hand',
        clusterId: clusters.legacy,
        retentionPeriod: expect.objectContaining({ seconds: 86_400n }),
      }),
    ]);
  });
});

describe('backups over the REST gateway', () => {
  const { plane, world } = backupWorld('sqlite', { https: false });

  it('takes and reads a backup in proto JSON, and answers 404 for one that does not exist', async () => {
    const { accountId, clusters } = world();
    const base = `/api/cluster/backup/v1/accounts/${accountId}/backups`;
    const sent = { accountId, clusterId: clusters.b, displayName: 'over rest', retentionPeriod: '86400s' };
    const made = await callApi(plane.cp.url, 'POST', base, { body: { backup: sent }, headers: plane.auth() });
    expect(made.status).toBe(200);
    const id = made.json.backup.id as string;
    const got = await callApi(plane.cp.url, 'GET', `${base}/${id}`, { headers: plane.auth() });
    expect(got.json.backup).toMatchObject({ ...sent, id, name: `qdrant-backup-${id}` });
    const missing = await callApi(plane.cp.url, 'GET', `${base}/00000000-0000-4000-8000-000000000000`, { headers: plane.auth() });
    expect([missing.status, missing.json.code]).toEqual([404, 5]);
  });
});

describe("deleting a cluster's backups (DeleteCluster with delete_backups)", () => {
  const { plane, world } = backupWorld('sqlite');

  it('marks every backup of the cluster deleted, those a schedule took in the region too, and no other', async () => {
    const { accountId, clusters, region } = world();
    const client = backupClient(plane);
    const take = async (clusterId: string) =>
      (await client.createBackup({ backup: { accountId, clusterId, displayName: 'b' } }, { headers: plane.auth() })).backup!;
    const [mine, theirs] = [await take(clusters.a), await take(clusters.b)];
    const taken = { kind: 'QdrantClusterSnapshot', name: 'qdrant-schedule-x-1767225600', spec: { 'cluster-id': clusters.a, scheduleShortId: 'x' } };
    await reportRegion(plane, region, { resources: [taken] });
    const db = plane.cp.store.db;
    expect(await markClusterBackupsDeleted(db, accountId, { regionId: region.id, objectId: clusters.a }, new Date(plane.clock.now).toISOString())).toBe(2);
    const deletions = (await plane.cp.store.desiredState(region.id)).resourceDeletions;
    expect(deletions).toEqual(
      expect.arrayContaining([
        { kind: 'QdrantClusterSnapshot', name: mine.name },
        { kind: 'QdrantClusterSnapshot', name: taken.name },
      ]),
    );
    expect(deletions).not.toContainEqual({ kind: 'QdrantClusterSnapshot', name: theirs.name });
  });
});
