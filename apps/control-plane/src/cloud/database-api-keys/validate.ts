import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError } from '@connectrpc/connect';
import { databaseApiKeyV2 } from '@qhc/cloud-api';
import type { DatabaseApiKeySlot } from '@qhc/schemas';
import { isUuid } from '../auth.ts';

// Requests of DatabaseApiKeyService, checked before anything is read or written: every field is
// used or refused with a message naming it (the proto field path).

type DatabaseApiKey = databaseApiKeyV2.DatabaseApiKey;
// GlobalAccessRuleAccessType's values (READ_ONLY = 1, MANAGE = 2), from the enum's descriptor:
// @qhc/cloud-api's bundled declarations keep the enum's type but not its value object.
const accessType = (name: string) => databaseApiKeyV2.GlobalAccessRuleAccessTypeSchema.values.find((v) => v.name === name)!.number;
const READ_ONLY = accessType('GLOBAL_ACCESS_RULE_ACCESS_TYPE_READ_ONLY');
const MANAGE = accessType('GLOBAL_ACCESS_RULE_ACCESS_TYPE_MANAGE');

/** What CreateDatabaseApiKey needs once the request is valid. */
export interface CreateInput {
  clusterId: string;
  slot: DatabaseApiKeySlot;
  expiresAt?: string;
}

const NAME = /^[a-zA-Z0-9 _-]{4,128}$/;
const SERVER_OWNED = ['id', 'createdAt', 'createdByEmail', 'postfix', 'key'] as const;
const SNAKE: Record<(typeof SERVER_OWNED)[number], string> = {
  id: 'id',
  createdAt: 'created_at',
  createdByEmail: 'created_by_email',
  postfix: 'postfix',
  key: 'key',
};

const quoted = (value: string) => JSON.stringify(value.slice(0, 64));

/** InvalidArgument naming every problem, or nothing. */
export function refuseProblems(problems: string[]): void {
  if (problems.length > 0) throw new ConnectError(problems.join('; '), Code.InvalidArgument);
}

export function uuidProblem(field: string, value: string, required = true): string | undefined {
  if (value === '') return required ? `${field}: missing` : undefined;
  return isUuid(value) ? undefined : `${field}: ${quoted(value)} is not a UUID`;
}

const at = (i: number) => `database_api_key.access_rules[${i}]`;

/** The slot a key's rules fill (none: full access, the read-write slot), or the problems. */
function slotOf(rules: DatabaseApiKey['accessRules'], problems: string[]): DatabaseApiKeySlot {
  let slot: DatabaseApiKeySlot = 'readWrite';
  rules.forEach((rule, i) => {
    if (rule.scope.case === 'collectionAccess')
      problems.push(`${at(i)}.collection_access: not supported by qhc: collection-scoped keys need Qdrant's JWT RBAC, which qhc does not issue yet`);
    else if (rule.scope.case !== 'globalAccess') problems.push(`${at(i)}: set global_access (collection_access is not supported)`);
    else if (i > 0) problems.push(`${at(i)}: at most one global access rule: a key fills one of Qdrant's two key slots`);
    else if (rule.scope.value.accessType === MANAGE) slot = 'readWrite';
    else if (rule.scope.value.accessType === READ_ONLY) slot = 'readOnly';
    else
      problems.push(
        `${at(i)}.global_access.access_type: must be GLOBAL_ACCESS_RULE_ACCESS_TYPE_READ_ONLY or GLOBAL_ACCESS_RULE_ACCESS_TYPE_MANAGE, got ${rule.scope.value.accessType}`,
      );
  });
  return slot;
}

function expiryOf(expiresAt: Timestamp | undefined, now: number, problems: string[]): string | undefined {
  if (!expiresAt) return undefined;
  const field = 'database_api_key.expires_at';
  if (expiresAt.nanos < 0 || expiresAt.nanos > 999_999_999) return void problems.push(`${field}: nanos must be between 0 and 999999999`);
  const date = timestampDate(expiresAt);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() > 9999) return void problems.push(`${field}: not a valid time`);
  if (date.getTime() <= now) return void problems.push(`${field}: ${date.toISOString()} is not in the future`);
  return date.toISOString();
}

/** The checked request, or InvalidArgument naming every refused field. */
export function parseCreate(key: DatabaseApiKey | undefined, now: number): CreateInput {
  if (!key) throw new ConnectError('database_api_key: missing', Code.InvalidArgument);
  const problems: string[] = [];
  for (const field of SERVER_OWNED) {
    const value = key[field];
    if (value !== undefined && value !== '') problems.push(`database_api_key.${SNAKE[field]}: set by qhc; leave it empty`);
  }
  const cluster = uuidProblem('database_api_key.cluster_id', key.clusterId);
  if (cluster) problems.push(cluster);
  if (!NAME.test(key.name)) problems.push(`database_api_key.name: ${quoted(key.name)} must be 4 to 128 letters, digits, spaces, '_' or '-'`);
  const slot = slotOf(key.accessRules, problems);
  const expiresAt = expiryOf(key.expiresAt, now, problems);
  refuseProblems(problems);
  return { clusterId: key.clusterId.toLowerCase(), slot, ...(expiresAt ? { expiresAt } : {}) };
}

/** How a slot is named to people. */
export const slotWords = (slot: DatabaseApiKeySlot) => (slot === 'readWrite' ? 'read-write' : 'read-only');
