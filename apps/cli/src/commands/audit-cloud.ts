// The account's audit log (qhc.v1 AuditLogService), newest first as the server pages it.
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import type { DescService } from '@bufbuild/protobuf';
import { accountV1, authV1, backupV1, bookingV1, clusterV1, databaseApiKeyV2, hybridV1, iamV1, qhcV1 } from '@qhc/cloud-api';
import { allPages } from '../cloud.ts';
import { CliError, EXIT } from '../exit.ts';
import { parseDuration } from '../progress.ts';
import type { Column } from '../output.ts';
import { cloudApi, type Global } from './region.ts';
import { showMessages, trimEnum, type Row } from './rows.ts';

export interface AuditFilters {
  since?: string;
  until?: string;
  actor?: string;
  objectType?: string;
  objectId?: string;
  method?: string;
  limit?: number;
}

/** An RFC 3339 time, or a duration ("2h", "7d") back from now. */
export function timeOf(flag: string, value: string, now = Date.now()): number {
  if (/^\d+(ms|s|m|h|d)$/.test(value)) return now - (value.endsWith('d') ? Number(value.slice(0, -1)) * 86_400_000 : parseDuration(value));
  const at = Date.parse(value);
  if (Number.isNaN(at))
    throw new CliError(`${flag} "${value}": a time (RFC 3339, e.g. 2026-12-01T00:00:00Z) or a duration ago (e.g. 2h, 7d)`, { code: EXIT.usage });
  return at;
}

const SERVICES = [accountV1, authV1, backupV1, bookingV1, clusterV1, databaseApiKeyV2, hybridV1, iamV1, qhcV1].flatMap((m) =>
  Object.values(m).filter((v): v is DescService => typeof v === 'object' && v !== null && (v as { kind?: string }).kind === 'service'),
);

/** The events name methods in full (`qdrant.cloud.iam.v1.IAMService/CreateRole`); `CreateRole` alone is found among the API's services. */
export function fullMethodName(name: string): string {
  if (name.includes('/')) return name;
  const found = SERVICES.filter((s) => s.methods.some((m) => m.name.toLowerCase() === name.toLowerCase()));
  if (found.length !== 1)
    throw new CliError(found.length ? `--method "${name}" is a method of several services` : `--method "${name}": no Cloud API method has this name`, {
      code: EXIT.usage,
      hint: `name it in full: ${found.length ? found.map((s) => `${s.typeName}/${name}`).join(' or ') : 'e.g. qdrant.cloud.cluster.v1.ClusterService/CreateCluster'}`,
    });
  const service = found[0]!;
  return `${service.typeName}/${service.methods.find((m) => m.name.toLowerCase() === name.toLowerCase())!.name}`;
}

const actor = (r: Row) => {
  const a = (r.actor ?? {}) as { kind?: string; id?: string; email?: string; keyPrefix?: string };
  const kind = trimEnum(a.kind, 'AUDIT_ACTOR_KIND_');
  return kind === 'USER' ? a.email || a.id : kind === 'MANAGEMENT_KEY' ? `key ${a.keyPrefix || a.id}` : kind.toLowerCase();
};
const COLUMNS: Column<Row>[] = [
  { header: 'time', value: (r) => r.occurredAt as string },
  { header: 'actor', value: actor },
  { header: 'method', value: (r) => r.method as string },
  { header: 'object', value: (r) => [r.objectType, r.objectId].filter(Boolean).join('/') || undefined },
  { header: 'address', value: (r) => (r.remoteAddress as string) || undefined, wide: true },
  { header: 'id', value: (r) => r.id, wide: true },
];

export async function auditList(options: AuditFilters, g: Global): Promise<void> {
  const api = cloudApi(g);
  const filters = {
    accountId: api.accountId,
    actor: options.actor ?? '',
    objectType: options.objectType ?? '',
    objectId: options.objectId ?? '',
    method: options.method ? fullMethodName(options.method) : '',
    ...(options.since ? { since: timestampFromMs(timeOf('--since', options.since)) } : {}),
    ...(options.until ? { until: timestampFromMs(timeOf('--until', options.until)) } : {}),
  };
  const events = await allPages(
    (pageToken, pageSize) => api.call('ListAuditEvents', () => api.audit.listAuditEvents({ ...filters, pageSize, pageToken: pageToken ?? '' })),
    options.limit,
  );
  await showMessages(qhcV1.AuditEventSchema, events, { columns: COLUMNS, kind: 'event', name: (r) => String(r.id) }, g);
}
