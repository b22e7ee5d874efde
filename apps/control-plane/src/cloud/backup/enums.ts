import type { GenEnum } from '@bufbuild/protobuf/codegenv2';
import { backupV1 } from '@qhc/cloud-api';

// The backup service's enum values, read from their descriptors: @qhc/cloud-api's bundled type
// declarations export the generated enum objects as types only (the values exist at run time).

function values<T extends number, const N extends string>(schema: GenEnum<T>, names: readonly N[]): Record<N, T> {
  return Object.fromEntries(
    names.map((name) => {
      const value = schema.values.find((v) => v.localName === name);
      if (!value) throw new Error(`${schema.typeName} has no value ${name}`);
      return [name, value.number as T];
    }),
  ) as Record<N, T>;
}

export const BackupStatus = values(backupV1.BackupStatusSchema, ['UNSPECIFIED', 'RUNNING', 'SKIPPED', 'FAILED', 'SUCCEEDED', 'UNKNOWN']);
export const ScheduleStatus = values(backupV1.BackupScheduleStatusSchema, ['UNSPECIFIED', 'ACTIVE', 'DISABLED']);
export const RestoreStatus = values(backupV1.BackupRestoreStatusSchema, ['UNSPECIFIED', 'RUNNING', 'FAILED', 'SUCCEEDED', 'SKIPPED']);
