import type { MessageInitShape } from '@bufbuild/protobuf';
import type { qhcV1 } from '@qhc/cloud-api';

// The audit log's filters (strings as the form holds them) and how an event names its actor.

export interface AuditFilters {
  actor: string;
  objectType: string;
  objectId: string;
  method: string;
  /** `YYYY-MM-DDTHH:MM` (a datetime-local input), read as UTC; empty: no bound. */
  since: string;
  until: string;
}

export const noFilters: AuditFilters = { actor: '', objectType: '', objectId: '', method: '', since: '', until: '' };

type Request = MessageInitShape<typeof qhcV1.ListAuditEventsRequestSchema>;

/** A datetime-local value as a Timestamp (UTC); refuses what is not a time. */
export function timestampOf(text: string, field: string): { seconds: bigint } | undefined {
  if (!text.trim()) return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(ms)) throw new Error(`${field}: "${text}" is not a date and time`);
  return { seconds: BigInt(Math.floor(ms / 1000)) };
}

/** The filters as ListAuditEventsRequest (without page fields). */
export function auditRequest(accountId: string, f: AuditFilters): Request {
  const since = timestampOf(f.since, 'since');
  const until = timestampOf(f.until, 'until');
  return {
    accountId,
    actor: f.actor.trim(),
    objectType: f.objectType.trim(),
    objectId: f.objectId.trim(),
    method: f.method.trim(),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  };
}

/** AuditActorKind values (qhc.v1). */
const ACTOR_KIND = { USER: 1, MANAGEMENT_KEY: 2, SYSTEM: 3 } as const;

/** Who made a change, in words: the user's email, the key's prefix, or qhc. */
export function actorLabel(actor: { kind: number; id: string; email: string; keyPrefix: string } | undefined): string {
  if (!actor) return 'unknown';
  if (actor.kind === ACTOR_KIND.USER) return actor.email || actor.id;
  if (actor.kind === ACTOR_KIND.MANAGEMENT_KEY) return `management key ${actor.keyPrefix || actor.id}…`;
  if (actor.kind === ACTOR_KIND.SYSTEM) return 'qhc';
  return actor.id || 'unknown';
}

/** An rpc's full name, short: `qdrant.cloud.cluster.v1.ClusterService/CreateCluster` → `ClusterService/CreateCluster`. */
export const shortMethod = (method: string): string => method.replace(/^.*\.(?=[^./]+\/)/, '');

/** A Timestamp as `2026-12-04 20:15:03 UTC`. */
export const formatTime = (t: { seconds: bigint } | undefined): string =>
  t ? `${new Date(Number(t.seconds) * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC` : '—';
