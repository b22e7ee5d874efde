import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { qhcV1 } from '@qhc/cloud-api';
import { describe, expect, it } from 'vitest';
import { actorLabel, auditRequest, formatTime, noFilters, shortMethod, timestampOf } from '../app/src/lib/audit.ts';

const actor = (a: MessageInitShape<typeof qhcV1.AuditActorSchema>) => create(qhcV1.AuditActorSchema, a);

describe('the audit log page', () => {
  it('filters become a ListAuditEventsRequest; the form times are UTC', () => {
    const request = create(
      qhcV1.ListAuditEventsRequestSchema,
      auditRequest('acc', { ...noFilters, actor: ' ada@acme.test ', objectType: 'cluster', since: '2026-12-04T20:00', until: '2026-12-05T00:00:30Z' }),
    );
    expect(request).toMatchObject({ accountId: 'acc', actor: 'ada@acme.test', objectType: 'cluster', objectId: '', method: '' });
    expect(request.since?.seconds).toBe(BigInt(Date.parse('2026-12-04T20:00:00Z') / 1000));
    expect(request.until?.seconds).toBe(BigInt(Date.parse('2026-12-05T00:00:30Z') / 1000));
    expect(auditRequest('acc', noFilters)).toEqual({ accountId: 'acc', actor: '', objectType: '', objectId: '', method: '' });
    expect(() => timestampOf('yesterday', 'since')).toThrow('since: "yesterday" is not a date and time');
  });

  it('an actor in words; a method short; a time readable', () => {
    expect([
      actorLabel(actor({ kind: qhcV1.AuditActorKind.USER, id: 'u', email: 'ada@acme.test' })),
      actorLabel(actor({ kind: qhcV1.AuditActorKind.MANAGEMENT_KEY, id: 'k', keyPrefix: 'qhc_m_ab' })),
      actorLabel(actor({ kind: qhcV1.AuditActorKind.SYSTEM })),
      actorLabel(undefined),
    ]).toEqual(['ada@acme.test', 'management key qhc_m_ab…', 'qhc', 'unknown']);
    expect(shortMethod('qdrant.cloud.cluster.v1.ClusterService/CreateCluster')).toBe('ClusterService/CreateCluster');
    expect(formatTime({ seconds: BigInt(Date.parse('2026-12-04T20:15:03Z') / 1000) })).toBe('2026-12-04 20:15:03 UTC');
    expect(formatTime(undefined)).toBe('—');
  });
});
