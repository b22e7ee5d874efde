// Exact echo: any valid backup or schedule a client sends comes back from Get byte for byte,
// once the fields the server owns are cleared (a Terraform plan compares every field).
import { clone, create, toBinary } from '@bufbuild/protobuf';
import { durationFromMs } from '@bufbuild/protobuf/wkt';
import { backupV1 } from '@qhc/cloud-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasControlCharacters } from '../src/text.ts';
import { backupClient, backupWorld } from './support/backup.ts';

const RUNS = { seed: 21, numRuns: 200 };
const HOUR_MS = 3_600_000;

const retention = fc.option(
  fc.integer({ min: 24, max: 8760 }).map((hours) => durationFromMs(hours * HOUR_MS)),
  { nil: undefined },
);
const label = fc.string({ minLength: 1, maxLength: 255, unit: 'grapheme' }).filter((s) => s.length <= 255 && !hasControlCharacters(s));
/** One of the account's clusters, its id in either case (a UUID is case-insensitive; the echo keeps the case sent). */
const clusterOf = (ids: string[]) => fc.tuple(fc.constantFrom(...ids), fc.boolean()).map(([id, upper]) => (upper ? id.toUpperCase() : id));

const field = (min: number, max: number) =>
  fc.oneof(
    fc.integer({ min, max }).map(String),
    fc.constant('*'),
    fc.integer({ min: 1, max: Math.max(1, Math.floor(max / 2)) }).map((n) => `*/${n}`),
    fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
  );
const cron = fc.oneof(
  fc.constantFrom('@daily', '@hourly', '@weekly', '@monthly', '@yearly'),
  fc.tuple(field(0, 59), field(0, 23), field(1, 28), field(1, 12), field(0, 6)).map((parts) => parts.join(' ')),
);

/** The Get answer with the fields the server owns cleared: what the client sent, if the echo holds. */
function clientBackup(backup: backupV1.Backup): Uint8Array {
  const c = clone(backupV1.BackupSchema, backup);
  Object.assign(c, { id: '', createdAt: undefined, name: '', status: 0, deletedAt: undefined, backupDuration: undefined, clusterInfo: undefined });
  c.backupScheduleId = undefined;
  c.price = undefined;
  return toBinary(backupV1.BackupSchema, c);
}

function clientSchedule(schedule: backupV1.BackupSchedule): Uint8Array {
  const c = clone(backupV1.BackupScheduleSchema, schedule);
  Object.assign(c, { id: '', createdAt: undefined, deletedAt: undefined, status: 0 });
  return toBinary(backupV1.BackupScheduleSchema, c);
}

describe('backups and schedules come back as sent', () => {
  const { plane, world } = backupWorld('sqlite');

  it('echoes 200 random valid backups byte for byte', async () => {
    const client = backupClient(plane);
    const { accountId, clusters } = world();
    const backup = fc.record({ clusterId: clusterOf([clusters.a, clusters.b]), displayName: label, retentionPeriod: retention });
    await fc.assert(
      fc.asyncProperty(backup, async (fields) => {
        const sent = create(backupV1.BackupSchema, { accountId, ...fields });
        const { backup: made } = await client.createBackup({ backup: sent }, { headers: plane.auth() });
        const { backup: got } = await client.getBackup({ accountId, backupId: made!.id }, { headers: plane.auth() });
        expect(Buffer.from(clientBackup(got!)).equals(Buffer.from(toBinary(backupV1.BackupSchema, sent)))).toBe(true);
      }),
      RUNS,
    );
  });

  it('echoes 200 random valid schedules byte for byte', async () => {
    const client = backupClient(plane);
    const { accountId, clusters } = world();
    const schedule = fc.record({
      clusterId: clusterOf([clusters.a, clusters.b]),
      schedule: cron,
      retentionPeriod: retention,
      displayName: fc.option(fc.oneof(label, fc.constant('')), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(schedule, async (fields) => {
        const sent = create(backupV1.BackupScheduleSchema, { accountId, ...fields });
        const { backupSchedule: made } = await client.createBackupSchedule({ backupSchedule: sent }, { headers: plane.auth() });
        const { backupSchedule: got } = await client.getBackupSchedule({ accountId, backupScheduleId: made!.id }, { headers: plane.auth() });
        expect(Buffer.from(clientSchedule(got!)).equals(Buffer.from(toBinary(backupV1.BackupScheduleSchema, sent)))).toBe(true);
      }),
      RUNS,
    );
  });
});
