import type { Duration } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError } from '@connectrpc/connect';
import { CronSchedule } from '@qhc/schemas';
import { hasControlCharacters } from '../../text.ts';
import { isUuid } from '../auth.ts';

// Field checks shared by the backup service's requests: each adds a problem naming the field
// (its proto path, snake_case) instead of throwing, so one answer lists them all.

export interface Problem {
  field: string;
  message: string;
}

/** The problems, or nothing when there are none. */
export class Problems {
  readonly list: Problem[] = [];
  add(field: string, message: string): void {
    this.list.push({ field, message });
  }
  /** InvalidArgument naming every field, when there is a problem. */
  throwIfAny(): void {
    if (this.list.length === 0) return;
    throw new ConnectError(this.list.map((p) => `${p.field}: ${p.message}`).join('; '), Code.InvalidArgument);
  }
}

export const invalid = (field: string, message: string): ConnectError => new ConnectError(`${field}: ${message}`, Code.InvalidArgument);

const quoted = (value: string) => JSON.stringify(value.slice(0, 64));

/** A UUID (required), lowercased; undefined after adding the problem. */
export function uuidField(problems: Problems, field: string, value: string): string | undefined {
  if (value === '') problems.add(field, 'is required');
  else if (!isUuid(value)) problems.add(field, `${quoted(value)} is not a UUID`);
  else return value.toLowerCase();
  return undefined;
}

/** A UUID given as a request's id: InvalidArgument at once (nothing else to check). */
export function requestId(field: string, value: string): string {
  const problems = new Problems();
  const id = uuidField(problems, field, value);
  problems.throwIfAny();
  return id!;
}

export const MAX_DISPLAY_NAME_LENGTH = 255;

/** A label for people: one line, at most 255 characters; `required` refuses empty. */
export function displayNameField(problems: Problems, field: string, value: string, required: boolean): void {
  if (value === '') {
    if (required) problems.add(field, 'is required');
  } else if (value.length > MAX_DISPLAY_NAME_LENGTH) problems.add(field, `must be at most ${MAX_DISPLAY_NAME_LENGTH} characters`);
  else if (hasControlCharacters(value)) problems.add(field, 'must be one line without control characters');
}

const DAY = 86_400;
export const MIN_RETENTION_SECONDS = DAY;
export const MAX_RETENTION_SECONDS = 365 * DAY;

/**
 * A retention of 1 to 365 days, in whole hours (the operator's retention is a number of hours):
 * the `<hours>h` the spec takes, or undefined when unset or refused.
 */
export function retentionField(problems: Problems, field: string, value: Duration | undefined): string | undefined {
  if (!value) return undefined;
  const seconds = Number(value.seconds);
  if (value.nanos !== 0 || seconds % 3600 !== 0) problems.add(field, 'must be a whole number of hours');
  else if (seconds < MIN_RETENTION_SECONDS || seconds > MAX_RETENTION_SECONDS) problems.add(field, 'must be between 1 day (86400s) and 365 days (31536000s)');
  else return `${seconds / 3600}h`;
  return undefined;
}

/** A cron schedule as the operator takes it (5 to 7 fields, or @daily and friends). */
export function scheduleField(problems: Problems, field: string, value: string): void {
  if (value === '') return problems.add(field, 'is required');
  const parsed = CronSchedule.safeParse(value);
  if (!parsed.success) problems.add(field, parsed.error.issues[0]?.message ?? 'is not a valid schedule');
}

/** A field the server sets: a client must leave it unset on create. */
export function serverOwned(problems: Problems, field: string, isSet: boolean): void {
  if (isSet) problems.add(field, 'is set by qhc; leave it unset');
}

export const MAX_PAGE_SIZE = 250;
