import { clone, create } from '@bufbuild/protobuf';
import type { FieldMask } from '@bufbuild/protobuf/wkt';
import { BackupStatus, ScheduleStatus } from './enums.ts';
import { backupV1 } from '@qhc/cloud-api';
import { displayNameField, invalid, Problems, retentionField, scheduleField, serverOwned, uuidField } from './fields.ts';

// The backup service's create and update requests, checked (pure): the typed input and the
// message to store (as the client sent it), or InvalidArgument naming every field refused.

type Backup = backupV1.Backup;
type Schedule = backupV1.BackupSchedule;

export interface BackupInput {
  clusterId: string;
  /** `<hours>h`, or undefined: kept until deleted. */
  retention: string | undefined;
  message: Backup;
}

/** Every field of a new backup is the client's (used) or the server's (refused when set). */
export function parseCreateBackup(req: backupV1.CreateBackupRequest): BackupInput {
  const b = req.backup;
  if (!b) throw invalid('backup', 'is required');
  const problems = new Problems();
  const clusterId = uuidField(problems, 'backup.cluster_id', b.clusterId);
  displayNameField(problems, 'backup.display_name', b.displayName, true);
  const retention = retentionField(problems, 'backup.retention_period', b.retentionPeriod);
  serverOwned(problems, 'backup.id', b.id !== '');
  serverOwned(problems, 'backup.created_at', b.createdAt !== undefined);
  serverOwned(problems, 'backup.name', b.name !== '');
  serverOwned(problems, 'backup.status', b.status !== BackupStatus.UNSPECIFIED);
  serverOwned(problems, 'backup.deleted_at', b.deletedAt !== undefined);
  serverOwned(problems, 'backup.backup_duration', b.backupDuration !== undefined);
  serverOwned(problems, 'backup.backup_schedule_id', b.backupScheduleId !== undefined);
  serverOwned(problems, 'backup.cluster_info', b.clusterInfo !== undefined);
  serverOwned(problems, 'backup.price', b.price !== undefined);
  problems.throwIfAny();
  return { clusterId: clusterId!, retention, message: clone(backupV1.BackupSchema, b) };
}

/** UpdateBackup reads the id and the display name only (the proto says so); the rest describes the stored backup. */
export function parseUpdateBackup(req: backupV1.UpdateBackupRequest): { id: string; displayName: string } {
  const b = req.backup;
  if (!b) throw invalid('backup', 'is required');
  const problems = new Problems();
  const id = uuidField(problems, 'backup.id', b.id);
  displayNameField(problems, 'backup.display_name', b.displayName, true);
  problems.throwIfAny();
  return { id: id!, displayName: b.displayName };
}

export interface ScheduleInput {
  clusterId: string;
  schedule: string;
  retention: string | undefined;
  message: Schedule;
}

function checkScheduleFields(problems: Problems, s: Schedule): { clusterId?: string; retention?: string } {
  const clusterId = uuidField(problems, 'backup_schedule.cluster_id', s.clusterId);
  scheduleField(problems, 'backup_schedule.schedule', s.schedule);
  const retention = retentionField(problems, 'backup_schedule.retention_period', s.retentionPeriod);
  if (s.displayName !== undefined) displayNameField(problems, 'backup_schedule.display_name', s.displayName, false);
  return { ...(clusterId ? { clusterId } : {}), ...(retention ? { retention } : {}) };
}

export function parseCreateSchedule(req: backupV1.CreateBackupScheduleRequest): ScheduleInput {
  const s = req.backupSchedule;
  if (!s) throw invalid('backup_schedule', 'is required');
  const problems = new Problems();
  const { clusterId, retention } = checkScheduleFields(problems, s);
  serverOwned(problems, 'backup_schedule.id', s.id !== '');
  serverOwned(problems, 'backup_schedule.created_at', s.createdAt !== undefined);
  serverOwned(problems, 'backup_schedule.deleted_at', s.deletedAt !== undefined);
  serverOwned(problems, 'backup_schedule.status', s.status !== ScheduleStatus.UNSPECIFIED);
  problems.throwIfAny();
  return { clusterId: clusterId!, schedule: s.schedule, retention, message: clone(backupV1.BackupScheduleSchema, s) };
}

/** The fields an update may set, by their mask path; the others are the server's. */
const UPDATABLE = { cluster_id: 'clusterId', schedule: 'schedule', retention_period: 'retentionPeriod', display_name: 'displayName' } as const;
const READ_ONLY = new Set(['id', 'account_id', 'created_at', 'deleted_at', 'status']);

/** The client's fields of a schedule: the server's cleared (they are filled on every answer). */
export function clientFields(s: Schedule): Schedule {
  const copy = clone(backupV1.BackupScheduleSchema, s);
  copy.id = '';
  copy.createdAt = undefined;
  copy.deletedAt = undefined;
  copy.status = ScheduleStatus.UNSPECIFIED;
  return copy;
}

function maskedPaths(mask: FieldMask | undefined): Array<keyof typeof UPDATABLE> | undefined {
  if (!mask || mask.paths.length === 0) return undefined;
  const problems = new Problems();
  for (const path of mask.paths)
    if (READ_ONLY.has(path)) problems.add('update_mask', `${JSON.stringify(path)} is set by qhc and cannot be updated`);
    else if (!(path in UPDATABLE)) problems.add('update_mask', `${JSON.stringify(path.slice(0, 64))} is not a field of BackupSchedule`);
  problems.throwIfAny();
  return mask.paths as Array<keyof typeof UPDATABLE>;
}

/**
 * The stored schedule with the request's fields (all of them, or those in `update_mask`): the
 * message to store and what the operator's schedule becomes. The cluster never changes.
 */
export function parseUpdateSchedule(req: backupV1.UpdateBackupScheduleRequest, stored: Schedule): ScheduleInput {
  const s = req.backupSchedule!;
  const paths = maskedPaths(req.updateMask);
  let next: Schedule;
  if (paths) {
    next = clone(backupV1.BackupScheduleSchema, stored);
    const target = next as unknown as Record<string, unknown>;
    for (const path of paths) target[UPDATABLE[path]] = (s as unknown as Record<string, unknown>)[UPDATABLE[path]];
  } else next = clientFields(s);
  next.accountId = stored.accountId;
  const problems = new Problems();
  const { clusterId, retention } = checkScheduleFields(problems, next);
  if (clusterId && clusterId !== stored.clusterId.toLowerCase())
    problems.add('backup_schedule.cluster_id', 'cannot change: add a schedule for the other cluster');
  problems.throwIfAny();
  return { clusterId: clusterId!, schedule: next.schedule, retention, message: next };
}

export const emptySchedule = (): Schedule => create(backupV1.BackupScheduleSchema);
