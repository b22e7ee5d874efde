import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import type { ServiceImpl } from '@connectrpc/connect';
import { qhcV1 } from '@qhc/cloud-api';
import { toPage } from '../../pages.ts';
import { listAuditEvents, type AuditEventRow } from '../../repositories/audit-events.ts';
import { callerOf, type CloudDeps } from '../context.ts';
import { pageOf } from '../qhc/fields.ts';

// qhc.v1.AuditLogService: an account's audit trail, newest first, a page at a time. The auth
// interceptor has checked the account and (the method's option) `read:audit_log`.

const KINDS: Record<string, qhcV1.AuditActorKind> = {
  user: qhcV1.AuditActorKind.USER,
  management_key: qhcV1.AuditActorKind.MANAGEMENT_KEY,
  system: qhcV1.AuditActorKind.SYSTEM,
};

export const toAuditEvent = (row: AuditEventRow) =>
  create(qhcV1.AuditEventSchema, {
    id: row.id,
    accountId: row.account_id,
    occurredAt: timestampFromDate(new Date(row.occurred_at)),
    actor: {
      kind: KINDS[row.actor_kind] ?? qhcV1.AuditActorKind.UNSPECIFIED,
      id: row.actor_id,
      email: row.actor_kind === 'user' ? row.actor_label : '',
      keyPrefix: row.actor_kind === 'management_key' ? row.actor_label : '',
    },
    method: row.method,
    objectType: row.object_type,
    objectId: row.object_id,
    beforeSummary: row.before_summary ?? '',
    afterSummary: row.after_summary ?? '',
    remoteAddress: row.remote_address ?? '',
  });

const isoOf = (time: Timestamp | undefined) => (time ? timestampDate(time).toISOString() : undefined);

export function auditLogService(deps: CloudDeps): ServiceImpl<typeof qhcV1.AuditLogService> {
  return {
    async listAuditEvents(req, ctx) {
      const page = pageOf(req, 2);
      const filter = {
        accountId: callerOf(ctx).accountId,
        actor: req.actor || undefined,
        objectType: req.objectType || undefined,
        objectId: req.objectId || undefined,
        method: req.method || undefined,
        since: isoOf(req.since),
        until: isoOf(req.until),
      };
      const rows = await listAuditEvents(deps.db, filter, page);
      const result = toPage(rows, page, (row) => [row.occurred_at, row.id]);
      return { items: result.items.map(toAuditEvent), nextPageToken: result.nextPageToken ?? '' };
    },
  };
}
