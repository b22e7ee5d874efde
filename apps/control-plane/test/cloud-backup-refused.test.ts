// BackupService refusals: each malformed request answers its code with a message naming the
// field (proto path), another account's ids answer NotFound, and nothing is written.
import { clone, create, type MessageInitShape } from '@bufbuild/protobuf';
import { durationFromMs } from '@bufbuild/protobuf/wkt';
import { Code, type ConnectError } from '@connectrpc/connect';
import { backupV1 } from '@qhc/cloud-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { backupClient, backupDigest, backupWorld, type BackupWorld } from './support/backup.ts';
import { failure } from './support/cloud.ts';

const HOUR_MS = 3_600_000;
const MISSING = '00000000-0000-4000-8000-000000000000';
type Client = ReturnType<typeof backupClient>;
type Case = [string, (c: Client) => Promise<unknown>, Code, RegExp];

/** The requests refused, each with the code and the start of the message it answers. */
function malformed(w: BackupWorld, backupId: string, schedule: backupV1.BackupSchedule): Case[] {
  const { accountId } = w;
  const clusterId = w.clusters.a;
  const backup = (fields: MessageInitShape<typeof backupV1.BackupSchema>) => (c: Client) =>
    c.createBackup({ backup: { accountId, clusterId, displayName: 'x', ...fields } });
  const sched = (fields: MessageInitShape<typeof backupV1.BackupScheduleSchema>) => (c: Client) =>
    c.createBackupSchedule({ backupSchedule: { accountId, clusterId, schedule: '@daily', ...fields } });
  const update = (fields: Partial<Pick<backupV1.BackupSchedule, 'id' | 'clusterId' | 'schedule'>>, paths?: string[]) => (c: Client) =>
    c.updateBackupSchedule({
      backupSchedule: Object.assign(clone(backupV1.BackupScheduleSchema, schedule), fields),
      ...(paths ? { updateMask: { paths } } : {}),
    });
  const I = Code.InvalidArgument;
  return [
    // The account check (backup.account_id) comes first: a request without the message has none.
    ['no backup', (c) => c.createBackup({}), I, /^backup\.account_id: missing/],
    ['no cluster', backup({ clusterId: '' }), I, /^backup\.cluster_id: is required/],
    ['cluster not a UUID', backup({ clusterId: 'alpha' }), I, /^backup\.cluster_id: "alpha" is not a UUID/],
    ['unknown cluster', backup({ clusterId: MISSING }), Code.NotFound, /^backup\.cluster_id: cluster .* does not exist/],
    ['no display name', backup({ displayName: '' }), I, /^backup\.display_name: is required/],
    ['two-line display name', backup({ displayName: 'a\nb' }), I, /^backup\.display_name: must be one line/],
    ['long display name', backup({ displayName: 'x'.repeat(256) }), I, /^backup\.display_name: must be at most 255/],
    ['retention of an hour', backup({ retentionPeriod: durationFromMs(HOUR_MS) }), I, /^backup\.retention_period: must be between 1 day/],
    ['retention of 400 days', backup({ retentionPeriod: durationFromMs(400 * 24 * HOUR_MS) }), I, /^backup\.retention_period: must be between/],
    ['retention not in hours', backup({ retentionPeriod: durationFromMs(36.5 * HOUR_MS) }), I, /^backup\.retention_period: must be a whole number of hours/],
    ['id given', backup({ id: MISSING }), I, /^backup\.id: is set by qhc/],
    ['status given', backup({ status: 4 }), I, /^backup\.status: is set by qhc/],
    ['schedule id given', backup({ backupScheduleId: MISSING }), I, /^backup\.backup_schedule_id: is set by qhc/],
    ['no schedule', (c) => c.createBackupSchedule({}), I, /^backup_schedule\.account_id: missing/],
    ['empty cron', sched({ schedule: '' }), I, /^backup_schedule\.schedule: is required/],
    ['words for cron', sched({ schedule: 'every day' }), I, /^backup_schedule\.schedule: is not a valid schedule/],
    ['minute 61', sched({ schedule: '61 * * * *' }), I, /^backup_schedule\.schedule: is not a valid schedule/],
    ['schedule retention 12h', sched({ retentionPeriod: durationFromMs(12 * HOUR_MS) }), I, /^backup_schedule\.retention_period: /],
    ['schedule status given', sched({ status: 1 }), I, /^backup_schedule\.status: is set by qhc/],
    ['mask of a server field', update({}, ['created_at']), I, /^update_mask: "created_at" is set by qhc/],
    ['mask of no field', update({}, ['bogus']), I, /^update_mask: "bogus" is not a field/],
    ['another cluster', update({ clusterId: w.clusters.b }), I, /^backup_schedule\.cluster_id: cannot change/],
    ['schedule id not a UUID', update({ id: 'nope' }), I, /^backup_schedule\.id: "nope" is not a UUID/],
    ['bad cron on update', update({ schedule: '* *' }, ['schedule']), I, /^backup_schedule\.schedule: /],
    ['rename to nothing', (c) => c.updateBackup({ backup: { accountId, id: backupId, displayName: '' } }), I, /^backup\.display_name: is required/],
    ['page size 0', (c) => c.listBackups({ accountId, pageSize: 0 }), I, /^page_size: must be between 1 and 250/],
    ['page size 251', (c) => c.listBackupSchedules({ accountId, pageSize: 251 }), I, /^page_size: /],
    ['page token', (c) => c.listBackupRestores({ accountId, pageToken: 'not a token' }), I, /^page_token: /],
    ['list filter', (c) => c.listBackups({ accountId, clusterId: 'alpha' }), I, /^cluster_id: "alpha" is not a UUID/],
    ['backup id', (c) => c.getBackup({ accountId, backupId: 'b1' }), I, /^backup_id: "b1" is not a UUID/],
    ['unknown backup', (c) => c.deleteBackup({ accountId, backupId: MISSING }), Code.NotFound, /^backup 0{8}-.* does not exist/],
    ['unknown schedule', (c) => c.deleteBackupSchedule({ accountId, backupScheduleId: MISSING }), Code.NotFound, /^backup schedule .* does not exist/],
  ];
}

describe('malformed backup requests', () => {
  const { plane, world } = backupWorld('sqlite');
  let backupId = '';
  let schedule = create(backupV1.BackupScheduleSchema);
  beforeAll(async () => {
    const client = backupClient(plane);
    const { accountId, clusters } = world();
    backupId = (await client.createBackup({ backup: { accountId, clusterId: clusters.a, displayName: 'kept' } }, { headers: plane.auth() })).backup!.id;
    const sent = { accountId, clusterId: clusters.a, schedule: '@hourly' };
    schedule = (await client.createBackupSchedule({ backupSchedule: sent }, { headers: plane.auth() })).backupSchedule!;
  });

  it('answers each with its code and field, writing nothing', async () => {
    const client = backupClient(plane);
    const cases = malformed(world(), backupId, schedule);
    expect(cases.length).toBeGreaterThanOrEqual(15);
    const before = await backupDigest(plane);
    for (const [what, call, code, message] of cases) {
      const error = (await failure(call(withKey(client, plane.auth())))) as ConnectError;
      expect([what, error.code, error.rawMessage]).toEqual([what, code, expect.stringMatching(message)]);
    }
    expect(await backupDigest(plane)).toEqual(before);
  });
});

/** The client with `headers` on every call. */
function withKey(client: Client, headers: Record<string, string>): Client {
  return new Proxy(client, {
    get: (target, method) => (req: unknown) => (target[method as keyof Client] as (r: unknown, o: unknown) => Promise<unknown>)(req, { headers }),
  });
}

describe.each(['sqlite', 'postgres'] as const)("another account's backups on %s", (dialect) => {
  const { plane, world } = backupWorld(dialect);

  it('answers NotFound for ids of another account, whichever key asks, writing nothing', async () => {
    const client = backupClient(plane);
    const { accountId, clusters, other } = world();
    const mine = { headers: plane.auth() };
    const backupId = (await client.createBackup({ backup: { accountId, clusterId: clusters.a, displayName: 'mine' } }, mine)).backup!.id;
    const sent = { accountId, clusterId: clusters.a, schedule: '@daily' };
    const schedule = (await client.createBackupSchedule({ backupSchedule: sent }, mine)).backupSchedule!;
    const theirs = { headers: plane.auth(other.key) };
    const them = other.accountId;
    const before = await backupDigest(plane);
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['get backup', () => client.getBackup({ accountId: them, backupId }, theirs)],
      ['rename backup', () => client.updateBackup({ backup: { accountId: them, id: backupId, displayName: 'x' } }, theirs)],
      ['delete backup', () => client.deleteBackup({ accountId: them, backupId }, theirs)],
      ['restore backup', () => client.restoreBackup({ accountId: them, backupId }, theirs)],
      ['back up my cluster', () => client.createBackup({ backup: { accountId: them, clusterId: clusters.a, displayName: 'x' } }, theirs)],
      ['schedule my cluster', () => client.createBackupSchedule({ backupSchedule: { accountId: them, clusterId: clusters.a, schedule: '@daily' } }, theirs)],
      ['get schedule', () => client.getBackupSchedule({ accountId: them, backupScheduleId: schedule.id }, theirs)],
      ['update schedule', () => client.updateBackupSchedule({ backupSchedule: { ...schedule, accountId: them } }, theirs)],
      ['delete schedule', () => client.deleteBackupSchedule({ accountId: them, backupScheduleId: schedule.id }, theirs)],
      ['back up their cluster', () => client.createBackup({ backup: { accountId, clusterId: other.cluster, displayName: 'x' } }, mine)],
    ];
    for (const [what, call] of calls) expect([what, ((await failure(call())) as ConnectError).code]).toEqual([what, Code.NotFound]);
    expect((await client.listBackups({ accountId: them }, theirs)).items).toEqual([]);
    expect((await client.listBackupSchedules({ accountId: them }, theirs)).items).toEqual([]);
    expect(await backupDigest(plane)).toEqual(before);
  });
});
